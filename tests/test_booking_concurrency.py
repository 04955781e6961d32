"""No overbooking: fifty people confirm the last three seats at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from handlers.base import Inbound
from storage.bookings import Booking, Slot, kind_by_slug
from storage.models import ChannelAddress, Contact, ConversationState
from storage.places import unit_by_slug
from tests.booking_helpers import app_at, local

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

PEOPLE = 50
WEDNESDAY_TWO = local(2026, 12, 2, 14)  # the Wednesday informationsträff at Järva


async def people_at_confirm(services, count: int) -> None:
    """`count` consented people, each at the confirm step for the same meeting."""
    now = services.clock.now()
    async with services.db.transaction() as session:
        unit = await unit_by_slug(session, "jarva")
        kind = await kind_by_slug(session, unit.id, "informationstraff")
        session.add(Slot(kind_id=kind.id, unit_id=unit.id, start=WEDNESDAY_TWO, seats=12, taken=9))
        for number in range(count):
            contact = Contact(created_at=now, status="active", unit_id=unit.id, consented_at=now)
            session.add(contact)
            await session.flush()
            session.add(ChannelAddress(contact_id=contact.id, channel="sim-telegram",
                                       address=f"rush-{number}", created_at=now))
            session.add(ConversationState(
                contact_id=contact.id, flow="booking", step="confirm", updated_at=now,
                data={"bk_unit": unit.id, "bk_kind": kind.id, "bk_day": "2026-12-02",
                      "bk_start": WEDNESDAY_TWO.astimezone().isoformat()},
                options=[{"key": "yes", "label": "Ja"}, {"key": "no", "label": "Nej"}]))


async def test_fifty_people_confirming_the_last_three_seats_book_exactly_three(database_url):
    async with app_at(database_url, local(2026, 11, 30, 8)) as (services, _client):
        await people_at_confirm(services, PEOPLE)
        handled = await asyncio.gather(*(
            services.engine.handle("sim-telegram", f"rush-{n}", Inbound(choice="yes"),
                                   provider_id=f"rush-{n}") for n in range(PEOPLE)))
        async with services.db.transaction() as session:
            booked = (await session.execute(select(func.count()).select_from(Booking))).scalar_one()
            slot = (await session.execute(select(Slot))).scalar_one()
        assert booked == 3
        assert (slot.seats, slot.taken) == (12, 12)
        winners = [h for h in handled if "Du är bokad" in h.replies[0].text]
        losers = [h for h in handled if "hann bli bokad" in h.replies[0].text]
        assert (len(winners), len(losers)) == (3, PEOPLE - 3)
        for loser in losers:  # offered other times: the next free meeting days
            keys = [o["key"] for o in loser.replies[-1].options]
            assert keys and "2026-12-02" not in keys and keys[0] == "2026-12-07"
