"""The coach's day in Telegram: own unit only, marking visits, and hand-off requests sent on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.demo import DEMO_TELEGRAM
from handlers.base import Inbound
from storage.bookings import Booking
from storage.models import AuditLog, Outbox, StaffUser
from storage.places import unit_by_slug
from tests.booking_helpers import app_at, book, local
from tests.sim import SimPerson, advance

JARVA_COACH, VASTERORT_COACH, OUTREACH = 111, 222, 333


@pytest.fixture
async def app(database_url):
    async with app_at(database_url, local(2026, 11, 30, 8)) as (services, client):
        async with services.db.transaction() as session:
            for username, role, unit, telegram_id in (
                    ("coach-jarva", "coach", "jarva", JARVA_COACH),
                    ("coach-vasterort", "coach", "vasterort", VASTERORT_COACH),
                    ("outreach-1", "outreach", None, OUTREACH)):
                found = await unit_by_slug(session, unit) if unit else None
                session.add(StaffUser(username=username, role=role, telegram_user_id=telegram_id,
                                      unit_id=found.id if found else None,
                                      created_at=services.clock.now()))
        yield services, client


async def staff_says(services, telegram_id: int, text: str | None = None,
                     choice: str | None = None):
    handled = await services.engine.handle("telegram", str(telegram_id),
                                           Inbound(text=text, choice=choice, sender_id=telegram_id))
    return handled.replies


async def booked_at_jarva(client, services) -> Booking:
    person = SimPerson(client, "visitor")
    await person.onboard()
    await book(person, day="2026-12-01", time_index=1, name="Amina", needs="both")
    async with services.db.transaction() as session:
        return (await session.execute(select(Booking))).scalar_one()


async def test_a_coach_sees_their_units_visits_of_the_day_with_buttons(app):
    services, client = app
    booking = await booked_at_jarva(client, services)
    tomorrow = await staff_says(services, JARVA_COACH, "/imorgon")
    assert "10.00 Första besök: Amina, tolk på arabiska, tillgänglighet [bokad]" in tomorrow[0].text
    assert f", kod {booking.code}" in tomorrow[0].text and "/avboka KOD" in tomorrow[0].text
    assert tomorrow[0].options == []  # nothing to mark before the day
    await advance(client, 26 * 3600)  # Tuesday 10.00
    today = await staff_says(services, JARVA_COACH, "/idag")
    assert "Amina" in today[0].text
    assert [o["key"] for o in today[0].options] == [f"staff:visit:{booking.id}:attended",
                                                    f"staff:visit:{booking.id}:no-show"]
    async with services.db.transaction() as session:
        audits = (await session.execute(select(AuditLog).where(
            AuditLog.action == "visits.viewed"))).scalars().all()
    assert {a.actor for a in audits} == {"coach-jarva"} and len(audits) == 2


async def test_a_coach_of_another_unit_can_neither_list_nor_mark_the_visit(app):
    services, client = app
    booking = await booked_at_jarva(client, services)
    await advance(client, 26 * 3600)
    listed = await staff_says(services, VASTERORT_COACH, "/idag")
    assert "Inga bokade besök" in listed[0].text and "Amina" not in listed[0].text
    for outcome in ("attended", "no-show"):
        replies = await staff_says(services, VASTERORT_COACH,
                                   choice=f"staff:visit:{booking.id}:{outcome}")
        assert "finns inte på ditt jobbtorg" in replies[0].text
    missing = await staff_says(services, VASTERORT_COACH, choice="staff:visit:99999:attended")
    assert missing[0].text == replies[0].text  # unknown and foreign look the same
    async with services.db.transaction() as session:
        assert (await session.get(Booking, booking.id)).status == "booked"


async def test_a_coach_marks_a_visit_attended(app):
    services, client = app
    booking = await booked_at_jarva(client, services)
    early = await staff_says(services, JARVA_COACH, choice=f"staff:visit:{booking.id}:attended")
    assert "inte idag" in early[0].text
    await advance(client, 26 * 3600)
    replies = await staff_says(services, JARVA_COACH, choice=f"staff:visit:{booking.id}:attended")
    assert "10.00 Amina: kom." in replies[0].text
    assert "[kom]" in replies[-1].text and replies[-1].options == []
    async with services.db.transaction() as session:
        marked = await session.get(Booking, booking.id)
    assert (marked.status, marked.marked_by) == ("attended", "coach-jarva")


async def test_staff_without_a_unit_are_told_so(app):
    services, _client = app
    replies = await staff_says(services, OUTREACH, "/idag")
    assert "coach med ett jobbtorg" in replies[0].text


async def test_a_hand_off_request_is_sent_to_the_linked_coach_of_the_unit(app):
    services, client = app
    person = SimPerson(client, "needs-human")
    await person.onboard()
    await person.press("human")
    await person.press("yes")
    async with services.db.transaction() as session:
        sent = (await session.execute(select(Outbox).where(Outbox.channel == "telegram"))
                ).scalars().all()
    # The demo's own Järva coach (linked to 9001, bot/demo.py) is told too.
    assert sorted(row.to_address for row in sent) == sorted(
        [str(JARVA_COACH), str(DEMO_TELEGRAM["coach"])])
    assert "Ny förfrågan från Jobbtorg Järva" in sent[0].text
