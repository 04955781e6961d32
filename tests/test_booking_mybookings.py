"""Mina tider: cancel and move free the seat at once; MINA UPPGIFTER and RADERA cover bookings."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from storage.bookings import Booking, Slot
from tests.booking_helpers import app_at, book, booked_by_staff, local
from tests.sim import SimPerson

TUESDAY_NINE = local(2026, 12, 1, 9).astimezone().isoformat()


@pytest.fixture
async def app(sqlite_url):
    async with app_at(sqlite_url, local(2026, 11, 30, 8)) as running:
        yield running


async def times_on_tuesday(person: SimPerson) -> list[str]:
    await person.send("meny")
    await person.press("book")
    await person.press("forsta-besok")
    await person.press("2026-12-01")
    return [o["label"] for o in person.options]


async def test_cancelling_frees_the_seat_at_once(app):
    services, client = app
    first, second = SimPerson(client, "first"), SimPerson(client, "second")
    await first.onboard()
    await second.onboard()
    await book(first, day="2026-12-01")  # Tuesday 09.00, the only seat
    assert "09.00" not in await times_on_tuesday(second)
    await first.send("meny")
    await first.press("mybookings")
    assert "tisdag 1 december kl. 09.00" in first.text and first.keys[:2] == ["cancel", "move"]
    await first.press("cancel")
    await first.press("yes")
    assert "avbokad" in first.text
    assert "09.00" in await times_on_tuesday(second)
    async with services.db.transaction() as session:
        booking = (await session.execute(select(Booking))).scalar_one()
        slot = (await session.execute(select(Slot))).scalar_one()
    assert booking.status == "cancelled" and slot.taken == 0


async def test_moving_keeps_the_code_and_frees_the_old_seat(app):
    services, client = app
    person = SimPerson(client, "move")
    await person.onboard()
    await book(person, day="2026-12-01")
    async with services.db.transaction() as session:
        code = (await session.execute(select(Booking))).scalar_one().code
    await person.send("meny")
    await person.press("mybookings")
    await person.send("boka om")
    await person.send("torsdag")
    await person.send("kl 11")
    assert "Ska jag flytta" in person.text
    await person.press("yes")
    assert "flyttad" in person.replies[0]["text"] and code in person.replies[0]["text"]
    assert "torsdag 3 december kl. 11.00" in person.replies[0]["text"]
    async with services.db.transaction() as session:
        booking = (await session.execute(select(Booking))).scalar_one()
        slots = {s.start.astimezone(local(2026, 1, 1).tzinfo).strftime("%d %H"): s.taken
                 for s in (await session.execute(select(Slot))).scalars()}
    assert booking.status == "booked" and booking.code == code
    assert slots == {"01 09": 0, "03 11": 1}


async def test_several_bookings_are_listed_to_pick_from(app):
    _services, client = app
    person = SimPerson(client, "several")
    await person.onboard()
    await book(person, day="2026-12-01")
    await book(person, kind="vagledning", day="2026-12-02")
    await person.send("meny")
    await person.press("mybookings")
    assert len(person.keys) == 3 and person.keys[-1] == "back"
    await person.send("avboka")
    assert "Välj först" in person.text
    await person.press(person.keys[1])
    assert "onsdag 2 december" in person.text


async def test_no_bookings_offers_to_book(app):
    _services, client = app
    person = SimPerson(client, "none")
    await person.onboard()
    await person.press("mybookings")
    assert "inga bokade tider" in person.text and person.keys == ["book", "back"]
    await person.press("book")
    assert "forsta-besok" in person.keys


async def test_my_data_lists_bookings_and_erasing_frees_the_seat(app):
    services, client = app
    person = SimPerson(client, "erase-me")
    await person.onboard()
    await book(person, day="2026-12-01", needs="access")
    await person.send("mina uppgifter")
    assert "Tid: Första besök, tisdag 1 december kl. 09.00, bokad" in person.text
    assert "tillgänglighet" in person.text
    await person.send("radera")
    await person.press("yes")
    async with services.db.transaction() as session:
        assert (await session.execute(select(Booking))).first() is None
        assert (await session.execute(select(Slot))).scalar_one().taken == 0


async def test_mina_tider_with_many_visits_fits_two_sms_segments_and_pages_the_rest(app):
    """Found by a new user: six visits listed in one SMS took 333 characters."""
    from handlers.gsm7 import sms_segments

    services, client = app
    person = SimPerson(client, "+46701740650", "sms")
    await person.onboard()
    assert await booked_by_staff(services, day=date(2026, 12, 7), count=7) == 7
    await person.send("mina tider")
    text = person.replies[-1]["text"]
    assert len(text) <= 306 and sms_segments(text) <= 2, text
    seen = {o["key"] for o in person.options}
    for _ in range(3):
        if "_more" not in person.keys:
            break
        await person.press("_more")
        assert len(person.replies[-1]["text"]) <= 306
        seen |= {o["key"] for o in person.options}
    assert len(seen - {"_more", "back", "menu"}) >= 7
