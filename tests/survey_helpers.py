"""Helpers for the follow-up tests: a person with an avslut, and the clock moved to a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import DemoClock
from bot.services import Services
from bot.web.sim import advance_clock
from handlers.survey import record_avslut
from storage.followup import SurveyRun
from storage.models import ChannelAddress
from storage.people import find_address

DAY = 86400


async def contact_id_of(services: Services, user: str, look: str = "telegram") -> int:
    async with services.db.transaction() as session:
        address = await find_address(session, f"sim-{look}", user)
        assert address is not None
        return address.contact_id


async def end_programme(services: Services, contact_id: int, ended_on: date,
                        reason: str = "arbete") -> int:
    """Record an avslut as the CLI and the dashboard do; returns the survey run's id."""
    async with services.db.transaction() as session:
        avslut = await record_avslut(session, contact_id, ended_on, reason, "coach",
                                     services.clock.now(), services.engine.policy)
        run = (await session.execute(select(SurveyRun).where(
            SurveyRun.avslut_id == avslut.id))).scalar_one()
        assert run.id is not None
        return run.id


async def survey_run(services: Services, run_id: int) -> SurveyRun:
    async with services.db.transaction() as session:
        run = await session.get(SurveyRun, run_id)
        assert run is not None
        session.expunge(run)
        return run


async def move_to(services: Services, at: datetime) -> None:
    """Move the demo clock forward to `at`, running every job that falls due on the way."""
    assert isinstance(services.clock, DemoClock)
    await advance_clock(services, max(0.0, (at - services.clock.now()).total_seconds()))


def local_today(services: Services) -> date:
    return services.clock.now().astimezone(services.settings.zone).date()


def previous(weekday: int, before: date) -> date:
    """The last given weekday (0 = Monday) strictly before a day."""
    day = before - timedelta(days=1)
    while day.weekday() != weekday:
        day -= timedelta(days=1)
    return day


def at_local(services: Services, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute,
                    tzinfo=services.settings.zone).astimezone(UTC)


async def addresses(services: Services, contact_id: int) -> list[Any]:
    async with services.db.transaction() as session:
        return list((await session.execute(select(ChannelAddress).where(
            ChannelAddress.contact_id == contact_id))).scalars())
