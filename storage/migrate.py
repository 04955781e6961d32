"""Runs Alembic migrations from the installed package, so `jobbtorg db upgrade` works anywhere,
and tells whether a database is one this release can use."""

from __future__ import annotations

import asyncio
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import make_url
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage.db import is_sqlite_url, make_engine

UPGRADE = "jobbtorg db upgrade"


class SchemaError(Exception):
    """A database this release cannot use or upgrade; the message is one line naming the fix."""


# The migrations this release ships; tests pass another folder to try a revision.
MIGRATIONS = str(files("storage") / "migrations")


def alembic_config(url: str, location: str = MIGRATIONS) -> Config:
    config = Config()
    config.set_main_option("script_location", location)
    config.set_main_option("sqlalchemy.url", url)
    return config


def scripts(location: str = MIGRATIONS) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://", location))


def head_revision(url: str = "sqlite+aiosqlite://", location: str = MIGRATIONS) -> str | None:
    return scripts(location).get_current_head()


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL and in-memory SQLite."""
    if not is_sqlite_url(url):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).absolute()


def describe(url: str) -> str:
    """Where the database is, for messages (never the password)."""
    path = sqlite_file(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


def first_line(exc: BaseException) -> str:
    """A driver error's own first line (e.g. 'file is not a database'), without SQL."""
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


async def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()


def _newer_release(where: str, current: str, location: str) -> str:
    return (f"The database at {where} has schema {current}, made by a newer release of "
            f"jobbtorg (this one knows up to {head_revision(location=location)}): run that "
            "release, or restore a backup.")


def _is_known(revision: str, location: str) -> bool:
    try:
        return scripts(location).get_revision(revision) is not None
    except CommandError:
        return False


async def schema_problem(url: str, location: str = MIGRATIONS) -> str | None:
    """Why this release cannot use the database (one line naming the fix), or None.

    Never creates a database: a SQLite file that is missing stays missing.
    """
    where = describe(url)
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        if path.is_dir():
            return f"{where} is a folder, not a database: pass --db PATH to the database file."
        return (f"No database at {where}: pass --db PATH to use another, or run "
                f"`{UPGRADE}` to create it here.")
    try:
        current = await current_revision(url)
    except (DBAPIError, OSError) as exc:
        other = "pass --db PATH to another" if path else "check JOBBTORG_DATABASE_URL"
        return f"Cannot open the database at {where} ({first_line(exc)}): {other}."
    head = head_revision(location=location)
    if current == head:
        return None
    if current is None:
        return (f"The database at {where} has no jobbtorg schema: run `{UPGRADE}` to create "
                "it" + (", or pass --db PATH to use another." if path else "."))
    if not _is_known(current, location):
        return _newer_release(where, current, location)
    return (f"The database at {where} has schema {current}, this release needs {head}: "
            f"back it up, then run `{UPGRADE}`.")


def _check_foreign_keys(sync: Connection) -> None:
    """Migrations ran with foreign keys off on SQLite: refuse to commit rows that point nowhere."""
    if sync.dialect.name != "sqlite":
        return  # PostgreSQL checks every foreign key as the migration runs
    broken = sync.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise SchemaError(f"The upgrade was undone: {len(broken)} rows in {', '.join(tables)} "
                          "point at rows that do not exist (PRAGMA foreign_key_check).")


async def upgrade(url: str, revision: str = "head", location: str = MIGRATIONS) -> None:
    """Bring the schema up to `revision`, all of it in one transaction or none of it.

    On SQLite foreign keys are off while the revisions run: a batch migration copies a
    table and drops the old one, which with them on would delete the rows that point at
    it (ON DELETE CASCADE) or refuse the drop. `PRAGMA foreign_key_check` then checks
    every row before the commit.
    """
    config = alembic_config(url, location)
    engine = make_engine(url, foreign_keys=False)
    try:
        async with engine.connect() as connection:

            def _upgrade(sync: Connection) -> None:
                with sync.begin():
                    current = MigrationContext.configure(sync).get_current_revision()
                    if current is not None and not _is_known(current, location):
                        raise SchemaError(_newer_release(describe(url), current, location))
                    config.attributes["connection"] = sync
                    command.upgrade(config, revision)
                    _check_foreign_keys(sync)

            await connection.run_sync(_upgrade)
    finally:
        await engine.dispose()


async def is_up_to_date(url: str) -> bool:
    return await current_revision(url) == head_revision(url)


def upgrade_sync(url: str) -> None:
    asyncio.run(upgrade(url))
