"""Queries about people: addresses, contacts, conversation state, inbound dedup, erasure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import (
    ChannelAddress,
    Contact,
    ConversationState,
    ErasedCount,
    InboundMessage,
)
from storage.tables import metadata


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


async def find_address(session: AsyncSession, channel: str, address: str) -> ChannelAddress | None:
    result = await session.execute(
        select(ChannelAddress).where(ChannelAddress.channel == channel,
                                     ChannelAddress.address == address)
    )
    return result.scalar_one_or_none()


async def address_for(
    session: AsyncSession, channel: str, address: str, now: datetime
) -> tuple[ChannelAddress, bool]:
    """The address row (and a new contact behind it if needed). True when it is new."""
    found = await find_address(session, channel, address)
    if found is not None:
        return found, False
    contact = Contact(created_at=now, last_active_at=now)
    session.add(contact)
    await session.flush()
    statement = (
        insert_for(session, ChannelAddress)
        .values(contact_id=contact.id, channel=channel, address=address, created_at=now,
                opted_out=False, unreachable=False)
        .on_conflict_do_nothing(index_elements=["channel", "address"])
    )
    await session.execute(statement)
    row = await find_address(session, channel, address)
    assert row is not None
    if row.contact_id != contact.id:  # another process made it first
        await session.delete(contact)
        return row, False
    return row, True


async def lock_state(session: AsyncSession, contact_id: int, now: datetime) -> ConversationState:
    """The person's conversation state, locked until the transaction ends.

    PostgreSQL takes a row lock; SQLite already serialises writers (BEGIN IMMEDIATE).
    """
    statement = select(ConversationState).where(ConversationState.contact_id == contact_id)
    if dialect(session) == "postgresql":
        statement = statement.with_for_update()
    state = (await session.execute(statement)).scalar_one_or_none()
    if state is None:
        await session.execute(
            insert_for(session, ConversationState)
            .values(contact_id=contact_id, flow="onboarding", step="start", data={}, options=[],
                    reasks=0, version=0, updated_at=now)
            .on_conflict_do_nothing(index_elements=["contact_id"])
        )
        state = (await session.execute(statement)).scalar_one()
    return state


async def contact_by_id(session: AsyncSession, contact_id: int) -> Contact | None:
    return await session.get(Contact, contact_id)


async def addresses_of(session: AsyncSession, contact_id: int) -> list[ChannelAddress]:
    result = await session.execute(
        select(ChannelAddress).where(ChannelAddress.contact_id == contact_id)
    )
    return list(result.scalars())


async def set_opted_out(session: AsyncSession, address_id: int, opted_out: bool) -> None:
    await session.execute(
        update(ChannelAddress).where(col(ChannelAddress.id) == address_id).values(opted_out=opted_out)
    )


# Feature modules register coroutines here to keep anonymous figures before a person
# is erased (e.g. the survey keeps the outcome category without the person).
BeforeErase = Callable[[AsyncSession, Contact, datetime], Awaitable[None]]
before_erase: list[BeforeErase] = []


async def erase_contact(session: AsyncSession, contact: Contact, reason: str, now: datetime) -> None:
    """Remove everything about a person; keep one anonymous count row for the statistics.

    Every table with a contact_id column loses the person's rows, so feature tables
    added later are covered without a change here.
    """
    assert contact.id is not None
    for hook in before_erase:
        await hook(session, contact, now)
    session.add(ErasedCount(erased_at=now, reason=reason, gender=contact.gender,
                            age_band=contact.age_band, unit_id=contact.unit_id,
                            source_id=contact.source_id))
    await session.flush()
    for table in reversed(metadata.sorted_tables):
        if table.name != "contact" and "contact_id" in table.c:
            await session.execute(delete(table).where(table.c.contact_id == contact.id))
    await session.execute(delete(Contact).where(col(Contact.id) == contact.id))
    session.expunge(contact)
