"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.db import make_engine
from storage.migrate import current_revision, head_revision
from storage.tables import metadata


async def test_the_migrated_schema_matches_the_models(database_url):
    assert await current_revision(database_url) == head_revision(database_url)
    engine = make_engine(database_url)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    await engine.dispose()
    assert differences == [], "run `make migration`: " + repr(differences)[:500]
