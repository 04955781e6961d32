"""A unit's opening hours in words, and the FAQ that tells them."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import update

from handlers.unit_words import hours_words
from messages import Texts
from storage.bookings import set_opening_hours
from storage.models import Unit
from tests.booking_helpers import app_at, local
from tests.sim import SimPerson

NINE_TO_FOUR = [(time(9), time(16))]


@pytest.mark.parametrize(("hours", "sv", "en"), [
    ({d: NINE_TO_FOUR for d in range(5)}, "Öppet måndag till fredag kl 9-16",
     "Open Monday to Friday 9:00-16:00"),
    ({**{d: NINE_TO_FOUR for d in range(4)}, 4: [(time(9), time(12))]},
     "Öppet måndag till torsdag kl 9-16, fredag kl 9-12",
     "Open Monday to Thursday 9:00-16:00, Friday 9:00-12:00"),
    ({1: [(time(9, 30), time(12)), (time(13), time(15, 45))], 3: NINE_TO_FOUR},
     "Öppet tisdag kl 9.30-12 och 13-15.45, torsdag kl 9-16",
     "Open Tuesday 9:30-12:00 and 13:00-15:45, Thursday 9:00-16:00"),
    ({0: NINE_TO_FOUR, 1: NINE_TO_FOUR, 3: NINE_TO_FOUR, 4: NINE_TO_FOUR},
     "Öppet måndag till tisdag kl 9-16, torsdag till fredag kl 9-16",
     "Open Monday to Tuesday 9:00-16:00, Thursday to Friday 9:00-16:00"),
    ({}, "Stängt just nu", "Closed for now"),
])
def test_opening_hours_read_as_days_in_a_row_with_their_times(hours, sv, en):
    assert hours_words(hours, Texts("sv")) == sv
    assert hours_words(hours, Texts("en")) == en


async def test_the_faq_tells_the_units_own_hours_after_they_change(sqlite_url):
    async with app_at(sqlite_url, local(2026, 11, 30, 8)) as (services, client):
        person = SimPerson(client, "asker", "sms")
        await person.onboard()
        await person.press("faq")
        await person.press("where")
        assert "Öppet måndag till fredag kl 9-16" in person.text
        assert "Kistagången 12, Kista" in person.text
        async with services.db.transaction() as session:
            unit = (await session.execute(
                Unit.__table__.select().where(Unit.__table__.c.slug == "jarva"))).one()
            await set_opening_hours(session, unit.id, 4, [(time(9), time(12))])
        await person.press("where")
        assert "Öppet måndag till torsdag kl 9-16, fredag kl 9-12" in person.text


async def test_the_faq_says_what_to_bring_in_the_units_own_words_else_the_general_advice(
        sqlite_url):
    async with app_at(sqlite_url, local(2026, 11, 30, 8)) as (services, client):
        person = SimPerson(client, "bringer", "sms")
        await person.onboard()
        await person.press("faq")
        await person.press("bring")
        assert "Ta med legitimation om du har." in person.text
        async with services.db.transaction() as session:
            await session.execute(update(Unit).where(Unit.slug == "jarva").values(
                bring={"sv": "Ta med pass och ditt senaste CV."}))
        await person.press("bring")
        assert "Ta med pass och ditt senaste CV." in person.text
        assert "legitimation" not in person.replies[0]["text"]
