"""Fault: providers that answer 20 % of sends with 5xx, time out on 10 % and refuse bursts
with 429. Every message must end sent or failed with a reason, each try on record.

The clock that stamps the database is moved to each retry's due time (the backoff of
15 s, 1 min, 4 min, 16 min), so the test runs the whole retry schedule in seconds; the
pauses a 429 asks for are real.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from bench.outreach_db import seed_people
from bot.outbox import MAX_ATTEMPTS
from storage.models import ChannelAddress, DeliveryAttempt, Outbox
from storage.queue import BULK, REPLY, enqueue
from tests.fakes import FakeTelegram, FakeTwilio
from tests.fakes.wiring import wired

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

PEOPLE = 300  # every second one by SMS
SEND_TIMEOUT = 0.5  # our senders give up this soon; the fakes hold a "time-out" longer
FAULTS = {"error_ratio": 0.2, "timeout_ratio": 0.1, "timeout_seconds": 1.5}


async def queued_rows(w) -> tuple[int, object]:
    async with w.services.db.transaction() as session:
        count, latest = (await session.execute(
            select(func.count(), func.max(Outbox.next_attempt_at))
            .where(Outbox.status == "queued"))).one()
    return count, latest


async def test_under_5xx_timeouts_and_429_bursts_every_message_ends_sent_or_failed_with_a_reason(
        database_url):
    async with FakeTelegram(seed=7, **FAULTS) as telegram, FakeTwilio(seed=8, **FAULTS) as twilio, \
            wired(database_url, telegram=telegram, twilio=twilio) as w:
        w.services.dispatcher.senders["telegram"].read_timeout = SEND_TIMEOUT  # type: ignore[attr-defined]
        w.services.dispatcher.senders["sms"].timeout = SEND_TIMEOUT  # type: ignore[attr-defined]
        await seed_people(w.services.db, PEOPLE, sms_every=2)
        now = w.services.clock.now()
        async with w.services.db.transaction() as session:
            addresses = list((await session.execute(select(ChannelAddress))).scalars())
            for address in addresses:
                if address.channel == "sms":  # a number the fake takes for a mobile one
                    address.address = f"+4670{address.contact_id:07d}"
            await session.flush()
            for n, address in enumerate(addresses):
                await enqueue(session, address, f"Hej {n}", now, priority=REPLY if n % 3 else BULK)
        blocked_chat = next(int(a.address) for a in addresses if a.channel == "telegram")
        stopped_number = next(a.address for a in addresses if a.channel == "sms")
        telegram.block_chat(blocked_chat)
        twilio.unsubscribe(stopped_number)
        for fake in (telegram, twilio):
            fake.fail_next(25, 429, retry_after=1)  # a burst at the start

        for round_number in range(2 * MAX_ATTEMPTS):
            await w.drain()
            left, latest = await queued_rows(w)
            if not left:
                break
            if round_number == 1:
                for fake in (telegram, twilio):
                    fake.fail_next(15, 429, retry_after=1)  # and another in the middle
            w.advance((latest - w.services.clock.now()).total_seconds() + 1)  # type: ignore[operator]
        assert (await queued_rows(w))[0] == 0

        async with w.services.db.transaction() as session:
            rows = list((await session.execute(select(Outbox))).scalars())
            tries = Counter(dict((await session.execute(
                select(DeliveryAttempt.outbox_id, func.count()).group_by(DeliveryAttempt.outbox_id))).all()))
            attempts = (await session.execute(
                select(DeliveryAttempt.outbox_id, DeliveryAttempt.detail))).all()
        details = [detail or "" for _, detail in attempts]
        assert len(rows) == PEOPLE
        assert Counter(row.status for row in rows).keys() <= {"sent", "failed"}
        accepted = Counter([str(m.chat_id) for m in telegram.sent] + [s.to for s in twilio.sent])
        # A send we stopped waiting for is one the provider may still have taken (a slow
        # answer on a loaded machine): the one double delivery no client can rule out. The
        # fakes' own time-outs (answered 504) never deliver, so at most the other tries we
        # timed out on can have been taken unseen.
        gave_up = Counter(outbox_id for outbox_id, detail in attempts if "timed out" in (detail or ""))
        held = Counter([str(c.chat_id) for c in telegram.requests if c.status == 504]
                       + [str(c.to) for c in twilio.requests if c.status == 504])
        for row in rows:
            assert tries[row.id] == row.attempts >= 1, row
            assert row.attempts <= MAX_ATTEMPTS
            taken_unseen = gave_up[row.id] - held[row.to_address]
            if row.status == "sent":
                assert row.provider_message_id and row.error is None
                assert 1 <= accepted[row.to_address] <= 1 + taken_unseen  # never resent after a success
            else:
                assert row.error, row  # failed, and it says why
                assert accepted[row.to_address] <= taken_unseen
        failed = {row.to_address: row.error for row in rows if row.status == "failed"}
        assert "blocked" in failed[str(blocked_chat)] and "21610" in failed[stopped_number]
        assert all(reason.startswith("gave up after") for address, reason in failed.items()
                   if address not in (str(blocked_chat), stopped_number))
        # The faults really happened, on both channels.
        assert any("timed out" in d for d in details)
        assert any("429" in d for d in details) and any("20429" in d or "twilio 429" in d
                                                        or "429 twilio" in d for d in details)
        assert any(d.startswith("network") for d in details)  # Telegram's 5xx
        assert any(d.startswith("500 twilio") for d in details)
        print(f"\n{Counter(row.status for row in rows)}; tries {Counter(row.attempts for row in rows)}")
