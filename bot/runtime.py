"""Builds the running parts (channels, database, clock, engine, dispatcher) of a Process, once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.channels import ChannelModule, sim
from bot.clock import Clock, DemoClock
from bot.engine import Engine
from bot.outbox import ChannelPace, Dispatcher, Sender
from bot.process import Process
from bot.services import Services
from bot.settings import Settings
from storage.capabilities import CHANNELS
from storage.db import Database
from storage.settings_store import DEMO_CLOCK, get_value


def register_channels(settings: Settings, channels: Sequence[ChannelModule]) -> None:
    """Tell storage, handlers and the dashboard what every channel can do (and the
    simulator's looks of them), whether or not it is switched on: data may hold any."""
    real = [caps for module in channels for caps in module.capabilities(settings)]
    CHANNELS.fill(real)
    CHANNELS.fill(real + sim.looks(CHANNELS))


async def load_clock(db: Database) -> Clock:
    """A demo database carries its clock offset; any other database uses real time."""
    async with db.transaction() as session:
        value = await get_value(session, DEMO_CLOCK)
    if value is None:
        return Clock()
    return DemoClock(timedelta(seconds=float(value)))


def channel_senders(settings: Settings, channels: Sequence[ChannelModule], demo: bool,
                    db: Database, clock: Clock) -> dict[str, Sender]:
    """One Sender per channel that is switched on (a channel is on when its credentials
    are set), and the simulator's looks in the demo."""
    senders: dict[str, Sender] = {}
    if demo:
        senders.update({look: sim.SimSender() for look in sim.LOOKS.values()})
    for module in channels:
        if module.enabled(settings):
            for caps in module.capabilities(settings):
                senders[caps.name] = module.sender(settings, db, clock)
    return senders


def channel_paces(settings: Settings, channels: Sequence[ChannelModule]) -> dict[str, ChannelPace]:
    """The providers' limits, as each channel module states them."""
    return {caps.name: module.pace(settings) for module in channels
            for caps in module.capabilities(settings)}


async def build_services(settings: Settings, process: Process, demo: bool = False,
                         clock: Clock | None = None) -> Services:
    """The process's parts, running: `bot.root.build_services` passes the root's Process."""
    register_channels(settings, process.channels)
    db = Database(settings.database_url)
    if clock is None:
        clock = await load_clock(db)
        if demo and not isinstance(clock, DemoClock):
            clock = DemoClock()
    engine = Engine(db, settings, clock, process.parts)
    senders = channel_senders(settings, process.channels, demo, db, clock)
    dispatcher = Dispatcher(db, clock, senders, channel_paces(settings, process.channels))
    dispatcher.closers += [s.close for s in senders.values() if hasattr(s, "close")]  # type: ignore[attr-defined]
    services = Services(settings, db, clock, engine, dispatcher, process, demo=demo)
    services.extras["closers"] = [dispatcher.close]
    if demo:
        await services.save_clock()
    return services
