"""What a process is made of before it is built, as `bot/root.py` lists it.

`bot/runtime.py` builds a `Process` into running `Services` (which keep it), and every
edge finds its parts there: the web app its routes, the engine its flows and jobs,
`serve` its start-up checks. No part is found by importing the module that holds it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from handlers.parts import Parts

if TYPE_CHECKING:  # types only: the parts are built from a Process, which names them
    from bot.channels import ChannelModule
    from bot.services import Services
    from bot.settings import Settings

# Adds HTTP routes to the web app: a channel's webhook, the dashboard, /metrics.
RouteInstaller = Callable[[web.Application, "Services"], None]
# Refuses a production set-up that cannot work (raises SystemExit with one line).
StartupCheck = Callable[["Settings"], None]


@dataclass(frozen=True)
class Process:
    parts: Parts  # the conversation layer: flows, hooks, data sections, jobs, staff commands
    # The channel modules: their capabilities are registered, their senders and paces
    # built, their webhooks installed (via route_installers) and their settings checked.
    channels: tuple[ChannelModule, ...]
    route_installers: tuple[RouteInstaller, ...]
    startup_checks: tuple[StartupCheck, ...]
