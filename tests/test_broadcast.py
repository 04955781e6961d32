"""Broadcasts: preview and cost, approval, quiet hours, batches, cancelling mid-way, opt-outs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.root import CHANNEL_MODULES
from bot.runtime import register_channels
from handlers.base import Inbound
from handlers.broadcasts import (
    SEND_JOB,
    BroadcastError,
    approve,
    cancel,
    enqueue_batch,
    preview,
    quiet_until,
    start,
)
from storage.models import Job, Outbox
from storage.outreach import AWAITING_APPROVAL, CANCELLED, SCHEDULED, SENT, Broadcast, broadcast_progress
from tests.conftest import start_services
from tests.outreach_helpers import draft, person, rows_of

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

STOCKHOLM = ZoneInfo("Europe/Stockholm")
QUIET = ("20:00", "08:00")
DAYTIME = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 in Stockholm


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


@pytest.mark.parametrize(("moment", "held_until"), [
    # Spring forward (29 March 2026): 22:00 CET is 21:00 UTC; 08:00 CEST next day is 06:00 UTC.
    (local("2026-03-28 22:00"), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
    # Fall back (25 October 2026): 22:00 CEST is 20:00 UTC; 08:00 CET next day is 07:00 UTC.
    (local("2026-10-24 22:00"), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    (local("2026-10-25 02:30"), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    (local("2026-01-10 20:00"), datetime(2026, 1, 11, 7, 0, tzinfo=UTC)),
    (local("2026-01-10 07:59"), datetime(2026, 1, 10, 7, 0, tzinfo=UTC)),
    (local("2026-01-10 08:00"), None),
    (local("2026-06-01 12:00"), None),
    (local("2026-06-01 19:59"), None),
])
def test_quiet_hours_end_at_eight_local_time_across_a_dst_change(moment, held_until):
    assert quiet_until(moment, QUIET, STOCKHOLM) == held_until


def test_a_daytime_quiet_window_that_does_not_wrap_midnight_also_holds():
    assert quiet_until(local("2026-05-01 12:30"), ("12:00", "13:00"), STOCKHOLM) == \
        local("2026-05-01 13:00").astimezone(UTC)


@pytest.fixture
async def services_at_ten(database_url):
    running = await start_services(database_url, clock=FixedClock(DAYTIME))
    yield running
    await running.close()


async def run_jobs(services) -> None:
    """Run due jobs until none is left (the scheduler does a round a second)."""
    while await services.engine.run_due_jobs():
        pass


async def run_jobs_and_send(services) -> None:
    await run_jobs(services)
    await services.dispatcher.drain()


async def test_an_emoji_gives_a_gsm7_warning_and_makes_each_sms_part_shorter(services_at_ten):
    services, now = services_at_ten, DAYTIME
    async with services.db.transaction() as session:
        await person(session, now, "anna")
        text = "Välkommen på fika i Tensta på torsdag kl 14. Ta med en vän!"
        plain = await draft(session, now, {"sv": text})
        with_emoji = await draft(session, now, {"sv": text + " 😀"})
        shown_plain = await preview(session, plain, now, services.engine.policy)
        shown = await preview(session, with_emoji, now, services.engine.policy)
    warning = next(w for w in shown.warnings if w["code"] == "non-gsm7")
    assert warning["characters"] == ["😀"] and warning["language"] == "sv"
    assert not [w for w in shown_plain.warnings if w["code"] == "non-gsm7"]
    # About 100 characters: one GSM-7 SMS, but two in UCS-2 (70 units per SMS).
    assert [r.segments for r in shown_plain.rows if r.channel == "sms"] == [1]
    assert [r.segments for r in shown.rows if r.channel == "sms"] == [2]
    assert shown.cost_sek == round(2 * services.settings.sms_price_sek, 2)


async def test_a_plain_gsm7_text_has_no_warning_and_is_priced_per_segment(services_at_ten):
    services, now = services_at_ten, DAYTIME
    async with services.db.transaction() as session:
        for name in ("anna", "bea", "cleo"):
            await person(session, now, name)
        await person(session, now, "dino", channels=("sim-telegram",), language="en")
        broadcast = await draft(session, now, {"sv": "Välkommen på fika i Tensta på torsdag."})
        shown = await preview(session, broadcast, now, services.engine.policy)
    assert not [w for w in shown.warnings if w["code"] == "non-gsm7"]
    assert shown.by_channel == {"sms": 3, "telegram": 1}
    assert {"code": "fallback", "language": "en"} in shown.warnings
    assert shown.cost_sek == round(3 * 1 * services.settings.sms_price_sek, 2)


async def test_a_broadcast_above_the_approval_limit_waits_for_an_admin(services_at_ten):
    services, now = services_at_ten, DAYTIME
    register_channels(services.settings.model_copy(update={"sms_price_sek": 1.0}), CHANNEL_MODULES)
    policy = replace(services.engine.policy, sms_approval_sek=1.5)
    async with services.db.transaction() as session:
        for name in ("anna", "bea"):
            await person(session, now, name)
        broadcast = await draft(session, now)
        assert await start(session, broadcast, now, policy) == AWAITING_APPROVAL
        assert broadcast.estimate_sek == 2.0
    await run_jobs_and_send(services)
    async with services.db.transaction() as session:
        assert await rows_of(session, broadcast.id) == []
        stored = await session.get(Broadcast, broadcast.id)
        assert await approve(session, stored, "admin", now, policy) == SCHEDULED
        with pytest.raises(BroadcastError):  # approving twice is refused
            await approve(session, stored, "admin", now, policy)
    async with services.db.transaction() as session:
        stored = await session.get(Broadcast, broadcast.id)
        assert stored.status == SCHEDULED and stored.approved_by == "admin"
    await run_jobs_and_send(services)
    async with services.db.transaction() as session:
        assert [row.status for row in await rows_of(session, broadcast.id)] == ["sent", "sent"]


async def test_a_broadcast_below_the_limit_goes_out_without_approval(services_at_ten):
    services, now = services_at_ten, DAYTIME
    async with services.db.transaction() as session:
        await person(session, now, "anna")
        broadcast = await draft(session, now)
        assert await start(session, broadcast, now, services.engine.policy) == SCHEDULED
    await run_jobs_and_send(services)
    async with services.db.transaction() as session:
        assert (await broadcast_progress(session, broadcast.id))["sent"] == 1


async def test_recipients_are_enqueued_in_batches_each_once_at_bulk_priority(services_at_ten):
    services, now = services_at_ten, DAYTIME
    async with services.db.transaction() as session:
        for index in range(5):
            await person(session, now, f"p{index}")
        broadcast = await draft(session, now)
        await start(session, broadcast, now, services.engine.policy, batch=2)
    await run_jobs(services)
    async with services.db.transaction() as session:
        rows = await rows_of(session, broadcast.id)
        runs = (await session.execute(select(func.count()).select_from(Job).where(
            Job.kind == SEND_JOB, Job.status == "done"))).scalar_one()
        stored = await session.get(Broadcast, broadcast.id)
    assert len(rows) == len({row.contact_id for row in rows}) == 5
    assert {row.priority for row in rows} == {1}
    assert runs == 3 and stored.status == SENT and stored.recipients == 5


async def test_each_person_gets_their_language_and_swedish_is_the_fallback(services_at_ten):
    services, now = services_at_ten, DAYTIME
    async with services.db.transaction() as session:
        await person(session, now, "anna", channels=("sim-telegram",))
        await person(session, now, "ben", channels=("sim-telegram",), language="en")
        both = await draft(session, now, {"sv": "Hej på svenska", "en": "Hello in English"})
        only_sv = await draft(session, now, {"sv": "Bara svenska"})
        for broadcast in (both, only_sv):
            await start(session, broadcast, now, services.engine.policy)
    await run_jobs_and_send(services)
    async with services.db.transaction() as session:
        assert [r.text for r in await rows_of(session, both.id)] == ["Hej på svenska", "Hello in English"]
        assert [r.text for r in await rows_of(session, only_sv.id)] == ["Bara svenska"] * 2


async def test_sms_are_held_in_quiet_hours_and_go_out_when_they_end(database_url):
    evening = local("2030-01-15 21:30").astimezone(UTC)
    clock = FixedClock(evening)
    services = await start_services(database_url, clock=clock)
    try:
        async with services.db.transaction() as session:
            await person(session, evening, "anna")
            await person(session, evening, "ben", channels=("sim-telegram",))
            broadcast = await draft(session, evening)
            await start(session, broadcast, evening, services.engine.policy)
        await run_jobs_and_send(services)
        async with services.db.transaction() as session:
            rows = {row.channel: row for row in await rows_of(session, broadcast.id)}
        assert rows["sim-telegram"].status == "sent"
        assert rows["sim-sms"].status == "queued"
        assert rows["sim-sms"].not_before == local("2030-01-16 08:00").astimezone(UTC)
        clock.advance((local("2030-01-16 08:00").astimezone(UTC) - evening).total_seconds())
        await run_jobs_and_send(services)
        async with services.db.transaction() as session:
            assert {r.status for r in await rows_of(session, broadcast.id)} == {"sent"}
    finally:
        await services.close()


async def test_cancelling_mid_way_stops_the_next_batches_and_the_queued_messages(services_at_ten):
    services, now = services_at_ten, DAYTIME
    zone = services.engine.policy.zone
    async with services.db.transaction() as session:
        for index in range(6):
            await person(session, now, f"p{index}", channels=("sim-telegram",))
        broadcast = await draft(session, now)
        broadcast.status = SCHEDULED
        assert await enqueue_batch(session, broadcast, now, zone, QUIET, size=2)  # more to come
    await services.dispatcher.drain()  # the first two go out
    async with services.db.transaction() as session:
        stored = await session.get(Broadcast, broadcast.id)
        assert await enqueue_batch(session, stored, now, zone, QUIET, size=2)  # two more queued
        await start_next_batch_job(session, stored, services)
    async with services.db.transaction() as session:
        stored = await session.get(Broadcast, broadcast.id)
        assert await cancel(session, stored, now) == 2
    await run_jobs_and_send(services)
    async with services.db.transaction() as session:
        progress = await broadcast_progress(session, broadcast.id)
        stored = await session.get(Broadcast, broadcast.id)
        total = (await session.execute(select(func.count()).select_from(Outbox).where(
            Outbox.broadcast_id == broadcast.id))).scalar_one()
    assert progress["sent"] == 2 and progress["cancelled"] == 2 and progress["queued"] == 0
    assert total == 4 and stored.status == CANCELLED


async def start_next_batch_job(session, broadcast, services) -> None:
    """The job that would enqueue the next batch, as send_batch leaves it."""
    from handlers.broadcasts import job_payload
    from storage.jobs import schedule

    await schedule(session, SEND_JOB, DAYTIME, DAYTIME,
                   payload=job_payload(broadcast.id, services.engine.policy, 2),
                   key=f"broadcast:{broadcast.id}:after:{broadcast.cursor}")


async def test_a_person_who_opts_out_after_enqueueing_gets_nothing(services_at_ten):
    services, now = services_at_ten, DAYTIME
    async with services.db.transaction() as session:
        await person(session, now, "anna")
        await person(session, now, "dana", opted_out=("sim-sms",))
        broadcast = await draft(session, now)
        await start(session, broadcast, now, services.engine.policy)
    await run_jobs(services)
    # Anna texts STOPP after her message was queued but before it went out.
    await services.engine.handle("sim-sms", "anna-sim-sms", Inbound(text="STOPP"),
                                 provider_id="stop-1")
    await services.dispatcher.drain()
    async with services.db.transaction() as session:
        rows = await rows_of(session, broadcast.id)
    assert [row.to_address for row in rows] == ["anna-sim-sms"]  # dana was never enqueued
    assert rows[0].status == "cancelled"
