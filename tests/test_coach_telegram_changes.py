"""/avboka and /flytta: a coach cancels or moves a visit in Telegram, through the webhook and
the fake Bot API; the person is told in their chat, with a calendar file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from storage.bookings import Booking, Slot
from storage.models import Job, StaffUser
from storage.places import unit_by_slug
from tests.fakes import FakeTelegram
from tests.fakes.wiring import Wired, press_update, wired
from tests.test_channels_onboarding import TelegramPerson, onboard

PERSON_CHAT, COACH_CHAT, OTHER_COACH_CHAT = 4242, 777, 888


@pytest.fixture
async def chats(sqlite_url: str) -> AsyncIterator[tuple[Wired, TelegramPerson, TelegramPerson]]:
    """A person at Jobbtorg Järva who booked a first visit over Telegram, and the demo coach
    of Järva with their Telegram linked."""
    async with FakeTelegram() as fake, wired(sqlite_url, telegram=fake, full_demo=True) as w:
        async with w.services.db.transaction() as session:
            coach = (await session.execute(select(StaffUser).where(
                StaffUser.username == "coach"))).scalar_one()
            coach.telegram_user_id = COACH_CHAT
            other = await unit_by_slug(session, "sydost")
            session.add(StaffUser(username="coach-sydost", role="coach", password_hash="-",
                                  unit_id=other.id if other else None,
                                  telegram_user_id=OTHER_COACH_CHAT,
                                  created_at=w.services.clock.now()))
        person = TelegramPerson(w, fake, chat=PERSON_CHAT)
        await onboard(person)
        await person.say("boka")
        await person.press("forsta-besok")
        await person.press(person.keys[1])  # a day
        await person.press(person.keys[1])  # a time
        await person.press("skip")  # no name
        await person.press("none")
        confirmed = await person.press("yes")
        assert any("Din kod" in text for text in confirmed), confirmed
        await settle(w)
        person.new_texts()
        yield w, person, TelegramPerson(w, fake, chat=COACH_CHAT, first_update=1000)


async def settle(w: Wired) -> None:
    """Run the jobs that are due now (telling the person) and send what they queued."""
    await w.services.engine.run_due_jobs()
    await w.drain()


async def the_booking(w: Wired) -> Booking:
    async with w.services.db.transaction() as session:
        return (await session.execute(select(Booking))).scalar_one()


async def reminders_of(w: Wired, booking: Booking) -> list[Any]:
    async with w.services.db.transaction() as session:
        jobs = (await session.execute(select(Job).where(
            Job.kind == "booking_reminder", Job.status == "pending"))).scalars().all()
    return sorted(job.due_at for job in jobs if job.payload.get("booking_id") == booking.id)


def documents(person: TelegramPerson) -> list[Any]:
    return [s for s in person.received if s.method == "sendDocument"]


async def test_a_coach_cancels_a_visit_with_a_reason_and_the_person_is_told(chats):
    w, person, coach = chats
    booking = await the_booking(w)
    assert await reminders_of(w, booking)
    asked = await coach.say(f"/avboka {booking.code.lower()} Coachen är sjuk")
    assert "Avboka" in asked[-1] and "Coachen är sjuk" in asked[-1]
    assert coach.keys == [f"staff:cancel:{booking.id}:yes", f"staff:cancel:{booking.id}:no"]
    assert "Avbokat" in (await coach.press(f"staff:cancel:{booking.id}:yes"))[-1]
    cancelled = await the_booking(w)
    assert cancelled.status == "cancelled" and await reminders_of(w, cancelled) == []
    async with w.services.db.transaction() as session:
        slot = await session.get(Slot, booking.slot_id)
    assert slot is not None and slot.taken == 0  # the seat is free again
    await settle(w)
    told = "\n".join(person.new_texts())
    assert "Coachen är sjuk" in told
    assert documents(person)[-1].message["document"]["file_name"].endswith(".ics")


async def test_no_keeps_the_visit(chats):
    w, _person, coach = chats
    booking = await the_booking(w)
    await coach.say(f"/avboka {booking.code}")
    assert "kvar" in (await coach.press(f"staff:cancel:{booking.id}:no"))[-1]
    assert (await the_booking(w)).status == "booked"


async def test_a_coach_moves_a_visit_to_a_free_time_and_reminders_follow(chats):
    w, person, coach = chats
    booking = await the_booking(w)
    before = await reminders_of(w, booking)
    asked = await coach.say(f"/flytta {booking.code}")
    assert "Välj en ny tid" in asked[-1]
    choice = coach.keys[0]
    assert choice.startswith(f"staff:move:{booking.id}:")
    assert "Flyttat" in (await coach.press(choice))[-1]
    moved = await the_booking(w)
    assert moved.status == "booked" and int(moved.start.timestamp()) == int(choice.split(":")[3])
    after = await reminders_of(w, moved)
    assert after and after != before
    await settle(w)
    assert person.new_texts()  # the new time
    assert documents(person)[-1].message["document"]["file_name"].endswith(".ics")


async def test_a_coach_moves_a_visit_to_a_typed_time(chats):
    w, _person, coach = chats
    booking = await the_booking(w)
    await coach.say(f"/flytta {booking.code}")
    start = int(coach.keys[-1].split(":")[3])
    local = datetime.fromtimestamp(start, UTC).astimezone(w.services.settings.zone)
    assert "Flyttat" in (await coach.say(f"/flytta {booking.code} {local:%Y-%m-%d %H:%M}"))[-1]
    assert int((await the_booking(w)).start.timestamp()) == start
    assert "så här" in (await coach.say(f"/flytta {booking.code} i morgon bitti"))[-1]


async def test_another_units_coach_gets_the_not_found_answer(chats):
    w, _person, coach = chats
    booking = await the_booking(w)
    other = TelegramPerson(w, coach.fake, chat=OTHER_COACH_CHAT, first_update=2000)
    missing = await other.say("/avboka XXXXXX")
    for command in (f"/avboka {booking.code}", f"/flytta {booking.code}"):
        assert await other.say(command) == missing
    forged = press_update(2100, OTHER_COACH_CHAT, f"staff:cancel:{booking.id}:yes",
                          other.received[-1].message["message_id"])
    assert await other._post(forged) == missing  # a button it was never shown
    forged = press_update(2101, OTHER_COACH_CHAT, f"staff:move:{booking.id}:1900000000",
                          other.received[-1].message["message_id"])
    assert await other._post(forged) == missing
    assert (await the_booking(w)).status == "booked"
