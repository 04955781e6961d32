"""The outbox table's queries: enqueue, claim for sending, record outcomes, read what was sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.db import table_of
from storage.models import ChannelAddress, DeliveryAttempt, Outbox

REPLY = 0  # a reply to something the person did: sent first
BULK = 1  # broadcasts: sent behind replies


def outbox_row(
    address: ChannelAddress, text: str, now: datetime, *,
    options: list[dict[str, str]] | None = None, priority: int = REPLY,
    attachment: tuple[str, str, bytes] | None = None, broadcast_id: int | None = None,
    not_before: datetime | None = None, ephemeral: bool = False,
    kind: str | None = None, fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The column values of one message to one address (an erased person's last reply is
    ephemeral: it keeps no link to them). `kind` and `fields`: what a message the bot
    starts is, for a channel that sends such messages as approved templates."""
    row: dict[str, Any] = {
        "contact_id": None if ephemeral else address.contact_id,
        "address_id": None if ephemeral else address.id,
        "channel": address.channel, "to_address": address.address, "ephemeral": ephemeral,
        "priority": priority, "text": text, "options": options or [], "created_at": now,
        "next_attempt_at": not_before or now, "not_before": not_before,
        "broadcast_id": broadcast_id, "kind": kind, "fields": fields,
        # Every row has every key: a many-row INSERT takes its columns from the first row.
        "attachment_name": None, "attachment_type": None, "attachment": None,
    }
    if attachment is not None:
        row["attachment_name"], row["attachment_type"], row["attachment"] = attachment
    return row


async def enqueue(
    session: AsyncSession, address: ChannelAddress, text: str, now: datetime, *,
    options: list[dict[str, str]] | None = None, priority: int = REPLY,
    attachment: tuple[str, str, bytes] | None = None, broadcast_id: int | None = None,
    not_before: datetime | None = None, ephemeral: bool = False, flush: bool = True,
) -> Outbox:
    """Queue one message to one address. Only the dispatcher sends it.

    With flush=False the row is written with the transaction's next flush."""
    row = Outbox(**outbox_row(address, text, now, options=options, priority=priority,
                              attachment=attachment, broadcast_id=broadcast_id,
                              not_before=not_before, ephemeral=ephemeral))
    session.add(row)
    if flush:
        await session.flush()
    return row


async def write_outbox(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Queue many messages (`outbox_row`s) in one statement, with no ORM object per row:
    a batch of turns queues a hundred replies, and building objects would cost more
    than the statement."""
    if rows:
        # RETURNING makes SQLAlchemy send one multi-row INSERT ("insertmanyvalues")
        # instead of one execution per row.
        table = table_of(Outbox)
        await session.execute(insert(table).returning(table.c.id), rows)


async def messages_to(session: AsyncSession, address_id: int) -> list[Outbox]:
    """Everything handed to the provider for one address, oldest first."""
    result = await session.execute(
        select(Outbox)
        .where(col(Outbox.address_id) == address_id,
               col(Outbox.status).in_(("sent", "delivered", "read")))
        .order_by(col(Outbox.sent_at), col(Outbox.id))
    )
    return list(result.scalars())


async def cancel_queued(session: AsyncSession, address_id: int, bulk_only: bool = False) -> int:
    """Cancel messages not yet sent to an address (all, or only bulk)."""
    statement = update(Outbox).where(col(Outbox.address_id) == address_id,
                                     col(Outbox.status) == "queued")
    if bulk_only:
        statement = statement.where(col(Outbox.priority) == BULK)
    result = await session.execute(statement.values(status="cancelled"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# -- the dispatcher's side: claiming rows, saving outcomes, marking addresses -------------

async def claim_ready(session: AsyncSession, now: datetime, channels: list[str], limit: int,
                      lease_until: datetime) -> list[Outbox]:
    """Lease up to `limit` rows of `channels` that are due, replies first, oldest first.

    PostgreSQL skips rows another dispatcher holds (FOR UPDATE SKIP LOCKED); SQLite has one
    writer at a time (BEGIN IMMEDIATE), so the select and the update cannot interleave.
    """
    ready = (
        select(col(Outbox.id))
        .where(col(Outbox.status) == "queued", col(Outbox.next_attempt_at) <= now,
               col(Outbox.channel).in_(channels))
        .where(col(Outbox.lease_until).is_(None) | (col(Outbox.lease_until) < now))
        .order_by(col(Outbox.priority), col(Outbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Outbox).where(col(Outbox.id).in_(ready.scalar_subquery()))
        .values(lease_until=lease_until).returning(Outbox)
        .execution_options(synchronize_session=False)
    )
    rows = list((await session.execute(statement)).scalars())
    rows.sort(key=lambda row: (row.priority, row.id))
    return rows


async def unusable_addresses(session: AsyncSession, address_ids: set[int]) -> set[int]:
    """Which of these addresses are opted out or unreachable."""
    if not address_ids:
        return set()
    result = await session.execute(
        select(col(ChannelAddress.id)).where(
            col(ChannelAddress.id).in_(address_ids),
            col(ChannelAddress.opted_out).is_(True) | col(ChannelAddress.unreachable).is_(True),
        ))
    return {int(i) for i in result.scalars() if i is not None}


async def save_outcomes(session: AsyncSession, changes: list[dict[str, Any]],
                        attempts: list[dict[str, Any]]) -> None:
    """Write many rows' outcomes at once (one statement each for rows and attempts).

    Each change has id, status, attempts, next_attempt_at, sent_at, provider_message_id,
    error; each attempt has outbox_id, at, outcome, detail.
    """
    table = table_of(Outbox)
    if changes:
        await session.execute(
            update(table).where(table.c.id == bindparam("row_id")).values(
                status=bindparam("new_status"), attempts=bindparam("new_attempts"),
                next_attempt_at=bindparam("new_next_attempt_at"), lease_until=None,
                sent_at=bindparam("new_sent_at"),
                provider_message_id=bindparam("new_provider_message_id"),
                error=bindparam("new_error")),
            [{"row_id": c["id"], **{f"new_{k}": v for k, v in c.items() if k != "id"}}
             for c in changes],
        )
    if attempts:
        await session.execute(insert(table_of(DeliveryAttempt)), attempts)


async def rows_to_save(session: AsyncSession, row_ids: list[int]) -> set[int]:
    """Which of these rows may still take a send's outcome: not deleted, and not emptied
    by an erasure meanwhile. Locked on PostgreSQL until the outcomes are written, so an
    erasure waits for them (and then empties the row)."""
    if not row_ids:
        return set()
    statement = select(col(Outbox.id)).where(col(Outbox.id).in_(row_ids),
                                              col(Outbox.to_address) != "")
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        statement = statement.with_for_update()
    return {int(i) for i in (await session.execute(statement)).scalars() if i is not None}


async def blank_sent(session: AsyncSession, row_ids: list[int]) -> None:
    """Keep no trace of what was sent to an erased person."""
    if row_ids:
        await session.execute(
            update(Outbox).where(col(Outbox.id).in_(row_ids))
            .values(text="", to_address="", options=[], attachment=None, fields=None))


async def release(session: AsyncSession, row_ids: list[int]) -> None:
    """Give leased rows back unsent (the dispatcher is stopping or held them too long)."""
    if row_ids:
        await session.execute(
            update(Outbox).where(col(Outbox.id).in_(row_ids), col(Outbox.status) == "queued")
            .values(lease_until=None))


async def mark_address(session: AsyncSession, channel: str, address: str, *,
                       opted_out: bool | None = None, unreachable: bool | None = None) -> int | None:
    """Flag an address as opted out or (un)reachable; stopping one cancels its queued bulk.

    Returns the address id, or None when the address is unknown.
    """
    found = (await session.execute(
        select(ChannelAddress).where(col(ChannelAddress.channel) == channel,
                                     col(ChannelAddress.address) == address))).scalar_one_or_none()
    if found is None or found.id is None:
        return None
    if opted_out is not None:
        found.opted_out = opted_out
    if unreachable is not None:
        found.unreachable = unreachable
    if opted_out or unreachable:
        await cancel_queued(session, found.id, bulk_only=True)
    return found.id


async def sent_by_provider_id(session: AsyncSession, channels: list[str],
                              provider_message_id: str) -> Outbox | None:
    """The outbox row one of `channels` knows by this id (for delivery status callbacks:
    one provider's channels share its ids)."""
    result = await session.execute(
        select(Outbox).where(col(Outbox.channel).in_(channels),
                             col(Outbox.provider_message_id) == provider_message_id).limit(1))
    return result.scalar_one_or_none()
