"""Shared fixtures: a migrated database per test, copied from a template made once.

Tests run on SQLite; storage tests (marked `storage`) and the end-to-end set run on
PostgreSQL too. Hypothesis runs a quick profile unless HYPOTHESIS_PROFILE=ci (as in CI).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.clock import Clock, DemoClock
from bot.root import CHANNEL_MODULES, PROCESS, build_services
from bot.runtime import register_channels
from bot.services import Services
from bot.settings import Settings, load_settings
from storage.migrate import upgrade
from tests.fuzzing import load_hypothesis_profile
from tests.pg_server import pg_admin, pg_problem, pg_server, skip_or_fail, with_database

load_hypothesis_profile()



@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated once per test session, the template each test copies."""
    problem = asyncio.run(pg_problem())
    if problem is not None:
        skip_or_fail(problem)
    name = f"jobbtorg_template_{uuid.uuid4().hex[:10]}"
    asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
    asyncio.run(upgrade(with_database(pg_server(), name)))
    yield name
    asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database of its own for one test, copied from the template.

    A copy, not a rolled-back transaction: the app opens several connections at once."""
    name = f"jobbtorg_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    yield with_database(pg_server(), name)
    asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`database_url` is SQLite alone, and both SQLite and PostgreSQL for tests marked
    `storage` (what the database does matters there) or for the end-to-end set."""
    if "database_url" not in metafunc.fixturenames:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = mark.args[0]
        if "database_url" in (names.split(",") if isinstance(names, str) else names):
            return  # the test chose its databases itself
    both = metafunc.definition.get_closest_marker("storage") is not None
    metafunc.parametrize("database_url", ["sqlite", "postgres"] if both else ["sqlite"],
                         indirect=True)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 sqlite_template: Path) -> str:
    """A migrated, empty database of the test's own: a SQLite file or a PostgreSQL copy."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite database only, for tests that are not about storage."""
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


async def seed_places(database_url: str) -> None:
    """The five jobbtorg and their districts, as `jobbtorg seed stockholm` loads them
    (tests of other commands start from this without two CLI processes)."""
    from storage.db import Database
    from storage.places import seed_stockholm

    db = Database(database_url)
    try:
        async with db.transaction() as session:
            await seed_stockholm(session)
    finally:
        await db.dispose()


@pytest.fixture(autouse=True)
def registered_channels() -> None:
    """Every test starts with the channels registered as `jobbtorg serve` registers them
    (storage and handlers ask them what a channel can do); a test that builds services
    registers them again with its own settings."""
    register_channels(Settings(_env_file=None), CHANNEL_MODULES)  # type: ignore[call-arg]


def make_settings(database_url: str, **overrides: Any) -> Settings:
    return load_settings(database_url=database_url, demo=True, **overrides)


async def start_services(database_url: str, clock: Clock | None = None,
                         **overrides: Any) -> Services:
    from bot.demo import seed_demo

    services = await build_services(make_settings(database_url, **overrides), demo=True,
                                    clock=clock or DemoClock())
    async with services.db.transaction() as session:
        await seed_demo(session, services.clock.now())
    await services.save_clock()
    return services


@pytest.fixture
async def services(database_url: str) -> AsyncIterator[Services]:
    running = await start_services(database_url)
    yield running
    await running.close()


@pytest.fixture
async def client(services: Services) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(build_app(services))) as test_client:
        yield test_client


class LivedIn(NamedTuple):
    """The lived-in demo database, how long making it took, the cache file it was kept in
    and the Stockholm day it was made for (its 'today', which a run past midnight leaves)."""

    path: Path
    took: float
    kept: Path
    day: date


@pytest.fixture(scope="session")
def lived_in_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LivedIn]:
    """The demo's year of history, built once per test session from an empty cache folder.
    Copy the file before changing it.

    Under pytest-xdist the workers share the cache folder: the first builds the history
    while holding a lock, the others wait for it and copy today's cached history."""
    from bot.demo import seed_demo
    from bot.demo_history import cache_file, prepare_history

    folder = tmp_path_factory.mktemp("lived_in")
    # One folder for the whole run: beside the workers' own under xdist.
    shared = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") \
        else folder
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(shared / "lived_in_cache"))
    path = folder / "demo.db"
    url = f"sqlite+aiosqlite:///{path}"
    asyncio.run(upgrade(url))
    settings = load_settings(database_url=url, demo=True)
    zone = ZoneInfo(settings.timezone)
    with open(shared / "lived_in.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # The day and the cache file as prepare_history names them when it begins.
        day, kept = datetime.now(zone).date(), cache_file(url, zone)
        started = time.monotonic()
        assert asyncio.run(prepare_history(settings, seed_demo, PROCESS))
        took = time.monotonic() - started
    yield LivedIn(path, took, kept, day)
    patch.undo()
