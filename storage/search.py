"""Finding a person for staff: by booking code, first name, phone number or exact channel address."""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.bookings import CODE_LENGTH, Booking
from storage.models import ChannelAddress, Contact


async def find_contacts(session: AsyncSession, text: str, phone: str | None,
                        unit_id: int | None | bool, limit: int = 50) -> list[Contact]:
    """People (not erased) whose booking code, first name (any case) or address is exactly
    `text`, or whose address is the number `phone` (E.164, already normalised); a "#12"
    finds contact 12. `unit_id` limits to one unit's people: None for every unit, False
    for none."""
    if unit_id is False or not text:
        return []
    addresses = [text] + ([phone] if phone else [])
    conditions = [
        func.lower(col(Contact.first_name)) == text.casefold(),
        col(Contact.id).in_(select(col(ChannelAddress.contact_id))
                            .where(col(ChannelAddress.address).in_(addresses))),
    ]
    if len(text) == CODE_LENGTH:
        conditions.append(col(Contact.id).in_(
            select(col(Booking.contact_id)).where(col(Booking.code) == text.upper())))
    reference = text[1:] if text.startswith("#") else ""
    # ASCII digits that fit an id (32-bit on PostgreSQL; '²' is a digit int() refuses).
    if reference.isascii() and reference.isdecimal() and int(reference) < 2 ** 31:
        conditions.append(col(Contact.id) == int(reference))
    statement = (select(Contact).where(or_(*conditions))
                 .order_by(col(Contact.id)).limit(limit))
    if unit_id is not None:
        statement = statement.where(col(Contact.unit_id) == unit_id)
    return list((await session.execute(statement)).scalars())
