"""Telegram commands for staff (coaches' /idag, outreach's /utskick): their table and turn.

A Telegram message whose sender is a linked staff user and that is a command (or a press
of a staff button, key "staff:...") is handled here instead of as a participant. A feature
keeps its commands in its own `StaffCommands`, and `bot/root.py` lists every feature's; a
handler adds replies to the StaffTurn and may keep state for a multi-step command in
`turn.state` (saved on the staff user).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.base import Inbound, Option, Policy, Reply
from messages import Texts
from storage.models import StaffUser

StaffHandler = Callable[["StaffTurn"], Awaitable[None]]



class StaffCommands:
    """One feature's staff commands: `commands = StaffCommands()`, then
    `@commands.command("/idag")` or `@commands.choice("staff:visit")`."""

    def __init__(self) -> None:
        # "/idag" -> handler. Matched on the first word, without a @botname suffix.
        self.commands: dict[str, StaffHandler] = {}
        # "staff:visit" -> handler, for option keys "staff:visit:..." pressed by staff.
        self.choices: dict[str, StaffHandler] = {}

    def command(self, name: str) -> Callable[[StaffHandler], StaffHandler]:
        def declare(function: StaffHandler) -> StaffHandler:
            self.commands[name] = function
            return function
        return declare

    def choice(self, prefix: str) -> Callable[[StaffHandler], StaffHandler]:
        def declare(function: StaffHandler) -> StaffHandler:
            self.choices[prefix] = function
            return function
        return declare


@dataclass
class StaffTurn:
    session: AsyncSession
    staff: StaffUser
    inbound: Inbound
    now: datetime
    policy: Policy
    replies: list[Reply] = field(default_factory=list)

    @property
    def t(self) -> Texts:
        return Texts("sv")

    @property
    def state(self) -> dict[str, Any]:
        return self.staff.chat_state

    def set_state(self, **values: Any) -> None:
        self.staff.chat_state = {**self.staff.chat_state, **values}

    def clear_state(self) -> None:
        self.staff.chat_state = {}

    def say(self, key: str, **params: Any) -> None:
        self.replies.append(Reply(self.t(key, **params)))

    def say_text(self, text: str, options: list[Option] | None = None) -> None:
        self.replies.append(Reply(text, list(options or [])))


def command_of(text: str | None) -> str | None:
    """'/idag@JobbtorgBot extra' -> '/idag'."""
    if not text or not text.startswith("/"):
        return None
    return text.split()[0].split("@")[0].lower()


def staff_handler_for(turn: StaffTurn, known: StaffCommands) -> StaffHandler | None:
    """Which staff handler takes this message, or None (then it is a participant message).
    `known`: every command of the process (the root's list, merged)."""
    if turn.inbound.choice and turn.inbound.choice.startswith("staff:"):
        prefix = ":".join(turn.inbound.choice.split(":")[:2])
        return known.choices.get(prefix)
    command = command_of(turn.inbound.text)
    if command is not None:
        return known.commands.get(command)
    # Free text from staff goes to the handler of the command in progress.
    in_progress = turn.state.get("command")
    return known.commands.get(in_progress) if in_progress else None
