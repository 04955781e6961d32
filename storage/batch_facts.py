"""What a batch of inbound messages must know before it locks anyone, in one statement.

Every batch asks three things: which messages were recorded before (repeat deliveries),
which senders are staff, and who has an open hand-off request. Asked one by one they cost
three round trips to the database; as one UNION ALL they cost one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, literal, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import HandoffRequest, InboundMessage, StaffUser
from storage.people import ProviderKey, in_pairs


@dataclass
class BatchFacts:
    seen: set[ProviderKey]  # (channel, provider id) of messages recorded before
    staff: set[int]  # the senders (Telegram user ids) who are active staff
    open_requests: set[int]  # contacts with a hand-off request in one of the open statuses


async def batch_facts(session: AsyncSession, keys: list[ProviderKey], senders: set[int],
                      open_statuses: tuple[str, ...]) -> BatchFacts:
    """The facts for a batch: `keys` of its messages, `senders` that might be staff."""
    parts: list[Any] = [
        select(literal("open"), literal(""),
               cast(col(HandoffRequest.contact_id), String))
        .where(col(HandoffRequest.status).in_(open_statuses))]
    if keys:
        parts.append(
            select(literal("seen"), col(InboundMessage.channel), col(InboundMessage.provider_id))
            .where(in_pairs(InboundMessage.channel, InboundMessage.provider_id, keys)))
    if senders:
        parts.append(
            select(literal("staff"), literal(""), cast(col(StaffUser.telegram_user_id), String))
            .where(col(StaffUser.telegram_user_id).in_(senders), col(StaffUser.active).is_(True)))
    facts = BatchFacts(set(), set(), set())
    for kind, first, second in (await session.execute(union_all(*parts))).all():
        if kind == "seen":
            facts.seen.add((first, second))
        elif kind == "staff":
            facts.staff.add(int(second))
        else:
            facts.open_requests.add(int(second))
    return facts
