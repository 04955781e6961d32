"""The migrations build exactly the schema the models describe, on both databases, as one
line of numbered revisions on top of the released 0001."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.db import make_engine
from storage.migrate import alembic_config, current_revision, head_revision
from storage.new_revision import next_revision_id
from storage.tables import metadata

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

# sha256 of 0001 as released at 486b2c6: databases in use were made by it, so it never changes.
RELEASED_0001 = "fa56a322017f9e47034b508613d3a42e463f4792d0dd3b43d38f154c09fd6978"


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://"))


async def test_the_migrated_schema_matches_the_models(database_url):
    assert await current_revision(database_url) == head_revision(database_url)
    engine = make_engine(database_url)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    await engine.dispose()
    assert differences == [], ('the models differ from the migrations: add a revision with '
                               '`make revision m="..."`: ' + repr(differences)[:500])


def test_there_is_exactly_one_head():
    heads = scripts().get_heads()
    assert len(heads) == 1, (f"several heads {heads}: renumber yours and point its "
                             "down_revision at main's head")


def test_revisions_are_numbered_in_one_line_named_by_their_number():
    # From the base up: 0001, 0002, ... each revising the one before.
    line = list(reversed(list(scripts().walk_revisions())))
    assert [rev.revision for rev in line] == [f"{n:04d}" for n in range(1, len(line) + 1)]
    for before, rev in zip([None, *line], line, strict=False):
        assert rev.down_revision == (before.revision if before else None), rev.revision
        assert rev.path is not None
        assert re.fullmatch(rf"{rev.revision}_[a-z0-9_]+\.py", Path(rev.path).name), rev.path


def test_the_released_initial_migration_is_unchanged():
    rev = scripts().get_revision("0001")
    assert rev is not None and rev.path is not None
    digest = hashlib.sha256(Path(rev.path).read_bytes()).hexdigest()
    assert digest == RELEASED_0001, "0001 is released: add a new revision instead of editing it"


def test_a_new_revision_gets_the_next_number():
    assert next_revision_id(scripts()) == f"{len(list(scripts().walk_revisions())) + 1:04d}"
