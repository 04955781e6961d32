"""Throw-away databases for the benchmarks: a SQLite file and a PostgreSQL database.

PostgreSQL is found at JOBBTORG_TEST_DATABASE_URL (default: the local server the tests
use); when none answers, the PostgreSQL figures are skipped with the reason.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text

from storage.db import make_engine
from storage.migrate import upgrade

PG_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def postgres_server() -> str:
    return os.environ.get("JOBBTORG_TEST_DATABASE_URL") or PG_DEFAULT


async def _admin(server: str, statement: str) -> None:
    engine = make_engine(server, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    try:
        await _admin(postgres_server(), "SELECT 1")
    except Exception as exc:  # no server: say why in the results
        return f"{type(exc).__name__}: {exc}"[:160]
    return None


@asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory(prefix="jobbtorg-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade(url)
        yield url


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    server = postgres_server()
    name = f"jobbtorg_bench_{uuid.uuid4().hex[:10]}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    url = f"{server.rpartition('/')[0]}/{name}"
    try:
        await upgrade(url)
        yield url
    finally:
        await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database(kind: str) -> AsyncIterator[str]:  # type: ignore[return-value]
    return sqlite_database() if kind == "sqlite" else postgres_database()  # type: ignore[return-value]
