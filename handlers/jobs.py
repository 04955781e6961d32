"""Timed-job handlers: what each kind of job does when it falls due, kept per feature.

A feature keeps its jobs in its own `Jobs` (declared beside the handlers that schedule
them) and `bot/root.py` lists every feature's `Jobs`; nothing is registered by importing.

A contact job runs like a message from the bot's side: it gets the person's Turn (with
`Inbound(kind="job")`) and adds replies or moves the conversation. A system job works
on the database at large (e.g. retention, a scheduled broadcast).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.base import Policy, Turn

ContactJob = Callable[[Turn, dict[str, Any]], Awaitable[None]]
SystemJob = Callable[[AsyncSession, dict[str, Any], datetime], Awaitable[None]]
# Makes sure a recurring system job's next run exists (called as a worker's scheduler starts).
EnsureJob = Callable[[AsyncSession, datetime, Policy], Awaitable[None]]


class Jobs:
    """One feature's job handlers by kind: `jobs = Jobs()`, then `@jobs.contact("kind")`."""

    def __init__(self) -> None:
        self.contact_jobs: dict[str, ContactJob] = {}
        self.system_jobs: dict[str, SystemJob] = {}

    def contact(self, kind: str) -> Callable[[ContactJob], ContactJob]:
        def declare(function: ContactJob) -> ContactJob:
            self.contact_jobs[kind] = function
            return function
        return declare

    def system(self, kind: str) -> Callable[[SystemJob], SystemJob]:
        def declare(function: SystemJob) -> SystemJob:
            self.system_jobs[kind] = function
            return function
        return declare

    @property
    def kinds(self) -> set[str]:
        return set(self.contact_jobs) | set(self.system_jobs)
