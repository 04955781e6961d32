"""Database engines and sessions for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Table, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always gives them back aware (SQLite forgets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use the clock")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a SQLModel class, for statements that need no ORM objects."""
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def is_sqlite_url(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, *, foreign_keys: bool = True, **kwargs: Any) -> AsyncEngine:
    """An engine with the settings each database needs to behave well under load.

    `foreign_keys=False` is for migrations only: on SQLite the pragma can only change
    outside a transaction, so it is set as each connection opens.
    """
    # Statement parameters are people's texts and numbers: never in logs or error messages.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite_url(url):
        if ":memory:" not in url and "poolclass" not in kwargs:
            # Keep a few connections open: opening one (a thread and the pragmas) costs
            # more than a whole turn of the conversation.
            kwargs.setdefault("pool_size", 5)
            kwargs.setdefault("max_overflow", 5)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        _sqlite_pragmas(engine, foreign_keys)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    # No ping at checkout: on asyncpg it is three round trips (BEGIN, a query, ROLLBACK)
    # before every transaction, a third of an inbound batch's. A connection that died
    # (PostgreSQL restarted) fails its first statement instead; SQLAlchemy then drops
    # every pooled connection, so that one transaction fails (a webhook answers 5xx and
    # is sent again) and the next ones connect afresh (tests/test_fault_postgres_restart.py).
    kwargs.setdefault("pool_pre_ping", False)
    # asyncpg prepares every statement once per connection, and after five runs PostgreSQL
    # may keep one generic plan for it. Planned while a table is small that is a scan of
    # the whole table, kept as the table grows (measured: the inbound lookup went from
    # 0.03 ms to 4-18 ms). Planning each run with its values costs far less.
    kwargs.setdefault("connect_args", {"server_settings": {"plan_cache_mode": "force_custom_plan"}})
    return create_async_engine(url, **kwargs)


def _sqlite_pragmas(engine: AsyncEngine, foreign_keys: bool = True) -> None:
    """WAL for concurrent readers, and BEGIN IMMEDIATE so writers queue instead of deadlock."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The engine plus a session factory; one per process."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite_url(self.url)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
