"""Blank databases, a filler for whatever tables a revision has, and a schema description.

The filler reads the schema from the database itself (not from the models, which are at
head), so it fills a database at any revision, and columns added later are filled too:
each value comes from REALISTIC when the column is known, else from its type.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from contextlib import chdir
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection
from typer.testing import CliRunner, Result

from bot.root import cli as app
from storage.db import make_engine
from tests.pg_server import pg_admin, pg_problem, pg_server, skip_or_fail, with_database

ROWS = 3  # rows per table: row i points at row i of each table it refers to
START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


class BlankDatabases:
    """Makes empty, unmigrated databases of one kind; drops them afterwards."""

    def __init__(self, kind: str, folder: Any) -> None:
        self.kind = kind
        self.folder = folder
        self.made: list[str] = []

    async def new(self) -> str:
        name = f"jobbtorg_up_{uuid.uuid4().hex[:10]}"
        if self.kind == "sqlite":
            return f"sqlite+aiosqlite:///{self.folder / (name + '.db')}"
        await pg_admin(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return with_database(pg_server(), name)

    async def drop_all(self) -> None:
        for name in self.made:
            await pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def skip_without_postgres() -> None:
    problem = await pg_problem()
    if problem is not None:
        skip_or_fail(problem)


def cycle(*values: Any) -> Callable[[int], Any]:
    return lambda i: values[i % len(values)]


# What real rows hold, by (table, column) or by column alone; anything else comes from
# the column's type. A revision adding a column with fixed values adds it here.
REALISTIC: dict[tuple[str, str] | str, Callable[[int], Any]] = {
    "channel": cycle("telegram", "sms", "telegram"),
    "language": cycle("sv", "en", "sv"),
    "gender": cycle("kvinna", "man", "annat"),
    "age_band": cycle("20-24", "16-19", "25-29"),
    "first_name": cycle("Anna", "Bo", "Cecilia"),
    "reason": cycle("arbete", "studier", "annat"),
    "category": cycle("arbete", "studier", "annat"),
    "extent": cycle("heltid", "deltid", "heltid"),
    "actor": cycle("coach", "admin", "system"),
    "recorded_by": cycle("coach", "admin", "coach"),
    "booked_by": cycle("participant", "coach", "participant"),
    "created_by": cycle("outreach", "admin", "outreach"),
    "notice_version": cycle("2026-01", "2026-01", "2026-06"),
    "opens": cycle("09:00", "10:00", "09:00"),
    "closes": cycle("16:00", "15:00", "12:00"),
    "weekday": lambda i: i,
    "seats": cycle(1, 20, 1),
    "taken": cycle(1, 3, 0),
    "attempts": cycle(1, 0, 5),
    "priority": cycle(0, 1, 0),
    "options": cycle([{"key": "yes", "label": "Ja"}, {"key": "no", "label": "Nej"}], [], []),
    "payload": lambda i: f"src{i}",
    "target_groups": cycle(["KAA"], [], ["Ingång 20-29"]),
    "texts": cycle({"sv": "Välkommen till mässan på torsdag!", "en": "Welcome to the fair!"}),
    "segment": cycle({"unit": ["jarva"]}, {}, {"age": ["20-24"]}),
    "hours": cycle({}, {"mon": ["09:00", "12:00"]}, {}),
    "chat_state": cycle({}),
    "data": cycle({"kind": "forsta-besok"}, {}, {}),
    "text": cycle("Hej! Jag vill boka en tid.", "Din tid är imorgon kl. 10.00.", "STOPP"),
    ("contact", "status"): cycle("active", "active", "declined"),
    ("contact", "help_topic"): cycle("jobb", "cv", "studier"),
    ("channeladdress", "address"): cycle("100200300", "+46701740605", "100200301"),
    ("outbox", "to_address"): cycle("100200300", "+46701740605", "100200301"),
    ("outbox", "status"): cycle("sent", "queued", "failed"),
    ("deliveryattempt", "outcome"): cycle("sent", "retry", "failed"),
    ("booking", "status"): cycle("booked", "attended", "no-show"),
    ("booking", "code"): lambda i: f"RY3AK{i}",
    ("job", "status"): cycle("done", "pending", "pending"),
    ("job", "kind"): cycle("reminder", "survey", "retention"),
    ("job", "payload"): lambda i: {"booking_id": i + 1},
    ("survey_run", "status"): cycle("answered", "sent", "scheduled"),
    ("handoffrequest", "status"): cycle("open", "closed", "open"),
    ("rsvp", "status"): cycle("yes", "waiting", "no"),
    ("event", "status"): cycle("open", "open", "cancelled"),
    ("event", "kind"): cycle("rekryteringstraff", "massa", "oppet-hus"),
    ("broadcast", "status"): cycle("finished", "draft", "sending"),
    ("staffuser", "role"): cycle("admin", "coach", "analyst"),
    ("staffuser", "username"): lambda i: f"staff{i}",
    ("auditlog", "action"): cycle("booking.mark", "avslut.record", "retention.sweep"),
    ("anonymous_outcome", "survey_status"): cycle("answered", "unanswered", "answered"),
    ("erasedcount", "reason"): cycle("retention", "no-consent", "request"),
    ("outreach_source", "kind"): cycle("sfi-skola", "bibliotek", "forening"),
    ("setting", "key"): lambda i: f"setting{i}",
    ("unit", "slug"): cycle("jarva", "sydost", "vaster"),
    ("district", "slug"): cycle("rinkeby-kista", "farsta", "bromma"),
}


def _by_type(column: Column[Any], i: int) -> Any:
    kind = column.type
    if isinstance(kind, Boolean):
        return i % 2 == 0
    if isinstance(kind, DateTime):
        return START + timedelta(days=i, hours=i)
    if isinstance(kind, Date):
        return date(2026, 9, 1) + timedelta(days=i)
    if isinstance(kind, Integer):
        return i + 1
    if isinstance(kind, Float | Numeric):
        return 1.10 * (i + 1)
    if isinstance(kind, JSON):
        return {}
    if isinstance(kind, LargeBinary):
        return b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    if isinstance(kind, String):
        length = kind.length or 40
        value = f"{column.name}-{i}"
        return value if len(value) <= length else f"{column.name[:length - 2]}{i:02d}"[-length:]
    raise AssertionError(f"tests/upgrade_helpers.py cannot fill {column.table.name}.{column.name} "
                         f"({kind!r}): add it to REALISTIC")


def _value(table: Table, column: Column[Any], i: int, keys: dict[str, list[Any]],
           sqlite: bool) -> Any:
    for fk in column.foreign_keys:
        parent = fk.column.table.name
        if parent == table.name:
            return None  # a row pointing at its own table: left empty
        return keys[parent][i][fk.column.name]
    maker = REALISTIC.get((table.name, column.name)) or REALISTIC.get(column.name)
    value = maker(i) if maker else _by_type(column, i)
    if sqlite and isinstance(value, datetime):
        value = value.replace(tzinfo=None)  # as storage.db.UTCDateTime stores it
    return value


def fill(sync: Connection) -> dict[str, int]:
    """ROWS realistic rows in every table the database has; gives the row counts."""
    meta = MetaData()
    meta.reflect(sync)
    sqlite = sync.dialect.name == "sqlite"
    keys: dict[str, list[Any]] = {}
    for table in meta.sorted_tables:
        if table.name == "alembic_version":
            continue
        given = [column for column in table.columns
                 if not (column.primary_key and column.autoincrement in (True, "auto")
                         and isinstance(column.type, Integer) and not column.foreign_keys)]
        rows = [{column.name: _value(table, column, i, keys, sqlite) for column in given}
                for i in range(ROWS)]
        made = sync.execute(table.insert().returning(*table.columns,
                                                     sort_by_parameter_order=True), rows)
        keys[table.name] = [row._mapping for row in made]
    return row_counts(sync, meta)


def row_counts(sync: Connection, meta: MetaData | None = None) -> dict[str, int]:
    if meta is None:
        meta = MetaData()
        meta.reflect(sync)
    return {t.name: sync.execute(select(func.count()).select_from(t)).scalar_one()
            for t in meta.sorted_tables if t.name != "alembic_version"}


def schema(sync: Connection) -> dict[str, Any]:
    """Tables, columns, keys, indexes and constraints, as SQLAlchemy's inspector sees them."""
    inspector = inspect(sync)
    described: dict[str, Any] = {}
    for name in sorted(inspector.get_table_names()):
        described[name] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                        for c in inspector.get_columns(name)],
            "primary key": inspector.get_pk_constraint(name)["constrained_columns"],
            "foreign keys": sorted(
                (fk["constrained_columns"], fk["referred_table"], fk["referred_columns"],
                 (fk.get("options") or {}).get("ondelete"))
                for fk in inspector.get_foreign_keys(name)),
            "indexes": sorted((str(ix["name"]), ix["column_names"], ix["unique"])
                              for ix in inspector.get_indexes(name)),
            "unique": sorted((str(uc["name"]), uc["column_names"])
                             for uc in inspector.get_unique_constraints(name)),
            "checks": sorted(str(ck["sqltext"]) for ck in inspector.get_check_constraints(name)),
        }
    return described


def dangling_rows(sync: Connection) -> list[str]:
    """Rows whose foreign key points at no row, on either database (foreign_key_check)."""
    found: list[str] = []
    if sync.dialect.name == "sqlite":
        found += [repr(tuple(row)) for row in sync.exec_driver_sql("PRAGMA foreign_key_check")]
    inspector = inspect(sync)
    for name in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(name):
            match = " AND ".join(f'p."{r}" = c."{c}"' for c, r in
                                 zip(fk["constrained_columns"], fk["referred_columns"],
                                     strict=True))
            present = " AND ".join(f'c."{c}" IS NOT NULL' for c in fk["constrained_columns"])
            count = sync.execute(text(
                f'SELECT count(*) FROM "{name}" c WHERE {present} AND NOT EXISTS '
                f'(SELECT 1 FROM "{fk["referred_table"]}" p WHERE {match})')).scalar_one()
            if count:
                found.append(f"{count} rows of {name} -> {fk['referred_table']}")
    return found


async def on(url: str, work: Callable[[Connection], Any], commit: bool = False) -> Any:
    """Run sync work on one connection to the database (foreign keys as the app has them)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            result = await connection.run_sync(work)
            if commit:
                await connection.commit()
            return result
    finally:
        await engine.dispose()


def jobbtorg(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """The command run in `cwd` with only the JOBBTORG_ variables in `env`."""
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("JOBBTORG_")}
    with chdir(cwd):
        return CliRunner().invoke(app, list(args), env={**unset, **(env or {})})
