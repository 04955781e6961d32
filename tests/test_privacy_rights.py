"""A person's rights hold in every state: after STOPP they can still see and erase their
data; a walk-in staff booked is kept until the visit is marked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.actions.bookings import Actor, mark_visit
from handlers.booking import book_for
from handlers.free_times import free_slots
from handlers.handoff import ask_for_person
from storage.bookings import kind_by_slug
from storage.models import AuditLog, ChannelAddress, Contact, Feedback, StaffUser
from storage.people import address_for
from storage.places import unit_by_slug
from storage.retention import sweep
from tests.sim import SimPerson
from tests.test_erasure_scan import personal_data_left

pytestmark = pytest.mark.storage  # on SQLite and PostgreSQL alike


async def contacts(services) -> int:
    async with services.db.transaction() as session:
        return len((await session.execute(select(Contact.id))).all())


async def test_after_stopp_mina_uppgifter_shows_the_data_and_radera_erases_it(client, services):
    person = SimPerson(client, "stopped", "sms")
    await person.onboard()
    await person.send("STOPP")
    await person.send("MINA UPPGIFTER")
    assert "20-24" in person.text
    await person.send("RADERA")
    await person.send("ja")  # before: "Skriv START för att börja igen", nothing erased
    assert "bort allt" in person.text
    assert await contacts(services) == 0
    async with services.db.transaction() as session:
        assert (await session.execute(select(ChannelAddress))).first() is None


async def test_a_walk_in_booked_by_staff_is_kept_until_the_visit_is_marked(services):
    now = services.clock.now()
    async with services.db.transaction() as session:
        unit = await unit_by_slug(session, "jarva")
        kind = await kind_by_slug(session, unit.id, "forsta-besok")
        slot = (await free_slots(session, kind, now, services.settings.zone))[0]
        address, _ = await address_for(session, "sms", "+46701234599", now)
        booking = await book_for(session, services.engine.policy, kind, slot.start,
                                 address.contact_id, now, "coach")
        booking_id = booking.id
    later = slot.start + timedelta(days=30)  # never answered the consent SMS; not marked
    async with services.db.transaction() as session:
        await sweep(session, later, months=24)
    assert await contacts(services) == 1
    async with services.db.transaction() as session:
        await mark_visit(session, services.engine.policy, Actor("coach"), later, booking_id, "attended")
    async with services.db.transaction() as session:
        await sweep(session, later + timedelta(days=6), months=24)
    assert await contacts(services) == 1
    async with services.db.transaction() as session:
        await sweep(session, later + timedelta(days=8), months=24)
    assert await contacts(services) == 0


async def test_radera_empties_the_coach_notice_and_feedback_and_keeps_audit_rows_unlinked(
        client, services):
    person = SimPerson(client, "+46701230099", "sms")
    await person.onboard()
    async with services.db.transaction() as session:
        contact = (await session.execute(select(Contact))).scalar_one()
        contact.first_name = "Zlatandottir"
        coach = (await session.execute(select(StaffUser).where(StaffUser.username == "coach"))
                 ).scalar_one()
        coach.telegram_user_id = 5550001
        await ask_for_person(session, contact, services.clock.now())  # notice names her
    await person.press("faq")
    await person.press("feedback")
    await person.press("ovrigt")
    await person.send("Ring mig, jag bor på Kvarnholmsvagen 3")
    needles = ["Zlatandottir", "Kvarnholmsvagen", "+46701230099"]
    assert len(await personal_data_left(services, needles)) >= 3  # found while she is here
    await person.send("RADERA")
    await person.send("ja")
    assert await personal_data_left(services, needles) == []
    async with services.db.transaction() as session:
        kept = (await session.execute(select(AuditLog).where(AuditLog.person_erased.is_(True)))
                ).scalars().all()
        feedback = (await session.execute(select(Feedback))).scalars().all()
    assert kept and all(row.contact_id is None and row.detail is None for row in kept)
    assert [(row.category, row.text) for row in feedback] == [("ovrigt", "")]
