"""Helpers for the booking tests: a demo clock at a chosen local moment, and a booked person."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.clock import DemoClock
from bot.services import Services
from tests.conftest import start_services
from tests.sim import SimPerson

ZONE = ZoneInfo("Europe/Stockholm")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


def clock_at(moment: datetime) -> DemoClock:
    """A demo clock whose now is `moment` (it runs on in real time from there)."""
    return DemoClock(moment - datetime.now(UTC))


@asynccontextmanager
async def app_at(database_url: str, moment: datetime, **overrides: Any
                 ) -> AsyncIterator[tuple[Services, TestClient[Any, Any]]]:
    services = await start_services(database_url, clock=clock_at(moment), **overrides)
    try:
        async with TestClient(TestServer(build_app(services))) as client:
            yield services, client
    finally:
        await services.close()


async def book(person: SimPerson, kind: str = "forsta-besok", day: str | None = None,
               time_index: int = 0, name: str | None = "Amina", needs: str = "none") -> str:
    """Walk the booking flow to the confirmation; returns the confirmation text."""
    await person.send("boka")
    await person.press(kind)
    await person.press(day or person.keys[0])
    if kind != "drop-in":
        await person.press(person.keys[time_index])
    if "skip" in person.keys:
        if name is None:
            await person.press("skip")
        else:
            await person.send(name)
    await person.press(needs)
    if needs in ("interpreter", "both"):
        await person.send("arabiska")
    await person.press("yes")
    return person.text
