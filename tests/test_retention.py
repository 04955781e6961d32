"""Retention: people silent too long are erased by a daily job; anonymous counts stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, func, select

from bot.scheduler import ensure_daily_jobs
from handlers.retention import KIND, next_run
from storage.jobs import schedule
from storage.models import ChannelAddress, Contact, ErasedCount, Job
from storage.retention import months_before, sweep
from tests.sim import SimPerson, advance
from tests.test_cli import jobbtorg

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY = timedelta(days=1)


@pytest.mark.parametrize(("moment", "months", "expected"), [
    (datetime(2026, 11, 24, 12, tzinfo=UTC), 24, datetime(2024, 11, 24, 12, tzinfo=UTC)),
    (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
    (datetime(2024, 3, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
    (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
])
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 11, 24, 1, 0, tzinfo=UTC), datetime(2026, 11, 24, 2, 0, tzinfo=UTC)),
    (datetime(2026, 11, 24, 2, 0, tzinfo=UTC), datetime(2026, 11, 25, 2, 0, tzinfo=UTC)),
    (datetime(2026, 7, 1, 12, 0, tzinfo=UTC), datetime(2026, 7, 2, 1, 0, tzinfo=UTC)),
])
def test_the_daily_run_is_at_three_at_night_stockholm_time(now, expected):
    assert next_run(now, STOCKHOLM) == expected


# (name, consented, days since last message, future job) -> erased under which reason
PEOPLE = [
    ("consented-silent-25-months", True, 25 * 31, False, "retention"),
    ("consented-silent-23-months", True, 23 * 30, False, None),
    ("consented-silent-25-months-visit-ahead", True, 25 * 31, True, None),
    ("never-consented-8-days", False, 8, False, "no-consent"),
    ("never-consented-6-days", False, 6, False, None),
    ("consented-yesterday", True, 1, False, None),
]


async def _add_person(session, now, name, consented, days_silent, job_ahead) -> int:
    seen = now - timedelta(days=days_silent)
    contact = Contact(created_at=seen - DAY, last_active_at=seen, gender="kvinna",
                      age_band="20-24", consented_at=seen - DAY if consented else None,
                      status="active" if consented else "new")
    session.add(contact)
    await session.flush()
    session.add(ChannelAddress(contact_id=contact.id, channel="sms", address=name, created_at=seen))
    if job_ahead:
        await schedule(session, "reminder", now + DAY, now, contact_id=contact.id)
    return contact.id


async def test_a_sweep_erases_exactly_the_people_past_their_time(services):
    now = services.clock.now()
    async with services.db.transaction() as session:
        ids = {name: await _add_person(session, now, name, consented, days, ahead)
               for name, consented, days, ahead, _ in PEOPLE}
    async with services.db.transaction() as session:
        swept = await sweep(session, now, months=24)
    assert swept.as_dict() == {"inactive": 1, "no_consent": 1}
    async with services.db.transaction() as session:
        for name, *_, reason in PEOPLE:
            assert (await session.get(Contact, ids[name]) is None) == (reason is not None), name
        reasons = (await session.execute(select(ErasedCount.reason, ErasedCount.gender))).all()
    assert sorted(reasons) == [("no-consent", "kvinna"), ("retention", "kvinna")]


async def test_the_retention_job_exists_once_however_many_workers_start(services):
    for _ in range(3):
        await ensure_daily_jobs(services.engine)
    async with services.db.transaction() as session:
        jobs = (await session.execute(select(Job).where(Job.kind == KIND))).scalars().all()
    assert len(jobs) == 1
    assert jobs[0].payload["months"] == 24
    assert jobs[0].due_at > services.clock.now()


async def test_a_person_who_never_consents_is_gone_a_week_later(client, services):
    await ensure_daily_jobs(services.engine)
    stranger = SimPerson(client, "stranger", "sms")
    await stranger.send("hej")
    await advance(client, 6 * 86400)
    assert await stranger.inbox(), "kept for the first days"
    await advance(client, 3 * 86400)
    assert await stranger.inbox() == []
    async with services.db.transaction() as session:
        assert (await session.execute(select(ErasedCount.reason))).scalars().all() == ["no-consent"]
        # The job ran every night and keeps one pending run for tomorrow.
        pending = (await session.execute(select(func.count()).select_from(Job).where(
            Job.kind == KIND, Job.status == "pending"))).scalar_one()
        done = (await session.execute(select(func.count()).select_from(Job).where(
            Job.kind == KIND, Job.status == "done"))).scalar_one()
    assert pending == 1 and done == 9


async def test_a_person_silent_for_the_retention_months_is_erased_by_the_nightly_job(client, services):
    await ensure_daily_jobs(services.engine)
    person = SimPerson(client, "faded", "telegram")
    await person.onboard()
    async with services.db.transaction() as session:  # as if their last word was long ago
        contact = (await session.execute(select(Contact))).scalar_one()
        contact.last_active_at = services.clock.now() - timedelta(days=24 * 31)
    await advance(client, 86400)
    assert await person.inbox() == []
    async with services.db.transaction() as session:
        assert (await session.execute(select(ErasedCount.reason))).scalars().all() == ["retention"]


async def test_a_big_backlog_is_erased_in_batches_that_continue_a_minute_later(services, monkeypatch):
    import handlers.retention

    monkeypatch.setattr(handlers.retention, "BATCH", 3)
    now = services.clock.now()
    async with services.db.transaction() as session:
        for n in range(7):
            await _add_person(session, now, f"old-{n}", False, 30, False)
        await schedule(session, KIND, now, now, payload={"months": 24}, key="retention:test")
    await services.engine.run_due_jobs()
    services.clock.advance(61)
    await services.engine.run_due_jobs()
    services.clock.advance(61)
    await services.engine.run_due_jobs()
    async with services.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Contact))).scalar_one() == 0
        continuations = (await session.execute(select(func.count()).select_from(Job).where(
            col(Job.key).startswith("retention:more:")))).scalar_one()
    assert continuations == 2


def test_retention_run_on_the_command_line_erases_and_reports(database_url):
    import asyncio

    from bot.root import build_services
    from tests.conftest import make_settings

    async def add() -> None:
        services = await build_services(make_settings(database_url))
        now = services.clock.now()
        async with services.db.transaction() as session:
            for name, consented, days, ahead, _ in PEOPLE:
                await _add_person(session, now, name, consented, days, ahead)
        await services.close()

    asyncio.run(add())
    counted = jobbtorg(database_url, "retention", "run", "--dry-run", "--json")
    assert counted.returncode == 0, counted.stderr
    assert json.loads(counted.stdout) == {"inactive": 1, "no_consent": 1}
    done = jobbtorg(database_url, "retention", "run", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout) == {"inactive": 1, "no_consent": 1}
    again = jobbtorg(database_url, "retention", "run")
    assert again.returncode == 0 and "Erased 0 people" in again.stderr
