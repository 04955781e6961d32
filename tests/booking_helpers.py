"""Helpers for the booking tests: a demo clock at a chosen local moment, and a booked person."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

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


async def booked_by_staff(services: Services, kind: str = "forsta-besok",
                          day: date | None = None, count: int = 1) -> int:
    """Staff book the only person `count` visits of a kind (on `day`, else the last free
    times): a person books one of a kind at a time, staff may book more for them."""
    from handlers.base import Policy
    from handlers.booking import book_for
    from handlers.free_times import free_slots
    from storage.bookings import kind_by_slug
    from storage.models import Contact

    policy = Policy()
    async with services.db.transaction() as session:
        contact = (await session.execute(select(Contact))).scalar_one()
        assert contact.id is not None and contact.unit_id is not None
        visit_kind = await kind_by_slug(session, contact.unit_id, kind)
        assert visit_kind is not None
        now = services.clock.now()
        slots = await free_slots(session, visit_kind, now, policy.zone)
        chosen = ([s for s in slots if s.local(policy.zone).date() == day][:count]
                  if day is not None else slots[-count:])
        for slot in chosen:
            assert await book_for(session, policy, visit_kind, slot.start, contact.id, now,
                                  "coach")
    return len(chosen)
