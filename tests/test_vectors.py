"""Every real payload in tests/vectors/courier gets what its README says.

Ids repeat across vectors, so each vector runs with its own update id / MessageSid (and
its own chat or number), which keeps deduplication from swallowing the rest.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.channels.telegram import CONTENT_KINDS
from messages import Texts
from storage.models import ChannelAddress, Contact, DeliveryAttempt, InboundMessage, Outbox
from tests.fakes import FakeTelegram, FakeTwilio
from tests.fakes.wiring import SMS_PATH, STATUS_PATH, Wired, wired

HERE = Path(__file__).parent / "vectors" / "courier"
SHARED = Path(__file__).parents[2] / "shared" / "vectors" / "courier"
TELEGRAM = json.loads((HERE / "telegram_updates.json").read_text())["updates"]
TWILIO = json.loads((HERE / "twilio_forms.json").read_text())["forms"]
INBOUND_SMS = {name: form for name, form in TWILIO.items() if "MessageStatus" not in form}
STATUSES = {name: form for name, form in TWILIO.items() if "MessageStatus" in form}


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Wired]:
    async with FakeTelegram() as telegram, FakeTwilio() as twilio:
        async with wired(sqlite_url, telegram=telegram, twilio=twilio) as running:
            yield running


async def count(w: Wired, table: type) -> int:
    async with w.services.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def queued_texts(w: Wired) -> list[str]:
    async with w.services.db.transaction() as session:
        return list((await session.execute(select(Outbox.text).order_by(Outbox.id))).scalars())


def with_fresh_ids(update: dict[str, Any], number: int) -> dict[str, Any]:
    """The update with its own update_id and chat, so vectors never collide."""
    update = json.loads(json.dumps(update))
    update["update_id"] = 1000 + number
    message = update.get("message")
    if isinstance(message, dict):
        message.setdefault("chat", {})["id"] = 5000 + number
        message.setdefault("from", {})["id"] = 5000 + number
    return update


@pytest.mark.skipif(not SHARED.exists(), reason="no ../shared/vectors next to this clone")
@pytest.mark.parametrize("name", ["telegram_updates.json", "twilio_forms.json", "README.md"])
def test_the_vectors_are_a_faithful_copy_of_the_shared_ones(name):
    assert (HERE / name).read_bytes() == (SHARED / name).read_bytes()


@pytest.mark.parametrize("name", sorted(TELEGRAM))
async def test_every_telegram_vector_is_read_and_answered(bot, name):
    number = sorted(TELEGRAM).index(name)
    update = with_fresh_ids(TELEGRAM[name], number)
    response = await bot.update(update)
    assert response.status == 200
    message = update.get("message")
    texts = await queued_texts(bot)
    if message is None:
        assert texts == [] and await count(bot, InboundMessage) == 0
        return
    assert await count(bot, InboundMessage) == 1
    if "text" in message:
        assert texts and "Jobbtorg" in texts[0]  # the conversation started
    else:
        assert any(kind in message for kind in CONTENT_KINDS)
        assert Texts("sv")("common.cannot_read") in texts  # a kind word on what the bot reads
    # Nothing but the chat id is kept of the sender: no names or usernames.
    async with bot.services.db.transaction() as session:
        assert (await session.execute(select(ChannelAddress.address))).scalar_one() == str(5000 + number)


@pytest.mark.parametrize("name", sorted(TELEGRAM))
async def test_every_telegram_vector_without_the_secret_is_refused(bot, name):
    assert (await bot.update(TELEGRAM[name], secret=None)).status == 403
    assert await count(bot, InboundMessage) == 0


def fresh_form(form: dict[str, str], number: int) -> dict[str, str]:
    form = dict(form)
    sid = f"SM{number:032x}"
    for key in ("MessageSid", "SmsSid", "SmsMessageSid"):
        if key in form:
            form[key] = sid
    return form


@pytest.mark.parametrize("name", sorted(INBOUND_SMS))
async def test_every_inbound_twilio_vector_gets_twiml_and_is_handled_once(bot, name):
    form = fresh_form(INBOUND_SMS[name], sorted(INBOUND_SMS).index(name))
    for _ in range(2):
        response = await bot.sms_post(SMS_PATH, form)
        assert response.status == 200
        assert response.content_type == "text/xml" and "<Response" in await response.text()
    whatsapp = form["From"].startswith("whatsapp:") or form["To"].startswith("whatsapp:")
    if whatsapp:  # not our channel, and never answered by SMS
        assert await count(bot, InboundMessage) == 0 and await count(bot, Outbox) == 0
        return
    assert await count(bot, InboundMessage) == 1
    texts = await queued_texts(bot)
    assert texts, "the person gets an answer"
    await bot.drain()
    assert bot.twilio is not None and {s.to for s in bot.twilio.sent} == {"+14133881111"}


@pytest.mark.parametrize("name", sorted(TWILIO))
@pytest.mark.parametrize("problem", ["unsigned", "tampered"])
async def test_every_twilio_vector_with_a_bad_signature_is_refused(bot, name, problem):
    path = STATUS_PATH if name in STATUSES else SMS_PATH
    form = TWILIO[name]
    response = await bot.sms_post(path, form, signed=problem != "unsigned",
                                  tamper={"Body": "changed"} if problem == "tampered" else None)
    assert response.status == 403
    assert await count(bot, InboundMessage) == 0 and await count(bot, DeliveryAttempt) == 0


async def sent_row(w: Wired, sid: str, to: str = "+12028831111", **extra: Any) -> int:
    """An SMS we sent earlier that Twilio knows by `sid`, plus a queued broadcast behind it."""
    async with w.services.db.transaction() as session:
        now = w.services.clock.now()
        contact = Contact(created_at=now)
        session.add(contact)
        await session.flush()
        address = ChannelAddress(contact_id=contact.id, channel="sms", address=to, created_at=now)
        session.add(address)
        await session.flush()
        row = Outbox(channel="sms", to_address=to, address_id=address.id, text="Hej",
                     status="sent", attempts=1, provider_message_id=sid, created_at=now,
                     next_attempt_at=now, sent_at=now, **extra)
        session.add(row)
        session.add(Outbox(channel="sms", to_address=to, address_id=address.id, text="Nyhet",
                           priority=1, created_at=now, next_attempt_at=now))
        await session.flush()
        assert row.id is not None
        return row.id


async def row_and_address(w: Wired, row_id: int) -> tuple[Outbox, ChannelAddress, list[str]]:
    async with w.services.db.transaction() as session:
        row = await session.get(Outbox, row_id)
        assert row is not None
        address = await session.get(ChannelAddress, row.address_id)
        assert address is not None
        others = list((await session.execute(
            select(Outbox.status).where(Outbox.id != row_id))).scalars())
        return row, address, others


@pytest.mark.parametrize("name, status, opted_out, bulk", [
    ("statusValid", "delivered", False, "queued"),
    ("statusRead", "read", False, "queued"),
    ("statusStop", "failed", True, "cancelled"),
    ("statusRateLimit", "queued", False, "queued"),
    ("tmsStatusExtra", "sent", False, "queued"),
])
async def test_every_status_vector_updates_the_message_it_names(bot, name, status, opted_out, bulk):
    form = STATUSES[name]
    row_id = await sent_row(bot, form["MessageSid"])
    response = await bot.sms_post(STATUS_PATH, form)
    assert response.status == 200
    row, address, others = await row_and_address(bot, row_id)
    assert row.status == status
    assert address.opted_out is opted_out
    assert others == [bulk]
    if name == "statusRateLimit":  # recorded as rate limited, and tried again later
        assert row.next_attempt_at > bot.services.clock.now()
        async with bot.services.db.transaction() as session:
            attempt = (await session.execute(select(DeliveryAttempt))).scalar_one()
        assert attempt.outcome == "rate-limited"


async def test_a_status_twilio_does_not_document_is_a_400_and_changes_nothing(bot):
    form = STATUSES["statusInvalid"]
    row_id = await sent_row(bot, form["MessageSid"])
    assert (await bot.sms_post(STATUS_PATH, form)).status == 400
    row, _, _ = await row_and_address(bot, row_id)
    assert row.status == "sent"


@pytest.mark.parametrize("name", sorted(set(STATUSES) - {"statusInvalid"}))
async def test_a_status_for_an_unknown_message_is_acknowledged_and_ignored(bot, name):
    assert (await bot.sms_post(STATUS_PATH, STATUSES[name])).status == 200
    assert await count(bot, DeliveryAttempt) == 0 and await count(bot, ChannelAddress) == 0
