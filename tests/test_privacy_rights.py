"""A person's rights hold in every state: after STOPP they can still see and erase their
data; a walk-in staff booked is kept until the visit is marked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.actions.bookings import Actor, mark_visit
from handlers.booking import book_for
from handlers.free_times import free_slots
from storage.bookings import kind_by_slug
from storage.models import ChannelAddress, Contact
from storage.people import address_for
from storage.places import unit_by_slug
from storage.retention import sweep
from tests.sim import SimPerson

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
