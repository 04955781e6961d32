"""The dispatcher against the fakes: each fault, retries, stops, attachments, one claimer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.ratelimit import SlidingWindow
from storage.models import ChannelAddress, Contact, DeliveryAttempt, Outbox
from storage.queue import BULK, REPLY, claim_ready, enqueue
from tests.fakes import FakeTelegram, FakeTwilio
from tests.fakes.wiring import Wired, wired

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

PERSON = "+46701234567"
# Our time-out for a provider's answer: generous, as a loaded machine can take more than a
# second over the first request (a new connection); a held answer is held far longer.
SEND_TIMEOUT = 5.0
HELD = 30.0


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def twilio() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as server:
        yield server


@pytest.fixture
async def bot(sqlite_url: str, telegram: FakeTelegram, twilio: FakeTwilio) -> AsyncIterator[Wired]:
    async with wired(sqlite_url, telegram=telegram, twilio=twilio) as running:
        running.services.dispatcher.senders["telegram"].read_timeout = SEND_TIMEOUT  # type: ignore[attr-defined]
        running.services.dispatcher.senders["sms"].timeout = SEND_TIMEOUT  # type: ignore[attr-defined]
        yield running


async def queue(w: Wired, channel: str, address: str, text: str = "Hej", *,
                priority: int = REPLY, attachment: tuple[str, str, bytes] | None = None,
                ephemeral: bool = False) -> int:
    """Queue one message to `address`, creating the person the first time."""
    async with w.services.db.transaction() as session:
        now = w.services.clock.now()
        found = (await session.execute(select(ChannelAddress).where(
            ChannelAddress.channel == channel, ChannelAddress.address == address))).scalar_one_or_none()
        if found is None:
            contact = Contact(created_at=now)
            session.add(contact)
            await session.flush()
            found = ChannelAddress(contact_id=contact.id, channel=channel, address=address, created_at=now)
            session.add(found)
            await session.flush()
        row = await enqueue(session, found, text, now, priority=priority, attachment=attachment,
                            ephemeral=ephemeral, options=[{"key": "yes", "label": "Ja"}])
        assert row.id is not None
        return row.id


async def row(w: Wired, row_id: int) -> Outbox:
    async with w.services.db.transaction() as session:
        found = await session.get(Outbox, row_id)
        assert found is not None
        return found


async def outcomes(w: Wired, row_id: int) -> list[str]:
    async with w.services.db.transaction() as session:
        return list((await session.execute(select(DeliveryAttempt.outcome).where(
            DeliveryAttempt.outbox_id == row_id).order_by(DeliveryAttempt.id))).scalars())


async def address(w: Wired, channel: str, value: str) -> ChannelAddress:
    async with w.services.db.transaction() as session:
        return (await session.execute(select(ChannelAddress).where(
            ChannelAddress.channel == channel, ChannelAddress.address == value))).scalar_one()


async def test_a_telegram_message_goes_out_with_its_keyboard_and_is_recorded(bot, telegram):
    row_id = await queue(bot, "telegram", "42", "Vill du boka?")
    assert await bot.drain() == 1
    sent = telegram.sent[0]
    assert (sent.chat_id, sent.text) == (42, "Vill du boka?")
    assert sent.params["reply_markup"] == {"inline_keyboard": [[{"text": "Ja", "callback_data": "yes"}]]}
    stored = await row(bot, row_id)
    assert stored.status == "sent" and stored.provider_message_id == str(sent.message["message_id"])
    assert await outcomes(bot, row_id) == ["sent"]


@pytest.mark.parametrize("channel, to", [("telegram", "42"), ("sms", PERSON)])
async def test_a_429_is_honoured_and_the_message_sent_after_retry_after(bot, telegram, twilio, channel, to):
    fake = telegram if channel == "telegram" else twilio
    fake.fail_next(1, 429, retry_after=1)
    row_id = await queue(bot, channel, to)
    await bot.drain()
    stored = await row(bot, row_id)
    assert await outcomes(bot, row_id) == ["rate-limited"]
    assert stored.status == "queued" and stored.next_attempt_at >= stored.created_at + timedelta(seconds=1)
    bot.advance(2)
    await bot.drain()  # waits out the pause in real time, then sends
    assert (await row(bot, row_id)).status == "sent"
    assert await outcomes(bot, row_id) == ["rate-limited", "sent"]


@pytest.mark.parametrize("channel, to", [("telegram", "42"), ("sms", PERSON)])
@pytest.mark.parametrize("fault", ["500", "502", "timeout"])
async def test_server_errors_and_time_outs_are_retried_with_backoff(bot, telegram, twilio, channel, to,
                                                                    fault):
    fake = telegram if channel == "telegram" else twilio
    if fault == "timeout":
        fake.timeout_next(1, seconds=HELD)
    else:
        fake.fail_next(1, int(fault))
    row_id = await queue(bot, channel, to)
    await bot.drain()
    stored = await row(bot, row_id)
    wait = (stored.next_attempt_at - bot.services.clock.now()).total_seconds()
    assert stored.status == "queued" and 5 < wait <= 15  # the first backoff, with jitter
    bot.advance(16)
    await bot.drain()
    stored = await row(bot, row_id)
    assert stored.status == "sent" and stored.attempts == 2
    assert await outcomes(bot, row_id) == ["retry", "sent"]


async def test_after_five_failed_attempts_the_message_fails_with_the_reason(bot, telegram):
    telegram.fail_next(6, 503)
    row_id = await queue(bot, "telegram", "42")
    backoffs = []
    for _ in range(5):
        before = bot.services.clock.now()
        await bot.drain()
        stored = await row(bot, row_id)
        backoffs.append((stored.next_attempt_at - before).total_seconds())
        bot.advance(max(0.0, backoffs[-1]) + 1)
    stored = await row(bot, row_id)
    assert stored.status == "failed" and stored.attempts == 5
    assert "gave up after 5 attempts" in (stored.error or "")
    assert "Service Unavailable" in (stored.error or "")  # the last reason
    assert backoffs[1] > backoffs[0] and backoffs[2] > backoffs[1]  # the waits grow
    assert sum(backoffs[:4]) < 3600  # all five tries within the hour
    assert await outcomes(bot, row_id) == ["retry"] * 5


async def test_a_blocked_bot_marks_the_chat_unreachable_and_cancels_its_bulk(bot, telegram):
    telegram.block_chat(42)
    reply = await queue(bot, "telegram", "42", "Svar")
    bulk = await queue(bot, "telegram", "42", "Nyhetsbrev", priority=BULK)
    other = await queue(bot, "telegram", "43", "Nyhetsbrev", priority=BULK)
    await bot.drain()
    assert (await row(bot, reply)).status == "failed"
    assert await outcomes(bot, reply) == ["blocked"]
    assert (await row(bot, bulk)).status == "cancelled"
    assert (await row(bot, other)).status == "sent"
    assert (await address(bot, "telegram", "42")).unreachable


@pytest.mark.parametrize("mark, flag, outcome", [("unsubscribe", "opted_out", "opted-out"),
                                                 ("mark_not_mobile", "unreachable", "unreachable")])
async def test_twilio_stop_and_landline_errors_stop_sending_to_the_number(bot, twilio, mark, flag, outcome):
    getattr(twilio, mark)(PERSON)
    reply = await queue(bot, "sms", PERSON)
    bulk = await queue(bot, "sms", PERSON, "Nyhet", priority=BULK)
    await bot.drain()
    assert (await row(bot, reply)).status == "failed" and await outcomes(bot, reply) == [outcome]
    assert (await row(bot, bulk)).status == "cancelled"
    assert getattr(await address(bot, "sms", PERSON), flag)
    assert twilio.sent == []


async def test_bulk_to_a_stopped_address_is_cancelled_without_a_try(bot, twilio):
    bulk = await queue(bot, "sms", PERSON, "Nyhet", priority=BULK)
    async with bot.services.db.transaction() as session:
        found = (await session.execute(select(ChannelAddress))).scalar_one()
        found.opted_out = True
    await bot.drain()
    assert (await row(bot, bulk)).status == "cancelled" and twilio.requests == []


async def test_an_attachment_goes_as_a_telegram_document_and_is_skipped_by_sms(bot, telegram, twilio):
    ics = ("besok.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    on_telegram = await queue(bot, "telegram", "42", "", attachment=ics)
    on_sms = await queue(bot, "sms", PERSON, "", attachment=ics)
    await bot.drain()
    document = telegram.sent[0]
    assert document.method == "sendDocument"
    assert document.params["document"].filename == "besok.ics"
    assert document.params["document"].data == ics[2]
    assert (await row(bot, on_telegram)).status == "sent"
    assert (await row(bot, on_sms)).status == "cancelled" and twilio.sent == []


async def test_a_last_message_to_an_erased_person_leaves_no_trace_once_sent(bot):
    row_id = await queue(bot, "sms", PERSON, "Vi har raderat dig.", ephemeral=True)
    await bot.drain()
    stored = await row(bot, row_id)
    assert stored.status == "sent" and stored.text == "" and stored.to_address == ""


async def test_replies_are_claimed_before_bulk(database_url, telegram):
    async with wired(database_url, telegram=telegram) as w:
        bulk = [await queue(w, "telegram", str(100 + i), priority=BULK) for i in range(3)]
        reply = await queue(w, "telegram", "200")
        now = w.services.clock.now()
        async with w.services.db.transaction() as session:
            first = await claim_ready(session, now, ["telegram"], 1, now)
            rest = await claim_ready(session, now, ["telegram"], 10, now)
        assert [r.id for r in first] == [reply] and [r.id for r in rest] == bulk


async def test_two_dispatchers_on_one_queue_send_each_message_once(database_url, telegram):
    async with wired(database_url, telegram=telegram) as one, \
            wired(database_url, telegram=telegram) as two:
        ids = [await queue(one, "telegram", str(1000 + i)) for i in range(60)]
        sent = await asyncio.gather(one.drain(), two.drain())
        assert sum(sent) == 60
        assert sorted(s.chat_id for s in telegram.sent) == list(range(1000, 1060))
        assert {(await row(one, i)).status for i in ids} == {"sent"}


async def test_a_waiting_reply_overtakes_waiting_bulk_at_the_window():
    window = SlidingWindow(limit=1, period=60)
    await window.acquire()
    order: list[str] = []

    async def wait(name: str, priority: int) -> None:
        await window.acquire(priority)
        order.append(name)
        window.release_unused()

    waiters = [asyncio.create_task(wait("bulk-1", 1)), asyncio.create_task(wait("bulk-2", 1))]
    await asyncio.sleep(0)
    waiters.append(asyncio.create_task(wait("reply", 0)))
    await asyncio.sleep(0)
    window.release_unused()
    await asyncio.gather(*waiters)
    assert order == ["reply", "bulk-1", "bulk-2"]
