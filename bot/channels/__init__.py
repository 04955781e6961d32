"""The channels, one module each; what a channel module provides is `ChannelModule`.

A channel module knows its provider and answers what the rest asks of it: its
capabilities (storage.capabilities), whether it is switched on, its Sender and pace, its
webhook routes and start-up checks. `bot/root.py` lists the modules (CHANNEL_MODULES) and
`bot/runtime.py` registers their capabilities; nothing else names a channel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from aiohttp import web

    from bot.clock import Clock
    from bot.outbox import ChannelPace, Sender
    from bot.services import Services
    from bot.settings import Settings
    from storage.capabilities import Capabilities
    from storage.db import Database


class ChannelModule(Protocol):
    """What `bot/runtime.py` and `jobbtorg serve` ask of a channel module."""

    def capabilities(self, settings: Settings) -> list[Capabilities]: ...

    def enabled(self, settings: Settings) -> bool: ...

    def sender(self, settings: Settings, db: Database, clock: Clock) -> Sender:
        """The channel's Sender; `db` and `clock` for one that must know more than the row
        (when the person last wrote, say)."""
        ...

    def pace(self, settings: Settings) -> ChannelPace: ...

    def install(self, app: web.Application, services: Services) -> None: ...

    async def startup_problem(self, settings: Settings) -> str | None:
        """One line saying what to fix in the channel's settings, or None (checked when
        `jobbtorg serve` starts with the channel on)."""
        ...

    def endpoints(self, settings: Settings, base: str) -> list[str]: ...
