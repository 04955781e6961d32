"""Queries about people: addresses, contacts, conversation state, inbound dedup, erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.db import table_of
from storage.models import (
    ChannelAddress,
    Contact,
    ConversationState,
    InboundMessage,
)


def dialect(session: AsyncSession) -> str:
    bind = session.bind
    assert bind is not None
    return bind.dialect.name


def insert_for(session: AsyncSession, table: Any) -> Any:
    """An INSERT that supports ON CONFLICT on both databases."""
    if dialect(session) == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def record_inbound(
    session: AsyncSession, channel: str, provider_id: str, now: datetime,
    kind: str = "text", text: str | None = None, contact_id: int | None = None,
) -> int | None:
    """Store an inbound message once. Returns its id, or None if it was seen before."""
    statement = (
        insert_for(session, InboundMessage)
        .values(channel=channel, provider_id=provider_id, received_at=now, kind=kind, text=text,
                contact_id=contact_id)
        .on_conflict_do_nothing(index_elements=["channel", "provider_id"])
        .returning(InboundMessage.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


ProviderKey = tuple[str, str]  # (channel, the provider's id of a message)


def in_pairs(first: Any, second: Any, pairs: list[tuple[str, str]]) -> Any:
    """`(first, second) IN pairs`, as one IN list per first value: both databases take
    it, and it uses the unique index on (first, second)."""
    grouped: dict[str, list[str]] = {}
    for one, other in pairs:
        grouped.setdefault(one, []).append(other)
    return or_(*(and_(col(first) == one, col(second).in_(others))
                 for one, others in grouped.items()))


async def record_inbound_many(session: AsyncSession, rows: list[dict[str, Any]]) -> set[ProviderKey]:
    """Store many inbound messages, each once; returns the ones stored now (the others
    had been recorded before)."""
    if not rows:
        return set()
    # A list of parameters, not .values(rows): the statement is compiled once and cached,
    # and SQLAlchemy still sends the rows as one multi-row INSERT.
    statement = (
        insert_for(session, table_of(InboundMessage))
        .on_conflict_do_nothing(index_elements=["channel", "provider_id"])
        .returning(InboundMessage.channel, InboundMessage.provider_id)  # type: ignore[arg-type]
    )
    result = await session.execute(statement, rows)
    return {(channel, provider_id) for channel, provider_id in result.all()}


async def find_address(session: AsyncSession, channel: str, address: str) -> ChannelAddress | None:
    result = await session.execute(
        select(ChannelAddress).where(ChannelAddress.channel == channel,
                                     ChannelAddress.address == address)
    )
    return result.scalar_one_or_none()


AddressKey = tuple[str, str]  # (channel, address)


async def _find_addresses(session: AsyncSession, keys: list[AddressKey]) -> dict[AddressKey, ChannelAddress]:
    result = await session.execute(select(ChannelAddress).where(
        in_pairs(ChannelAddress.channel, ChannelAddress.address, keys)))
    return {(row.channel, row.address): row for row in result.scalars()}


async def addresses_for(
    session: AsyncSession, keys: list[AddressKey], now: datetime
) -> dict[AddressKey, tuple[ChannelAddress, bool]]:
    """The address rows for many (channel, address) pairs, in a few statements whatever
    their number; a new contact stands behind each new one (True when it is new)."""
    found = await _find_addresses(session, keys)
    rows = {key: (row, False) for key, row in found.items()}
    missing = [key for key in dict.fromkeys(keys) if key not in found]
    if not missing:
        return rows
    contacts = [Contact(created_at=now, last_active_at=now) for _ in missing]
    session.add_all(contacts)
    await session.flush()
    await session.execute(
        insert_for(session, table_of(ChannelAddress))
        .on_conflict_do_nothing(index_elements=["channel", "address"]),
        [{"contact_id": contact.id, "channel": channel, "address": address, "created_at": now,
          "opted_out": False, "unreachable": False}
         for contact, (channel, address) in zip(contacts, missing, strict=True)])
    made = await _find_addresses(session, missing)
    for contact, key in zip(contacts, missing, strict=True):
        row = made[key]
        if row.contact_id != contact.id:  # another process made it first
            await session.delete(contact)
        rows[key] = (row, row.contact_id == contact.id)
    return rows


async def address_for(
    session: AsyncSession, channel: str, address: str, now: datetime
) -> tuple[ChannelAddress, bool]:
    """The address row (and a new contact behind it if needed). True when it is new."""
    return (await addresses_for(session, [(channel, address)], now))[(channel, address)]


async def lock_state(session: AsyncSession, contact_id: int, now: datetime) -> ConversationState:
    """The person's conversation state, locked until the transaction ends.

    PostgreSQL takes a row lock; SQLite already serialises writers (BEGIN IMMEDIATE).
    """
    statement = select(ConversationState).where(col(ConversationState.contact_id) == contact_id)
    if dialect(session) == "postgresql":
        statement = statement.with_for_update()
    state = (await session.execute(statement)).scalar_one_or_none()
    if state is None:
        await _add_states(session, [contact_id], now)
        state = (await session.execute(statement)).scalar_one()
    return state


@dataclass
class Person:
    """Who a message is from: their address, their locked state and their contact."""

    address: ChannelAddress
    state: ConversationState
    contact: Contact
    is_new: bool = False  # the address was first seen just now


async def _read_people(session: AsyncSession, keys: list[AddressKey]) -> dict[AddressKey, Person]:
    statement = (
        select(ChannelAddress, ConversationState, Contact)
        .join(Contact, col(Contact.id) == col(ChannelAddress.contact_id))
        .join(ConversationState, col(ConversationState.contact_id) == col(ChannelAddress.contact_id))
        .where(in_pairs(ChannelAddress.channel, ChannelAddress.address, keys))
        .order_by(col(ChannelAddress.contact_id))
        .execution_options(populate_existing=True)
    )
    if dialect(session) == "postgresql":
        statement = statement.with_for_update()
    result = await session.execute(statement)
    return {(address.channel, address.address): Person(address, state, contact)
            for address, state, contact in result.all()}


async def people_for(
    session: AsyncSession, keys: list[AddressKey], now: datetime
) -> dict[AddressKey, Person]:
    """The people behind many addresses, locked until the transaction ends: one statement
    for everyone known; anyone new first gets a contact, an address and a state.

    On PostgreSQL each person's address, state and contact rows are locked (in contact
    order, so two transactions locking the same people cannot deadlock), and a lock that
    had to wait gives the rows as the transaction before it saved them. SQLite already
    serialises writers (BEGIN IMMEDIATE)."""
    people = await _read_people(session, keys)
    missing = [key for key in dict.fromkeys(keys) if key not in people]
    if not missing:
        return people
    addresses = await addresses_for(session, missing, now)
    await _add_states(session, [row.contact_id for row, _ in addresses.values()], now)
    for key, person in (await _read_people(session, missing)).items():
        person.is_new = addresses[key][1]
        people[key] = person
    return people


async def _add_states(session: AsyncSession, contact_ids: list[int], now: datetime) -> None:
    """A conversation state at its start for each of these people that has none."""
    await session.execute(
        insert_for(session, table_of(ConversationState))
        .on_conflict_do_nothing(index_elements=["contact_id"]),
        [{"contact_id": contact_id, "flow": "onboarding", "step": "start", "data": {},
          "options": [], "reasks": 0, "version": 0, "updated_at": now}
         for contact_id in contact_ids])


async def contact_by_id(session: AsyncSession, contact_id: int) -> Contact | None:
    return await session.get(Contact, contact_id)


async def last_inbound_at(session: AsyncSession, channel: str, contact_id: int) -> datetime | None:
    """When the person last wrote on `channel` (None: never, or no longer recorded)."""
    result = await session.execute(
        select(func.max(col(InboundMessage.received_at))).where(
            col(InboundMessage.contact_id) == contact_id, col(InboundMessage.channel) == channel))
    return _aware(result.scalar_one_or_none())


async def addresses_of(session: AsyncSession, contact_id: int) -> list[ChannelAddress]:
    result = await session.execute(
        select(ChannelAddress).where(ChannelAddress.contact_id == contact_id)
    )
    return list(result.scalars())


async def inbound_summary(session: AsyncSession,
                          contact_id: int) -> tuple[int, datetime | None, datetime | None]:
    """How many messages from a person we keep, and when the first and last came."""
    count, first, last = (await session.execute(
        select(func.count(), func.min(col(InboundMessage.received_at)),
               func.max(col(InboundMessage.received_at)))
        .where(col(InboundMessage.contact_id) == contact_id))).one()
    return int(count), _aware(first), _aware(last)


def _aware(moment: datetime | None) -> datetime | None:
    """min()/max() bypass the column type: SQLite gives naive UTC (or text) back."""
    if moment is None or isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC)


async def set_opted_out(session: AsyncSession, address_id: int, opted_out: bool) -> None:
    await session.execute(
        update(ChannelAddress).where(col(ChannelAddress.id) == address_id).values(opted_out=opted_out)
    )


def month_start(moment: datetime) -> datetime:
    """The first day of the month of `moment` (UTC): an erased person's first contact is
    kept to the month only, enough for the reporting periods and no closer to a person."""
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
