"""The outbox table's queries: enqueue a message for a person, and read what was sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelAddress, Outbox

REPLY = 0  # a reply to something the person did: sent first
BULK = 1  # broadcasts: sent behind replies


async def enqueue(
    session: AsyncSession, address: ChannelAddress, text: str, now: datetime, *,
    options: list[dict[str, str]] | None = None, priority: int = REPLY,
    attachment: tuple[str, str, bytes] | None = None, broadcast_id: int | None = None,
    not_before: datetime | None = None, ephemeral: bool = False,
) -> Outbox:
    """Queue one message to one address. Only the dispatcher sends it."""
    row = Outbox(
        contact_id=None if ephemeral else address.contact_id,
        address_id=None if ephemeral else address.id,
        channel=address.channel, to_address=address.address, ephemeral=ephemeral,
        priority=priority, text=text, options=options or [], created_at=now,
        next_attempt_at=not_before or now, not_before=not_before, broadcast_id=broadcast_id,
    )
    if attachment is not None:
        row.attachment_name, row.attachment_type, row.attachment = attachment
    session.add(row)
    await session.flush()
    return row


async def messages_to(session: AsyncSession, address_id: int) -> list[Outbox]:
    """Everything handed to the provider for one address, oldest first."""
    result = await session.execute(
        select(Outbox)
        .where(Outbox.address_id == address_id,
               Outbox.status.in_(("sent", "delivered", "read")))  # type: ignore[attr-defined]
        .order_by(Outbox.sent_at, Outbox.id)  # type: ignore[arg-type]
    )
    return list(result.scalars())


async def cancel_queued(session: AsyncSession, address_id: int, bulk_only: bool = False) -> int:
    """Cancel messages not yet sent to an address (all, or only bulk)."""
    statement = update(Outbox).where(Outbox.address_id == address_id, Outbox.status == "queued")
    if bulk_only:
        statement = statement.where(Outbox.priority == BULK)
    result = await session.execute(statement.values(status="cancelled"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
