"""The registry of timed-job handlers: what each kind of job does when it falls due.

A contact job runs like a message from the bot's side: it gets the person's Turn (with
`Inbound(kind="job")`) and adds replies or moves the conversation. A system job works
on the database at large (e.g. retention, a scheduled broadcast).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.base import Turn

ContactJob = Callable[[Turn, dict[str, Any]], Awaitable[None]]
SystemJob = Callable[[AsyncSession, dict[str, Any], datetime], Awaitable[None]]

CONTACT_JOBS: dict[str, ContactJob] = {}
SYSTEM_JOBS: dict[str, SystemJob] = {}


def contact_job(kind: str) -> Callable[[ContactJob], ContactJob]:
    def register(function: ContactJob) -> ContactJob:
        CONTACT_JOBS[kind] = function
        return function
    return register


def system_job(kind: str) -> Callable[[SystemJob], SystemJob]:
    def register(function: SystemJob) -> SystemJob:
        SYSTEM_JOBS[kind] = function
        return function
    return register
