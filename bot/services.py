"""What a running process is made of once built (settings, database, clock, engine,
dispatcher, and the Process it was built from), and the key under which web handlers
find it. A leaf: it imports no channel, route or command, so any of them may import it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from bot.clock import Clock, DemoClock
from storage.capabilities import CHANNELS
from storage.settings_store import DEMO_CLOCK, set_value

if TYPE_CHECKING:  # types only: the parts import channels, which import this
    from bot.engine import Engine
    from bot.outbox import Dispatcher
    from bot.process import Process
    from bot.settings import Settings
    from storage.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    engine: Engine
    dispatcher: Dispatcher
    process: Process  # what it was built from (bot/root.py): routes, checks, flows, jobs
    demo: bool = False
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def number_channel(self) -> str:
        """Where a message to a bare phone number goes (booking on someone's behalf): the
        channel that may write first to a number, or its simulator look on a demo database
        (the demo server, or a CLI command run against its file)."""
        return CHANNELS.for_numbers(simulated=self.demo or isinstance(self.clock, DemoClock))

    async def save_clock(self) -> None:
        """Persist the demo clock so CLI commands on the demo database share its now."""
        if isinstance(self.clock, DemoClock):
            async with self.db.transaction() as session:
                await set_value(session, DEMO_CLOCK, str(self.clock.offset.total_seconds()))

    async def close(self) -> None:
        for closer in self.extras.get("closers", []):  # type: ignore[attr-defined]
            await closer()
        await self.db.dispose()


SERVICES = web.AppKey("services", Services)
