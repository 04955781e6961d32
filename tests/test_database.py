"""storage/db.py: each database is opened with the settings it needs under load."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.db import Database

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage


async def test_connections_are_set_up_for_concurrent_turns(database_url):
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            if db.is_sqlite:
                # Readers beside one writer, and writers queue instead of failing.
                assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
                assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
                assert (await session.execute(text("PRAGMA busy_timeout"))).scalar() == 30000
            else:
                # A generic plan made while a table was small scans all of it later on.
                assert (await session.execute(text("SHOW plan_cache_mode"))).scalar() == \
                    "force_custom_plan"
    finally:
        await db.dispose()
