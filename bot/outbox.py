"""The dispatcher: the only code that sends messages to people, from the outbox table.

It claims queued rows with a lease, hands each to its channel's Sender, and records the
outcome. Replies (priority 0) go before bulk (priority 1).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from storage.db import Database
from storage.models import DeliveryAttempt, Outbox
from storage.people import dialect

log = logging.getLogger("jobbtorg.outbox")

LEASE = timedelta(seconds=60)


@dataclass
class SendResult:
    """What a Sender reports for one message."""

    outcome: str  # sent, retry, rate-limited, failed, blocked
    provider_message_id: str | None = None
    retry_after: float | None = None  # seconds, from a 429
    detail: str | None = None


class Sender(Protocol):
    """Delivers one outbox row over one channel. Implemented in bot/channels/."""

    async def send(self, row: Outbox) -> SendResult: ...


class SimSender:
    """The simulator channel: the message is 'delivered' the moment it is sent."""

    async def send(self, row: Outbox) -> SendResult:
        return SendResult("sent", provider_message_id=f"sim-{row.id}")


async def claim(session: AsyncSession, clock: Clock, channels: list[str], limit: int) -> list[Outbox]:
    """Lease up to `limit` ready rows of the given channels, replies first."""
    now = clock.now()
    statement = (
        select(Outbox)
        .where(Outbox.status == "queued", Outbox.next_attempt_at <= now,
               Outbox.channel.in_(channels))  # type: ignore[attr-defined]
        .where((Outbox.lease_until.is_(None)) | (Outbox.lease_until < now))  # type: ignore[union-attr]
        .order_by(Outbox.priority, Outbox.id)  # type: ignore[arg-type]
        .limit(limit)
    )
    if dialect(session) == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    rows = list((await session.execute(statement)).scalars())
    for row in rows:
        row.lease_until = now + LEASE
    return rows


class Dispatcher:
    """Sends queued messages through the Sender of each channel."""

    def __init__(self, db: Database, clock: Clock, senders: dict[str, Sender]) -> None:
        self.db = db
        self.clock = clock
        self.senders = senders

    async def drain(self, channels: list[str] | None = None, batch: int = 100) -> int:
        """Send everything ready now on the given channels (all by default). Returns count."""
        names = channels or list(self.senders)
        total = 0
        while True:
            async with self.db.transaction() as session:
                rows = await claim(session, self.clock, names, batch)
            if not rows:
                return total
            for row in rows:
                await self.deliver(row)
            total += len(rows)

    async def deliver(self, row: Outbox) -> None:
        result = await self.senders[row.channel].send(row)
        now = self.clock.now()
        async with self.db.transaction() as session:
            stored = await session.get(Outbox, row.id)
            if stored is None:
                return
            stored.attempts += 1
            stored.lease_until = None
            session.add(DeliveryAttempt(outbox_id=stored.id, at=now, outcome=result.outcome,  # type: ignore[arg-type]
                                        detail=result.detail))
            if result.outcome == "sent":
                stored.status = "sent"
                stored.sent_at = now
                stored.provider_message_id = result.provider_message_id
                if stored.ephemeral:  # the person was erased: keep no trace of what was sent
                    stored.text, stored.to_address, stored.options = "", "", []
                    stored.attachment = None
            else:
                stored.status = "failed"
                stored.error = result.detail

    async def run(self, stop: asyncio.Event, idle: float = 0.2) -> None:
        """Keep sending until told to stop."""
        while not stop.is_set():
            try:
                sent = await self.drain()
            except Exception:
                log.exception("dispatch_failed", extra={"event": "dispatch_failed"})
                sent = 0
            if not sent:
                try:
                    await asyncio.wait_for(stop.wait(), idle)
                except TimeoutError:
                    pass
