"""A database in use upgrades to head with every row kept, on SQLite and PostgreSQL.

For each revision in turn (new ones included, found by walking the migrations), a database
is built at it, filled with rows in every table, upgraded to head and compared with a
fresh one: the same tables, columns, indexes and constraints, the same row counts, and
no row pointing nowhere. A release's own demo database (486b2c6) upgrades through the CLI.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import make_engine
from storage.funnel import journeys
from storage.migrate import (
    MIGRATIONS,
    SchemaError,
    current_revision,
    head_revision,
    schema_problem,
    scripts,
    upgrade,
)
from storage.models import District
from tests.processes import free_port
from tests.upgrade_helpers import (
    BlankDatabases,
    dangling_rows,
    fill,
    jobbtorg,
    on,
    row_counts,
    schema,
    skip_without_postgres,
)

REVISIONS = [rev.revision for rev in reversed(list(scripts().walk_revisions()))]
RELEASE_DEMO = Path(__file__).parent / "data" / "release_486b2c6_demo.sql"


@pytest.fixture(params=["sqlite", "postgres"])
async def blank(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BlankDatabases]:
    if request.param == "postgres":
        await skip_without_postgres()
    databases = BlankDatabases(request.param, tmp_path)
    yield databases
    await databases.drop_all()


# Tables a later revision drops on purpose, with why; their rows go with them. Any other
# table losing rows fails the test.
DROPPED = {
    "loginfailure",  # 0006: replaced by login_throttle; failed logins are counted afresh
}
DROPPED_COLUMNS = {
    ("job", "lease_until"),  # 0008: never read (jobs are claimed by row lock)
    ("contact", "erased_at"),  # 0010: never set (erasure deletes the row)
}


@pytest.mark.parametrize("revision", REVISIONS)
async def test_a_filled_database_at_each_revision_upgrades_to_a_fresh_schema(blank, revision):
    url = await blank.new()
    await upgrade(url, revision)
    counts = await on(url, fill, commit=True)
    assert counts and all(counts.values()), counts
    await upgrade(url)
    assert await current_revision(url) == head_revision()
    fresh = await blank.new()
    await upgrade(fresh)
    assert await on(url, schema) == await on(fresh, schema)
    after = await on(url, row_counts)
    kept = {table: rows for table, rows in counts.items() if table not in DROPPED}
    assert {table: after.get(table) for table in kept} == kept
    assert not DROPPED & set(after), "a table named as dropped is still there"
    assert await on(url, dangling_rows) == []


def migrations_with(folder: Path, upgrade_body: str) -> tuple[str, str]:
    """A copy of the migrations with one more revision on the head; (location, its id)."""
    location = folder / "migrations"
    shutil.copytree(MIGRATIONS, location, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision() or "0000"
    revision = f"{int(head) + 1:04d}"
    (location / "versions" / f"{revision}_trial.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = {revision!r}\ndown_revision = {head!r}\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade() -> None:\n{upgrade_body}\n\n\ndef downgrade() -> None:\n    pass\n")
    return str(location), revision


# A SQLite batch migration copies the table, drops the old one and renames the copy: with
# foreign keys on, dropping `outbox` deletes every `deliveryattempt` (ON DELETE CASCADE)
# and dropping `contact` fails.
REBUILD = """\
    for table in ("outbox", "contact"):
        with op.batch_alter_table(table, recreate="always") as batch_op:
            batch_op.add_column(sa.Column("note", sa.String(40), nullable=True))
"""


async def test_a_sqlite_batch_rebuild_keeps_the_rows_that_point_at_the_table(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
    await upgrade(url)
    counts = await on(url, fill, commit=True)
    location, revision = migrations_with(tmp_path, REBUILD)
    await upgrade(url, location=location)
    assert await current_revision(url) == revision
    assert await on(url, row_counts) == counts
    assert await on(url, dangling_rows) == []


async def test_an_upgrade_that_leaves_rows_pointing_nowhere_is_undone(blank, tmp_path):
    url = await blank.new()
    await upgrade(url)
    counts = await on(url, fill, commit=True)
    location, _ = migrations_with(tmp_path, '    op.execute("DELETE FROM contact")')
    # SQLite runs the revision with foreign keys off and then finds the dangling rows;
    # PostgreSQL refuses the DELETE itself.
    with pytest.raises((SchemaError, IntegrityError)) as refused:
        await upgrade(url, location=location)
    if blank.kind == "sqlite":
        assert "foreign_key_check" in str(refused.value)
    assert await current_revision(url) == head_revision()
    assert await on(url, row_counts) == counts


async def test_a_database_behind_or_ahead_of_the_release_is_refused_in_one_line(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
    await upgrade(url)
    location, revision = migrations_with(tmp_path, "    pass")
    behind = await schema_problem(url, location=location)
    assert behind is not None and "\n" not in behind
    assert f"this release needs {revision}" in behind and "`jobbtorg db upgrade`" in behind
    await upgrade(url, location=location)
    ahead = await schema_problem(url)
    assert ahead is not None and "newer release" in ahead and "\n" not in ahead
    with pytest.raises(SchemaError, match="newer release"):
        await upgrade(url)
    assert await current_revision(url) == revision


def every_row(path: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'")]
        rows = {}
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            rows[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    return rows


def release_demo(path: Path) -> Path:
    """The demo database `jobbtorg demo` at 486b2c6 left: a person who booked a first visit
    and asked for a coach, another half way through onboarding, a day of reminders."""
    with sqlite3.connect(path) as connection:
        connection.executescript(RELEASE_DEMO.read_text(encoding="utf-8"))
    return path


def test_the_demo_database_of_release_486b2c6_upgrades_keeping_every_row(tmp_path):
    path = release_demo(tmp_path / "jobbtorg.db")
    before = every_row(path)
    assert before["booking"][1] and before["contact"][1] and before["deliveryattempt"][1]

    result = jobbtorg("db", "upgrade", "--db", str(path), cwd=tmp_path)
    assert result.exit_code == 0, result.stderr

    url = f"sqlite+aiosqlite:///{path}"
    fresh = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    asyncio.run(upgrade(fresh))
    assert asyncio.run(current_revision(url)) == head_revision()
    assert asyncio.run(on(url, schema)) == asyncio.run(on(fresh, schema))
    assert asyncio.run(on(url, dangling_rows)) == []
    after = every_row(path)
    for table, (columns, rows) in before.items():
        if table in DROPPED:
            assert table not in after
            continue
        names, upgraded = after[table]
        wanted = [i for i, column in enumerate(columns) if (table, column) not in DROPPED_COLUMNS]
        kept = [names.index(columns[i]) for i in wanted]
        assert [tuple(row[i] for i in kept) for row in upgraded] == [
            tuple(row[i] for i in wanted) for row in rows], table

    listed = jobbtorg("bookings", "list", "--date", "2026-12-03", "--json", "--db", str(path),
                      cwd=tmp_path)
    assert listed.exit_code == 0, listed.stderr
    assert [row["status"] for row in json.loads(listed.stdout)] == ["booked"]


def test_the_demo_upgrades_the_database_it_kept_from_an_earlier_release(tmp_path):
    path = release_demo(tmp_path / "jobbtorg.db")
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JOBBTORG_")}
    with (tmp_path / "demo.log").open("wb") as log:
        demo = subprocess.Popen([sys.executable, "-m", "bot", "demo", "--port", str(port),
                                 "--db", str(path)], cwd=tmp_path, env=environment,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            history = None
            deadline = time.monotonic() + 120
            while history is None and demo.poll() is None and time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/sim/api/messages"
                                                "?user=anna&channel=sms", timeout=5) as answer:
                        history = json.load(answer)
                except OSError:
                    time.sleep(0.5)
        finally:
            demo.send_signal(signal.SIGINT)
            demo.wait(30)
    assert history is not None, (tmp_path / "demo.log").read_text(errors="replace")
    assert any("RY3AKX" in message["text"] for message in history["messages"])
    assert asyncio.run(current_revision(f"sqlite+aiosqlite:///{path}")) == head_revision()


# People erased before 0007: what one erasure then kept (an erasedcount row without
# district or journey, an anonymous_outcome row per avslut, both at the same moment).
SWEEP_ONE = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
SWEEP_TWO = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


def kept_before_0007(sync: Connection) -> None:
    meta = MetaData()
    meta.reflect(sync)
    t = meta.tables
    sqlite = sync.dialect.name == "sqlite"

    def moment(value: datetime) -> datetime:
        return value.replace(tzinfo=None) if sqlite else value

    jarva, sydost = (sync.execute(t["unit"].insert().returning(t["unit"].c.id), {
        "slug": slug, "name": name, "site": "", "address": "", "phone": "", "bring": {}})
        .scalar_one() for slug, name in (("jarva", "Jobbtorg Järva"), ("sydost", "Sydost")))
    rinkeby, farsta = (sync.execute(t["district"].insert().returning(t["district"].c.id), {
        "slug": slug, "name": name, "unit_id": unit}).scalar_one()
        for slug, name, unit in (("rinkeby-kista", "Rinkeby-Kista", jarva),
                                 ("farsta", "Farsta", sydost)))

    def erased(at: datetime, reason: str, gender: str, age: str, unit: int) -> None:
        sync.execute(t["erasedcount"].insert(), {
            "erased_at": moment(at), "reason": reason, "gender": gender, "age_band": age,
            "unit_id": unit, "source_id": None})

    def avslut(at: datetime, ended: date, gender: str, age: str, unit: int, district: int,
               answered: bool) -> None:
        sync.execute(t["anonymous_outcome"].insert(), {
            "kept_at": moment(at), "ended_on": ended, "reason": "arbete", "unit_id": unit,
            "district_id": district, "source_id": None, "gender": gender, "age_band": age,
            "target_groups": [], "survey_status": "answered" if answered else "unanswered",
            "category": "arbete" if answered else None, "answered_late": False})

    # Anna asked to be erased: two avslut (newest first), one answered.
    avslut(SWEEP_ONE, date(2026, 5, 1), "kvinna", "20-24", jarva, rinkeby, True)
    avslut(SWEEP_ONE, date(2026, 2, 1), "kvinna", "20-24", jarva, rinkeby, False)
    erased(SWEEP_ONE, "asked", "kvinna", "20-24", jarva)
    # One retention sweep, three men alike: Bo (Rinkeby, answered), Carl (no avslut), Dan (Farsta).
    avslut(SWEEP_TWO, date(2026, 3, 1), "man", "25-29", jarva, rinkeby, True)
    erased(SWEEP_TWO, "retention", "man", "25-29", jarva)
    erased(SWEEP_TWO, "retention", "man", "25-29", jarva)
    avslut(SWEEP_TWO, date(2026, 4, 1), "man", "25-29", sydost, farsta, False)
    erased(SWEEP_TWO, "retention", "man", "25-29", sydost)
    # Someone who said no to consent: reached only, and nothing else kept.
    erased(SWEEP_TWO, "declined", "annat", "16-19", jarva)


@pytest.mark.storage
async def test_people_erased_before_0007_keep_their_district_and_later_steps(blank):
    url = await blank.new()
    await upgrade(url, "0006")
    await on(url, kept_before_0007, commit=True)
    await upgrade(url)
    engine = make_engine(url)
    try:
        async with AsyncSession(engine) as session:
            found = await journeys(session, ZoneInfo("Europe/Stockholm"))
            districts = {d.id: d.name for d in (await session.execute(select(District))).scalars()}
    finally:
        await engine.dispose()
    seen = sorted((j.gender, districts.get(j.district or 0, "-"), j.path()) for j in found)
    assert seen == [
        ("men", "-", (("reached", "consented"), ())),  # Carl: no avslut kept, no district
        ("men", "Farsta", (("reached", "consented"), ("enrolled", "avslut"))),  # Dan
        ("men", "Rinkeby-Kista", (("reached", "consented"), ("enrolled", "avslut", "outcome"))),
        ("other", "-", (("reached",), ())),  # declined: reached only
        ("women", "Rinkeby-Kista", (("reached", "consented"), ("enrolled", "avslut", "outcome"))),
    ]


def test_kept_rows_of_one_sweep_are_split_into_people_one_avslut_each_first():
    from importlib import import_module

    fill_in = import_module("storage.migrations.versions.0009_erased_journeys_from_anonymous_outcomes")

    def row(ended: int, district: int = 1, unit: int = 1, groups: tuple[str, ...] = ()) -> Any:
        return SimpleNamespace(ended_on=date(2026, ended, 1), district_id=district, unit_id=unit,
                               target_groups=list(groups))

    two = [row(5), row(2)]  # one person's avslut, newest first
    assert fill_in.people_of(two, 1) == [two]
    assert fill_in.people_of(two, 2) == [[two[0]], [two[1]]]  # two alike: one each first
    rising = [row(2), row(5)]  # a later end date: the next person
    assert fill_in.people_of(rising, 1) == [rising]  # but never more people than were erased
    assert fill_in.people_of(rising, 3) == [[rising[0]], [rising[1]]]
    apart = [row(5, district=2), row(2, groups=("KAA",))]
    assert len(fill_in.people_of(apart, 2)) == 2
    people = [SimpleNamespace(unit_id=1), SimpleNamespace(unit_id=2)]
    runs = [[row(5, unit=2)], [row(4, unit=1)]]
    assert fill_in.assign(people, runs) == [(people[1], runs[0]), (people[0], runs[1])]
