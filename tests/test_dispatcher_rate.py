"""No 1-second window at the fake provider ever holds more sends than the configured rate.

The fakes enforce the same limits (429 when broken) and count every accepted send; the
dispatcher runs as in `jobbtorg serve` (its run loop) until the queue is empty. Kept to a
few seconds each.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from storage.models import ChannelAddress, Contact, Outbox
from storage.queue import BULK, REPLY
from tests.fakes import FakeTelegram, FakeTwilio
from tests.fakes.wiring import Wired, wired


async def fill(w: Wired, channel: str, addresses: list[str], priority: int = BULK) -> None:
    """One queued message per entry (an address may repeat), in one transaction."""
    now = datetime.now(UTC)
    async with w.services.db.transaction() as session:
        known: dict[str, ChannelAddress] = {}
        for value in addresses:
            if value not in known:
                contact = Contact(created_at=now)
                session.add(contact)
                await session.flush()
                known[value] = ChannelAddress(contact_id=contact.id, channel=channel,
                                              address=value, created_at=now)
                session.add(known[value])
                await session.flush()
            session.add(Outbox(channel=channel, to_address=value, address_id=known[value].id,
                               text=f"Hej {value}", priority=priority, created_at=now,
                               next_attempt_at=now))


async def run_until_sent(w: Wired, total: int, limit_seconds: float) -> None:
    stop = asyncio.Event()
    runner = asyncio.create_task(w.services.dispatcher.run(stop))
    try:
        async with asyncio.timeout(limit_seconds):
            while True:
                async with w.services.db.transaction() as session:
                    sent = (await session.execute(select(func.count()).select_from(Outbox).where(
                        Outbox.status == "sent"))).scalar_one()
                if sent >= total:
                    return
                await asyncio.sleep(0.1)
    finally:
        stop.set()
        await runner


async def test_telegram_sends_stay_within_30_a_second_and_1_per_chat(sqlite_url):
    async with FakeTelegram(overall_limit=30, per_chat_limit=1) as fake:
        async with wired(sqlite_url, telegram=fake, telegram_rate=30) as w:
            chats = [str(1000 + i) for i in range(66)] + ["7", "7", "7", "8", "8", "8"]
            await fill(w, "telegram", chats)
            await fill(w, "telegram", ["9"], priority=REPLY)
            await run_until_sent(w, len(chats) + 1, limit_seconds=12)
    assert fake.max_window_count(1.0) <= 30
    assert all(fake.max_window_count(1.0, chat_id=chat) <= 1 for chat in (7, 8))
    assert [r for r in fake.requests if r.status == 429] == []
    assert fake.sent[0].chat_id == 9  # the reply went before the bulk
    assert [s.text for s in fake.sent if s.chat_id == 7] == ["Hej 7"] * 3


async def test_sms_sends_stay_within_sms_mps(sqlite_url):
    async with FakeTwilio(overall_limit=4) as fake:
        async with wired(sqlite_url, twilio=fake, sms_mps=4) as w:
            numbers = [f"+4670123{i:04d}" for i in range(10)]
            await fill(w, "sms", numbers)
            await run_until_sent(w, len(numbers), limit_seconds=10)
    assert fake.max_window_count(1.0) <= 4
    assert [r for r in fake.requests if r.status == 429] == []
    assert len(fake.sent) == 10


async def test_a_fractional_sms_rate_spaces_messages_further_apart(sqlite_url):
    async with FakeTwilio() as fake:
        async with wired(sqlite_url, twilio=fake, sms_mps=2.5) as w:
            await fill(w, "sms", [f"+4670123{i:04d}" for i in range(5)])
            await run_until_sent(w, 5, limit_seconds=10)
    assert fake.max_window_count(1.0) <= 2
