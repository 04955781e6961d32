"""Booking in chat through the simulator: both looks, typed days and times, bad input."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from storage.bookings import Booking, Slot
from storage.models import Contact, Outbox
from tests.booking_helpers import app_at, book, local
from tests.sim import SimPerson

MONDAY_MORNING = local(2026, 11, 30, 8)  # Monday 30 November 2026, 08.00 in Stockholm


@pytest.fixture
async def app(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as running:
        yield running


async def count_bookings(services) -> int:
    async with services.db.transaction() as session:
        return (await session.execute(select(func.count()).select_from(Booking))).scalar_one()


async def test_a_booking_in_telegram_confirms_in_words_with_code_address_and_calendar_file(app):
    services, client = app
    person = SimPerson(client, "anna")
    await person.onboard()
    await person.send("boka")
    assert "Järva" in person.text
    await person.press("forsta-besok")
    await person.send("imorgon")
    await person.send("kl 10")
    await person.send("Anna")
    await person.press("interpreter")
    await person.send("Arabiska")
    assert "tisdag 1 december kl. 10.00" in person.text and "Tolk på arabiska" in person.text
    await person.press("yes")
    confirmation = person.replies[0]["text"]
    assert "tisdag 1 december kl. 10.00" in confirmation
    assert "Kistagången 12" in confirmation and "legitimation" in person.text
    async with services.db.transaction() as session:
        booking = (await session.execute(select(Booking))).scalar_one()
        contact = await session.get(Contact, booking.contact_id)
        ics = (await session.execute(select(Outbox).where(
            Outbox.attachment_name.is_not(None)))).scalar_one()
    assert booking.code in confirmation and len(booking.code) == 6
    assert (booking.first_name, booking.interpreter_language, booking.status) == (
        "Anna", "arabiska", "booked")
    assert contact is not None and contact.first_name == "Anna"
    event = Calendar.from_ical(ics.attachment).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{booking.code}@jobbtorg-bot"
    assert event.decoded("DTSTART") == local(2026, 12, 1, 10)
    assert ics.attachment_type == "text/calendar"


async def test_an_english_confirmation_says_the_date_in_english(app):
    _services, client = app
    person = SimPerson(client, "eng")
    await person.onboard(language="en")
    await person.send("book")
    await person.press("vagledning")
    await person.send("tomorrow")
    await person.send("10:00")
    await person.press("skip")
    await person.press("none")
    await person.press("yes")
    assert "Tuesday 1 December at 10:00" in person.replies[0]["text"]


async def test_sms_shows_six_choices_and_more_and_no_calendar_file(app):
    services, client = app
    person = SimPerson(client, "sms-person", "sms")
    await person.onboard()
    await person.send("boka")
    await person.press("forsta-besok")
    assert len(person.keys) == 7 and person.keys[-1] == "_more"
    assert "7. Fler" in person.text
    first_page = person.keys[:6]
    await person.press("_more")
    assert len(person.keys) <= 7 and not set(person.keys[:6]) & set(first_page)
    await person.send("på fredag")
    assert "fredag 4 december" in person.text
    await person.send("1")
    await person.press("skip")
    await person.press("none")
    await person.press("yes")
    assert "fredag 4 december kl. 09.00" in person.replies[0]["text"]
    assert all(not r["attachments"] for r in person.replies)
    assert await count_bookings(services) == 1


async def test_a_drop_in_has_no_time_to_pick_and_says_when_to_come(app):
    _services, client = app
    person = SimPerson(client, "drop")
    await person.onboard()
    await person.send("boka")
    await person.press("drop-in")
    assert person.keys[0] == "2026-12-01" and "13.00-15.00" in person.options[0]["label"]
    await person.press("2026-12-01")
    await person.press("skip")
    await person.press("none")
    await person.press("yes")
    assert "kom mellan 13.00 och 15.00" in person.replies[0]["text"]


async def test_a_double_tap_on_confirm_books_once(app):
    services, client = app
    person = SimPerson(client, "double")
    await person.onboard()
    await book(person)
    await person.send(choice="yes")
    assert "redan bokad" in person.text
    assert await count_bookings(services) == 1


async def test_the_person_can_book_at_another_jobbtorg(app):
    services, client = app
    person = SimPerson(client, "elsewhere")
    await person.onboard()
    await person.send("boka")
    await person.press("unit")
    await person.send("Vällingby")
    assert "Västerort" in person.text
    await person.press("forsta-besok")
    await person.press(person.keys[0])
    await person.press(person.keys[0])
    await person.press("skip")
    await person.press("none")
    await person.press("yes")
    assert "Vällingbyplan" in person.replies[0]["text"]


@pytest.mark.parametrize(("step", "typed", "hint"), [
    ("day", "2026-11-27", "redan varit"),
    ("day", "27 november", "redan varit"),
    ("day", "24 december", "stängt"),
    ("day", "lördag", "stängt"),
    ("day", "banan", "förstod inte vilken dag"),
    ("day", "1 mars 2027", "långt fram"),
    ("time", "kl 25", "förstod inte vilken tid"),
    ("time", "banan", "förstod inte vilken tid"),
    ("time", "kl 17", "inte ledig"),
    ("time", "kl 9.15", "inte ledig"),
])
async def test_bad_answers_get_a_kind_reask(app, step, typed, hint):
    _services, client = app
    person = SimPerson(client, f"bad-{step}-{typed}")
    await person.onboard()
    await person.send("boka")
    await person.press("forsta-besok")
    if step == "time":
        await person.press("2026-12-01")
    offered = person.keys
    await person.send(typed)
    assert hint in person.text
    assert person.keys == offered  # the same question again


async def test_a_past_date_typed_at_the_time_step_is_refused(app):
    _services, client = app
    person = SimPerson(client, "switch")
    await person.onboard()
    await person.send("boka")
    await person.press("forsta-besok")
    await person.press("2026-12-01")
    await person.send("onsdag")  # another day, typed at the time question
    assert "onsdag 2 december" in person.text
    assert person.keys[0].startswith("2026-12-02")


async def test_a_time_taken_while_choosing_gets_an_apology_and_the_next_free_times(app):
    services, client = app
    slow, quick = SimPerson(client, "slow"), SimPerson(client, "quick")
    await slow.onboard()
    await quick.onboard()
    await slow.send("boka")
    await slow.press("forsta-besok")
    await slow.press("2026-12-01")
    wanted = slow.keys[0]
    await book(quick, day="2026-12-01")  # takes the same first time
    await slow.press(wanted)
    assert "Förlåt" in slow.text and wanted not in slow.keys and slow.keys


async def test_a_slot_that_vanishes_before_confirm_is_not_booked_twice(app):
    services, client = app
    slow, quick = SimPerson(client, "slow2"), SimPerson(client, "quick2")
    await slow.onboard()
    await quick.onboard()
    await slow.send("boka")
    await slow.press("forsta-besok")
    await slow.press("2026-12-01")
    wanted = slow.keys[0]
    await slow.press(wanted)
    await slow.press("skip")
    await slow.press("none")
    await book(quick, day="2026-12-01")
    await slow.press("yes")
    assert "hann bli bokad" in slow.text and wanted not in slow.keys
    async with services.db.transaction() as session:
        slot = (await session.execute(select(Slot))).scalar_one()
    assert (slot.seats, slot.taken) == (1, 1)
    assert await count_bookings(services) == 1
