"""POST /webhooks/twilio/sms and /status: signatures, numbers, WhatsApp, statuses, senders."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.channels.sms import sender_problem
from bot.channels.twilio_common import STATUSES, classify_error
from handlers.phone import e164
from storage.models import ChannelAddress, InboundMessage, Outbox
from tests.fakes import FakeTwilio, sign
from tests.fakes.wiring import PUBLIC_URL, SMS_PATH, STATUS_PATH, Wired, sms_form, wired

PERSON = "+46701234567"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as server:
        yield server


@pytest.fixture
async def sms(sqlite_url: str, fake: FakeTwilio) -> AsyncIterator[Wired]:
    async with wired(sqlite_url, twilio=fake) as running:
        yield running


async def count(w: Wired, table: type) -> int:
    async with w.services.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def test_a_signed_sms_is_handled_and_answered_through_the_outbox(sms, fake):
    response = await sms.sms_post(SMS_PATH, sms_form("SM1", PERSON, "hej"))
    assert response.status == 200
    assert await response.text() == '<?xml version="1.0" encoding="UTF-8"?><Response />'
    await sms.drain()
    assert fake.bodies(PERSON) and "Jobbtorg" in fake.bodies(PERSON)[0]
    assert {s.status_callback for s in fake.sent} == {PUBLIC_URL + STATUS_PATH}
    assert {s.from_ for s in fake.sent} == {"+46766860000"}


@pytest.mark.parametrize("path", [SMS_PATH, STATUS_PATH])
@pytest.mark.parametrize("how", ["missing", "other-token", "other-url", "tampered", "added-field"])
async def test_unsigned_or_tampered_posts_are_refused_and_nothing_is_stored(sms, fake, path, how):
    form = sms_form("SM1", PERSON, "hej") if path == SMS_PATH else {
        "MessageSid": "SM1", "MessageStatus": "delivered"}
    headers = {}
    body = dict(form)
    if how == "other-token":
        headers["X-Twilio-Signature"] = sign("not-the-token", PUBLIC_URL + path, form)
    elif how == "other-url":
        headers["X-Twilio-Signature"] = sign(fake.auth_token, "https://evil.example" + path, form)
    elif how in ("tampered", "added-field"):
        headers["X-Twilio-Signature"] = sign(fake.auth_token, PUBLIC_URL + path, form)
        body["Body" if how == "tampered" else "Extra"] = "changed"
    response = await sms.client.post(path, data=body, headers=headers)
    assert response.status == 403
    assert await count(sms, InboundMessage) == 0 and await count(sms, ChannelAddress) == 0


@pytest.mark.storage  # end-to-end on PostgreSQL too
async def test_the_same_message_sid_twice_is_handled_once(database_url, fake):
    async with wired(database_url, twilio=fake) as w:
        for _ in range(2):
            assert (await w.sms_post(SMS_PATH, sms_form("SMdup", PERSON, "hej"))).status == 200
        assert await count(w, InboundMessage) == 1
        await w.drain()
        assert len(fake.bodies(PERSON)) == 2  # welcome and language question, once


@pytest.mark.parametrize("sender", ["0701234567", "070-123 45 67", "+46 70 123 45 67", "46701234567"])
async def test_swedish_numbers_in_any_form_are_one_person_in_e164(sms, sender):
    assert (await sms.sms_post(SMS_PATH, sms_form("SM-" + sender, sender, "hej"))).status == 200
    async with sms.services.db.transaction() as session:
        assert (await session.execute(select(ChannelAddress.address))).scalar_one() == PERSON


@pytest.mark.parametrize("sender", ["12345", "not a number", "+4670", "+999123456789"])
async def test_an_invalid_sender_is_dropped_with_a_200_and_not_logged(sms, sender, caplog):
    response = await sms.sms_post(SMS_PATH, sms_form("SMbad", sender, "hej"))
    assert response.status == 200
    assert await count(sms, InboundMessage) == 0
    assert all(sender not in record.getMessage() and sender not in str(record.__dict__)
               for record in caplog.records)


async def test_whatsapp_posts_are_acknowledged_and_never_answered_by_sms(sms, fake):
    form = sms_form("SMwa", "whatsapp:" + PERSON, "hej", to="whatsapp:+46766860000")
    assert (await sms.sms_post(SMS_PATH, form)).status == 200
    await sms.drain()
    assert await count(sms, InboundMessage) == 0 and fake.sent == []


async def test_a_post_without_from_or_sid_is_a_400(sms):
    assert (await sms.sms_post(SMS_PATH, {"Body": "hej", "MessageSid": "SM1"})).status == 400
    assert (await sms.sms_post(SMS_PATH, {"Body": "hej", "From": PERSON})).status == 400


async def test_a_picture_without_words_gets_the_cannot_read_answer(sms):
    form = {**sms_form("SMmms", PERSON, ""), "NumMedia": "1", "MediaUrl0": "https://x/y.jpg"}
    assert (await sms.sms_post(SMS_PATH, form)).status == 200
    async with sms.services.db.transaction() as session:
        kind = (await session.execute(select(InboundMessage.kind))).scalar_one()
    assert kind == "media"


@pytest.mark.parametrize("status", sorted(STATUSES))
async def test_every_documented_status_is_accepted(sms, status):
    response = await sms.sms_post(STATUS_PATH, {"MessageSid": "SMx", "MessageStatus": status})
    assert response.status == 200


@pytest.mark.parametrize("status", ["huh", "", "DELIVERED", "delivered "])
async def test_any_other_status_is_a_400(sms, status):
    response = await sms.sms_post(STATUS_PATH, {"MessageSid": "SMx", "MessageStatus": status})
    assert response.status == 400


async def test_a_late_sent_status_never_undoes_delivered(sms):
    async with sms.services.db.transaction() as session:
        now = sms.services.clock.now()
        row = Outbox(channel="sms", to_address=PERSON, text="Hej", status="sent",
                     provider_message_id="SMlate", created_at=now, next_attempt_at=now)
        session.add(row)
    for status in ("delivered", "sent"):
        await sms.sms_post(STATUS_PATH, {"MessageSid": "SMlate", "MessageStatus": status})
    async with sms.services.db.transaction() as session:
        assert (await session.get(Outbox, row.id)).status == "delivered"  # type: ignore[union-attr]


async def test_signatures_use_the_forwarded_host_only_when_trusted_and_no_public_url(sqlite_url, fake):
    form = sms_form("SMproxy", PERSON, "hej")
    url = "https://proxy.example.se" + SMS_PATH
    headers = {"X-Twilio-Signature": sign(fake.auth_token, url, form),
               "X-Forwarded-Proto": "https", "X-Forwarded-Host": "proxy.example.se"}
    async with wired(sqlite_url, twilio=fake, public_url="", trust_proxy=True) as w:
        assert (await w.client.post(SMS_PATH, data=form, headers=headers)).status == 200
    async with wired(sqlite_url, twilio=fake, public_url="", trust_proxy=False) as w:
        assert (await w.client.post(SMS_PATH, data=form, headers=headers)).status == 403


@pytest.mark.parametrize("value, refused", [
    ("+46766860000", False),
    ("MG" + "a" * 32, False),
    ("72000", False),  # a short code
    ("Jobbtorg", True),
    ("STHLM STAD", True),
    ("Jobb2025", True),
    ("0766860000", False),
    ("+4676", True),
    ("", False),
])
def test_an_alphanumeric_sender_is_refused_because_nobody_can_reply(value, refused):
    assert (sender_problem(value) is not None) is refused


@pytest.mark.parametrize("number, expected", [
    ("0701234567", "+46701234567"),
    ("+14133881111", "+14133881111"),
    ("+46 8 508 000 00", "+46850800000"),
    ("hej", None),
    ("", None),
])
def test_numbers_are_normalised_to_e164_with_sweden_as_the_default(number, expected):
    assert e164(number) == expected


@pytest.mark.parametrize("status, code, outcome", [
    (400, 21610, "opted-out"),
    (400, 21614, "unreachable"),
    (400, 21211, "unreachable"),
    (429, 20429, "rate-limited"),
    (400, 63018, "rate-limited"),
    (500, 20500, "retry"),
    (503, None, "retry"),
    (401, 20003, "retry"),
    (400, 21602, "failed"),
    (400, 21617, "failed"),
])
def test_twilio_errors_are_classified(status, code, outcome):
    assert classify_error(status, code, "x").outcome == outcome


@pytest.mark.parametrize("overrides, refused", [
    ({"twilio_from": "Jobbtorg"}, "alphanumeric"),
    ({"public_url": ""}, "JOBBTORG_PUBLIC_URL"),
    ({"public_url": "", "trust_proxy": True}, None),
    ({}, None),
])
async def test_serve_refuses_an_sms_set_up_that_cannot_work(overrides, refused):
    from bot.root import CHANNEL_MODULES
    from bot.serve import check_channels
    from bot.settings import load_settings

    values = {"twilio_account_sid": "AC" + "0" * 32, "twilio_auth_token": "t",
              "twilio_from": "+46766860000", "public_url": PUBLIC_URL, **overrides}
    settings = load_settings(**values)
    if refused is None:
        await check_channels(settings, CHANNEL_MODULES)
        return
    with pytest.raises(SystemExit, match=refused):
        await check_channels(settings, CHANNEL_MODULES)


@pytest.mark.parametrize("secret, polling, refused", [
    ("", False, True), ("bad secret", False, True), ("ok_secret-1", False, False), ("", True, False)])
def test_serve_refuses_a_telegram_webhook_without_a_usable_secret(secret, polling, refused):
    from bot.channels.telegram import check_telegram_secret
    from bot.settings import load_settings

    settings = load_settings(telegram_token="1:x", telegram_webhook_secret=secret)
    if refused:
        with pytest.raises(SystemExit, match="TELEGRAM_WEBHOOK_SECRET"):
            check_telegram_secret(settings, polling)
    else:
        check_telegram_secret(settings, polling)
