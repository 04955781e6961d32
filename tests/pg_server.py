"""The PostgreSQL server the tests use: where it is, whether it answers, admin statements.

Without a server, PostgreSQL tests skip; under JOBBTORG_REQUIRE_POSTGRES=1 (as `.ci/run`
sets) they fail instead, so CI never passes by skipping them.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from storage.db import make_engine

PG_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def pg_server() -> str:
    return os.environ.get("JOBBTORG_TEST_DATABASE_URL", "") or PG_DEFAULT


def with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def pg_admin(*statements: str) -> None:
    """Runs statements outside a transaction (CREATE/DROP DATABASE need that)."""
    engine = make_engine(pg_server(), isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def pg_problem() -> str | None:
    """None when the server answers, else why not (any failure to connect: no server)."""
    try:
        await pg_admin("SELECT 1")
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:200]


def skip_or_fail(problem: str) -> None:
    if os.environ.get("JOBBTORG_REQUIRE_POSTGRES", "") in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL is required (JOBBTORG_REQUIRE_POSTGRES=1) but {problem}")
    pytest.skip(f"no PostgreSQL server reachable at JOBBTORG_TEST_DATABASE_URL ({problem})")
