"""Finding a person for staff: by booking code, first name (typos forgiven within a unit), phone
number or exact channel address."""

from __future__ import annotations

from rapidfuzz.distance import DamerauLevenshtein
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
    for none. Within one unit, a first name with no exact match finds near ones (typos)."""
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
    found = list((await session.execute(statement)).scalars())
    if found or unit_id is None or not text.isalpha():
        return found
    return await _near_first_names(session, text, unit_id, limit)


def typos_allowed(name: str) -> int:
    """How many slips (a letter missing, extra, wrong or swapped) a typed first name may
    have: none below five letters ("Hoda" is not "Hodan"), one, or two from eight."""
    return 0 if len(name) < 5 else 1 if len(name) < 8 else 2


async def _near_first_names(session: AsyncSession, text: str, unit_id: int,
                            limit: int) -> list[Contact]:
    """People of one unit (only: never across units) whose first name is the typed one
    with a typo or two ("ibrahm" finds Ibrahim), nearest first."""
    allowed = typos_allowed(text)
    if not allowed:
        return []
    typed = text.casefold()
    names = (await session.execute(
        select(col(Contact.id), col(Contact.first_name))
        .where(col(Contact.unit_id) == unit_id, col(Contact.first_name).is_not(None)))).all()
    near = sorted((distance, contact_id) for contact_id, name in names
                  if (distance := DamerauLevenshtein.distance(
                      typed, (name or "").casefold(), score_cutoff=allowed)) <= allowed)
    ids = [contact_id for _distance, contact_id in near[:limit]]
    if not ids:
        return []
    rows = {c.id: c for c in (await session.execute(
        select(Contact).where(col(Contact.id).in_(ids)))).scalars()}
    return [rows[i] for i in ids if i in rows]
