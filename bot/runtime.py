"""Builds the running parts (database, clock, engine, dispatcher) of a Process, once."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock, DemoClock
from bot.engine import Engine
from bot.outbox import Dispatcher
from bot.process import Process
from bot.services import Services
from bot.settings import Settings
from storage.db import Database
from storage.settings_store import DEMO_CLOCK, get_value


async def load_clock(db: Database) -> Clock:
    """A demo database carries its clock offset; any other database uses real time."""
    async with db.transaction() as session:
        value = await get_value(session, DEMO_CLOCK)
    if value is None:
        return Clock()
    return DemoClock(timedelta(seconds=float(value)))


async def build_services(settings: Settings, process: Process, demo: bool = False,
                         clock: Clock | None = None) -> Services:
    """The process's parts, running: `bot.root.build_services` passes the root's Process."""
    db = Database(settings.database_url)
    if clock is None:
        clock = await load_clock(db)
        if demo and not isinstance(clock, DemoClock):
            clock = DemoClock()
    engine = Engine(db, settings, clock, process.parts)
    senders = process.senders(settings, demo)
    dispatcher = Dispatcher(db, clock, senders, process.paces(settings))
    dispatcher.closers += [s.close for s in senders.values() if hasattr(s, "close")]  # type: ignore[attr-defined]
    services = Services(settings, db, clock, engine, dispatcher, process, demo=demo)
    services.extras["closers"] = [dispatcher.close]
    if demo:
        await services.save_clock()
    return services
