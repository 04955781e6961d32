"""Reminders before a visit and the offer after a no-show, by the demo clock and across restarts."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import set_demo_now
from handlers.base import Policy
from handlers.reminders import after_quiet_hours, before_quiet_hours, reminder_moment, schedule_reminders
from storage.bookings import Booking
from storage.db import Database
from storage.models import Job
from tests.booking_helpers import app_at, book, local
from tests.sim import SimPerson, advance

ZONE = ZoneInfo("Europe/Stockholm")
POLICY = Policy()
MONDAY_MORNING = local(2026, 11, 30, 8)
HOUR = 3600


@pytest.mark.parametrize(("visit", "offset", "due"), [
    # a day before is the same wall time the day before, also across the October change
    (local(2026, 12, 1, 10), timedelta(hours=24), local(2026, 11, 30, 10)),
    (local(2026, 10, 26, 10), timedelta(hours=24), local(2026, 10, 25, 10)),
    (local(2026, 3, 30, 10), timedelta(hours=24), local(2026, 3, 29, 10)),
    (local(2026, 12, 1, 14), timedelta(hours=2), local(2026, 12, 1, 12)),
    # 2 hours before 09.00 is 07.00, inside quiet hours: sent before they began
    (local(2026, 12, 1, 9), timedelta(hours=2), local(2026, 11, 30, 19, 45)),
    # 24 hours before 08.30 on Monday is Sunday 08.30, outside quiet hours
    (local(2026, 11, 30, 8, 30), timedelta(hours=24), local(2026, 11, 29, 8, 30)),
])
def test_reminder_times_are_counted_in_local_time_and_avoid_quiet_hours(visit, offset, due):
    assert reminder_moment(visit, offset, POLICY) == due


@pytest.mark.parametrize(("moment", "expected"), [
    (local(2026, 12, 1, 21), local(2026, 12, 1, 19, 45)),
    (local(2026, 12, 2, 3), local(2026, 12, 1, 19, 45)),
    (local(2026, 12, 2, 7, 59), local(2026, 12, 1, 19, 45)),
    (local(2026, 12, 2, 8), local(2026, 12, 2, 8)),
    (local(2026, 12, 2, 19, 59), local(2026, 12, 2, 19, 59)),
])
def test_a_moment_in_quiet_hours_moves_to_before_they_start(moment, expected):
    assert before_quiet_hours(moment, ("20:00", "08:00"), ZONE) == expected


@pytest.mark.parametrize(("moment", "expected"), [
    (local(2026, 12, 1, 21), local(2026, 12, 2, 8)),
    (local(2026, 12, 2, 7), local(2026, 12, 2, 8)),
    (local(2026, 12, 2, 9), local(2026, 12, 2, 9)),
])
def test_a_moment_in_quiet_hours_can_wait_until_they_end(moment, expected):
    assert after_quiet_hours(moment, ("20:00", "08:00"), ZONE) == expected


@pytest.mark.parametrize(("booked_at", "visit", "reminders"), [
    # booked at 22.13 for 09.00: the 2-hour reminder moves before quiet hours, which is
    # past, so one reminder goes when quiet hours end at 08.00
    (local(2026, 11, 30, 22, 13), local(2026, 12, 1, 9), [local(2026, 12, 1, 8)]),
    # booked days ahead: both reminders at their usual times
    (local(2026, 11, 27, 12), local(2026, 12, 1, 10),
     [local(2026, 12, 1, 8), local(2026, 11, 30, 10)]),
])
async def test_an_evening_booking_for_the_next_morning_is_reminded_when_quiet_hours_end(
        sqlite_url, booked_at, visit, reminders):
    db = Database(sqlite_url)
    async with db.transaction() as session:
        booking = Booking(id=1, contact_id=1, start=visit)
        count = await schedule_reminders(session, booking, POLICY, booked_at)
        due = list((await session.execute(select(Job.due_at).order_by(Job.id))).scalars())
    await db.dispose()
    assert count == len(reminders) and due == reminders


def reminders_in(inbox: list[dict]) -> list[dict]:
    return [m for m in inbox if m["text"].startswith(("Påminnelse", "Reminder"))]


async def test_both_reminders_arrive_by_the_demo_clock_and_never_twice(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as (_services, client):
        person = SimPerson(client, "remind-me", "sms")
        await person.onboard()
        await book(person, day="2026-12-01", time_index=5)  # Tuesday 14.00
        await advance(client, 1.5 * HOUR)
        assert reminders_in(await person.inbox()) == []
        await advance(client, 5 * HOUR)  # Monday 14.30, just past the 24-hour reminder
        first = reminders_in(await person.inbox())
        assert len(first) == 1 and "tisdag 1 december kl. 14.00" in first[0]["text"]
        assert first[0]["at"].startswith("2026-11-30T14:00")
        await advance(client, 22 * HOUR)  # Tuesday 12.30
        both = reminders_in(await person.inbox())
        assert len(both) == 2 and both[1]["at"].startswith("2026-12-01T12:00")
        await advance(client, 48 * HOUR)
        assert len(reminders_in(await person.inbox())) == 2


async def test_reminders_fire_once_after_a_restart(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as (_services, client):
        person = SimPerson(client, "restart", "telegram")
        await person.onboard()
        await book(person, day="2026-12-01", time_index=5)
    async with app_at(sqlite_url, MONDAY_MORNING) as (_services, client):  # a new process
        person = SimPerson(client, "restart", "telegram")
        await advance(client, 30 * HOUR)
        assert len(reminders_in(await person.inbox())) == 2
    async with app_at(sqlite_url, local(2026, 12, 1, 14)) as (_services, client):
        person = SimPerson(client, "restart", "telegram")
        await advance(client, 24 * HOUR)
        assert len(reminders_in(await person.inbox())) == 2


async def test_a_cancelled_visit_gets_no_reminder(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as (services, client):
        person = SimPerson(client, "cancels")
        await person.onboard()
        await book(person, day="2026-12-01", time_index=5)
        await person.send("meny")
        await person.press("mybookings")
        await person.press("cancel")
        await person.press("yes")
        await advance(client, 40 * HOUR)
        assert reminders_in(await person.inbox()) == []
        async with services.db.transaction() as session:
            jobs = (await session.execute(select(Job).where(Job.kind == "booking_reminder"))).scalars()
            assert {j.status for j in jobs} == {"cancelled"}


async def test_an_opted_out_address_gets_no_reminder(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as (_services, client):
        person = SimPerson(client, "stops", "sms")
        await person.onboard()
        await book(person, day="2026-12-01", time_index=5)
        await person.send("STOPP")
        await advance(client, 40 * HOUR)
        assert reminders_in(await person.inbox()) == []


async def test_a_moved_visit_is_reminded_at_its_new_time_only(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as (services, client):
        person = SimPerson(client, "mover")
        await person.onboard()
        await book(person, day="2026-12-01", time_index=5)
        await person.send("meny")
        await person.press("mybookings")
        await person.press("move")
        await person.press("2026-12-02")
        await person.send("kl 14")
        await person.press("yes")
        assert "onsdag 2 december kl. 14.00" in person.replies[0]["text"]
        await advance(client, 60 * HOUR)
        texts = [m["text"] for m in reminders_in(await person.inbox())]
        assert len(texts) == 2 and all("onsdag 2 december" in t for t in texts)


async def test_a_no_show_gets_one_offer_of_a_new_time_the_next_day(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as (services, client):
        from handlers.actions.bookings import Actor, mark_visit

        person = SimPerson(client, "missed", "sms")
        await person.onboard()
        await book(person, day="2026-12-01", time_index=1)  # Tuesday 10.00
        await advance(client, 27 * HOUR)  # Tuesday 11.00
        async with services.db.transaction() as session:
            booking = (await session.execute(select(Booking))).scalar_one()
            await mark_visit(session, POLICY, Actor("coach"), services.clock.now(), booking.id,
                             "no-show")
            await mark_visit(session, POLICY, Actor("coach"), services.clock.now(), booking.id,
                             "no-show")
        await advance(client, 22 * HOUR)  # Wednesday 09.00
        offers = [m for m in await person.inbox() if "saknade dig" in m["text"]]
        assert offers == []
        await advance(client, 2 * HOUR)
        offers = [m for m in await person.inbox() if "saknade dig" in m["text"]]
        assert len(offers) == 1 and offers[0]["at"].startswith("2026-12-02T10:00")
        await advance(client, 48 * HOUR)
        assert len([m for m in await person.inbox() if "saknade dig" in m["text"]]) == 1
        await person.send("ja")
        assert person.keys[0] == "2026-12-04"  # the days with free times, from today


async def jump_and_run(services, to) -> None:
    """The clock jumps (a worker that was down, a demo clock moved by hand) and the
    scheduler then runs everything that fell due meanwhile, at the clock's now."""
    set_demo_now(services.clock, to)
    await services.engine.run_due_jobs()
    await services.dispatcher.drain()


async def test_a_reminder_run_late_in_quiet_hours_waits_until_they_end(sqlite_url):
    """Found by a new user: after a big clock jump a reminder went out at night."""
    async with app_at(sqlite_url, MONDAY_MORNING) as (services, client):
        person = SimPerson(client, "night", "sms")
        await person.onboard()
        await book(person, day="2026-12-01", time_index=5)  # Tuesday 14.00
        await jump_and_run(services, local(2026, 11, 30, 22))  # the 14.00 reminder, late
        assert reminders_in(await person.inbox()) == []
        await advance(client, 10.5 * HOUR)  # Tuesday 08.30: quiet hours are over
        held = reminders_in(await person.inbox())
        assert len(held) == 1 and held[0]["at"].startswith("2026-12-01T08:00")
        await advance(client, 4 * HOUR)  # Tuesday 12.30: the 2-hour reminder as planned
        assert len(reminders_in(await person.inbox())) == 2


async def test_a_reminder_run_after_the_visit_began_is_dropped(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as (services, client):
        person = SimPerson(client, "too-late", "sms")
        await person.onboard()
        await book(person, day="2026-12-01", time_index=5)  # Tuesday 14.00
        await jump_and_run(services, local(2026, 12, 1, 14, 20))
        await advance(client, 48 * HOUR)
        assert reminders_in(await person.inbox()) == []


async def test_two_reminders_run_late_together_send_one(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as (services, client):
        person = SimPerson(client, "both-late", "telegram")
        await person.onboard()
        await book(person, day="2026-12-01", time_index=5)  # Tuesday 14.00
        await jump_and_run(services, local(2026, 12, 1, 12, 30))  # both are due now
        assert len(reminders_in(await person.inbox())) == 1
        await advance(client, 3 * HOUR)
        assert len(reminders_in(await person.inbox())) == 1
