"""A throwaway database filled with many consented people, for the outreach benchmarks.

PostgreSQL when a server answers at JOBBTORG_TEST_DATABASE_URL (or the local default),
else a SQLite file; people are made in the database itself (generate_series or a
recursive CTE), so seeding a million takes seconds and no Python memory.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from storage.db import Database, make_engine
from storage.migrate import upgrade

PG_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


async def _postgres_server() -> str | None:
    url = os.environ.get("JOBBTORG_TEST_DATABASE_URL") or PG_DEFAULT
    engine = make_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return url
    except Exception:  # no server: fall back to SQLite
        return None
    finally:
        await engine.dispose()


@asynccontextmanager
async def bench_database() -> AsyncIterator[str]:
    """A migrated, empty database URL; dropped (or deleted) afterwards."""
    server = await _postgres_server()
    if server is None:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            await upgrade(url)
            yield url
        return
    name = f"jobbtorg_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{server.rpartition('/')[0]}/{name}"
    try:
        await upgrade(url)
        yield url
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def seed_people(db: Database, count: int, channel: str = "telegram",
                      sms_every: int = 0) -> None:
    """`count` consented people, each with one address: a Telegram chat id equal to the
    contact id (or an SMS number for every `sms_every`-th person)."""
    now = datetime.now(UTC)
    numbers = ("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :count) "
               "SELECT n FROM g") if db.is_sqlite else "SELECT generate_series(1, :count) AS n"
    language = "CASE WHEN n % 5 = 0 THEN 'en' ELSE 'sv' END"
    gender = "CASE WHEN n % 2 = 0 THEN 'kvinna' ELSE 'man' END"
    sms = f"(contact.id % {sms_every} = 0)" if sms_every else "(1 = 0)"
    async with db.transaction() as session:
        await session.execute(text(
            "INSERT INTO contact (created_at, last_active_at, status, language, gender, age_band,"
            " consented_at) "
            f"SELECT :now, :now, 'active', {language}, {gender}, '20-24', :now FROM ({numbers}) s"),
            {"now": now if not db.is_sqlite else now.replace(tzinfo=None), "count": count})
        await session.execute(text(
            "INSERT INTO channeladdress (contact_id, channel, address, opted_out, unreachable,"
            " created_at) "
            f"SELECT contact.id, CASE WHEN {sms} THEN 'sms' ELSE :channel END, "
            f"CASE WHEN {sms} THEN '+4670' || contact.id ELSE '' || contact.id END, "
            "false, false, :now FROM contact"),
            {"now": now if not db.is_sqlite else now.replace(tzinfo=None), "channel": channel})
    async with db.transaction() as session:  # fresh statistics, as autovacuum would gather
        await session.execute(text("ANALYZE"))
