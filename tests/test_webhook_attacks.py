"""Requests an attacker would try (webhooks, simulator, dashboard): a 4xx, never a 500,
and nothing changes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from string import Template
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from storage.models import ChannelAddress, Contact, InboundMessage
from storage.places import unit_by_slug
from tests.fakes import FakeTelegram, FakeTwilio, sign
from tests.fakes.wiring import (
    PUBLIC_URL,
    SECRET,
    SMS_PATH,
    STATUS_PATH,
    Wired,
    sms_form,
    wired,
)
from tests.staff_web import PASSWORDS, csrf_in, login, post

pytestmark = pytest.mark.storage  # on SQLite and PostgreSQL alike

ATTACKER = "+46701234567"
VICTIM = "+46709876543"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as server:
        yield server


@pytest.fixture
async def sms(database_url: str, fake: FakeTwilio) -> AsyncIterator[Wired]:
    async with wired(database_url, twilio=fake) as running:
        yield running


async def count(w: Wired, table: type) -> int:
    async with w.services.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def test_fields_put_in_front_of_a_captured_signed_body_are_refused(sms, fake):
    captured = sms_form("SM-own", ATTACKER, "hej")
    signature = sign(fake.auth_token, PUBLIC_URL + SMS_PATH, captured)
    forged = [("From", VICTIM), ("Body", "RADERA"), ("MessageSid", "SM-new"), *captured.items()]
    response = await sms.client.post(SMS_PATH, data=urlencode(forged),
                                     headers={**FORM, "X-Twilio-Signature": signature})
    assert 400 <= response.status < 500
    assert await count(sms, InboundMessage) == 0 and await count(sms, ChannelAddress) == 0


async def test_a_repeated_field_the_bot_reads_is_refused_even_when_signed(sms, fake):
    pairs = {**sms_form("SM-rep", ATTACKER, "hej"), "Body": ["hej", "RADERA"]}
    signature = sign(fake.auth_token, PUBLIC_URL + SMS_PATH, pairs)
    body = [(key, item) for key, value in pairs.items()
            for item in ([value] if isinstance(value, str) else value)]
    response = await sms.client.post(SMS_PATH, data=urlencode(body),
                                     headers={**FORM, "X-Twilio-Signature": signature})
    assert response.status == 400
    assert await count(sms, InboundMessage) == 0


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/x-www-form-urlencoded", b"From=%2B46701234567&Body=%FF%FE&MessageSid=SM1"),
    ("application/x-www-form-urlencoded", b"From=+46701234567&Body=\xff\xfe&MessageSid=SM1"),
    ("application/x-www-form-urlencoded; charset=klingon", b"From=%2B46701234567&MessageSid=SM1"),
    ("multipart/form-data; boundary=x", b"--x--"),
])
async def test_a_body_that_is_no_utf8_form_is_a_400_before_the_signature(sms, content_type, body):
    response = await sms.client.post(SMS_PATH, data=body, headers={"Content-Type": content_type})
    assert response.status == 400
    assert await count(sms, InboundMessage) == 0


async def test_a_status_with_a_5000_digit_error_code_is_answered_without_a_500(sms, fake):
    form = {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "9" * 5000}
    assert (await sms.sms_post(STATUS_PATH, form)).status == 200


async def test_a_sid_longer_than_any_twilio_sid_is_a_400(sms):
    response = await sms.sms_post(SMS_PATH, sms_form("SM" + "1" * 200, ATTACKER, "hej"))
    assert response.status == 400
    assert await count(sms, InboundMessage) == 0


# -- Telegram ------------------------------------------------------------------------------

@pytest.fixture
async def telegram(database_url: str) -> AsyncIterator[Wired]:
    async with FakeTelegram() as api, wired(database_url, telegram=api) as running:
        yield running


def raw_update(update_id: Any = 1, chat_id: Any = 7001, from_id: Any = 7001,
               text: str = "hej") -> str:
    """An update as JSON text, so that ids and escapes are exactly what is written."""
    return Template('{"update_id": $update, "message": {"message_id": 1, "date": 1700000000, '
                    '"text": "$text", "from": {"id": $sender, "is_bot": false, "first_name": "T"}, '
                    '"chat": {"id": $chat, "type": "private"}}}').substitute(
        update=update_id, text=text, sender=from_id, chat=chat_id)


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,
    raw_update(text="hej \\ud800 d\\u00e5"),
    raw_update(from_id=2 ** 63),
    raw_update(from_id=-(2 ** 63) - 1),
    raw_update(chat_id="1" * 100, from_id="1" * 100),
    raw_update(update_id="9" * 100),
], ids=["nested", "lone-surrogate", "from-2^63", "from-below", "chat-100-digits", "update-100-digits"])
async def test_odd_telegram_updates_get_a_4xx_or_are_handled(telegram, body):
    response = await telegram.client.post("/webhooks/telegram", data=body.encode(), headers={
        "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status in (200, 400), await response.text()


# -- the simulator and the dashboard ------------------------------------------------------

@pytest.mark.parametrize(("path", "body"), [
    ("/sim/api/messages", "[" * 100_000 + "]" * 100_000),
    ("/sim/api/messages", '{"user": "u\\ud800", "channel": "sms", "text": "hej"}'),
    ("/sim/api/clock", '{"advance_seconds": NaN}'),
    ("/sim/api/clock", '{"advance_seconds": Infinity}'),
])
async def test_odd_simulator_requests_get_a_400(client, path, body):
    response = await client.post(path, data=body.encode(),
                                 headers={"Content-Type": "application/json"})
    assert response.status == 400, await response.text()


async def test_a_lone_surrogate_in_a_simulator_text_is_answered(client):
    response = await client.post("/sim/api/messages", data=b'{"user": "u1", "channel": "sms", '
                                 b'"text": "hej \\udc00"}', headers={"Content-Type": "application/json"})
    assert response.status == 200, await response.text()


@pytest.mark.parametrize("path", ["/staff/contacts/99999999999", "/staff/contacts/%C2%B2",
                                  "/staff/contacts?q=99999999999", "/staff/contacts?q=%2399999999999"])
async def test_ids_no_table_can_hold_are_not_found_not_a_500(client, path):
    await login(client, "admin")
    response = await client.get(path)
    assert response.status in (200, 404), await response.text()


async def test_a_closure_on_9999_12_31_is_refused_not_a_500(client, services):
    await login(client, "admin")
    async with services.db.transaction() as session:
        unit = await unit_by_slug(session, "jarva")
    response = await post(client, f"/staff/admin/hours/{unit.id}/closures",
                          {"first": "9999-12-31", "last": "9999-12-31"})
    assert response.status == 303 and "error=" in response.headers["Location"]


@pytest.mark.parametrize("field", ["next", "back"])
async def test_cr_or_lf_in_a_return_address_is_a_400(client, services, field):
    if field == "next":
        token = csrf_in(await (await client.get("/staff/login")).text())
        response = await client.post("/staff/login", allow_redirects=False, data={
            "csrf": token, "username": "admin", "password": PASSWORDS["admin"],
            "next": "/staff/\r\nSet-Cookie: evil=1"})
    else:
        await login(client, "admin")
        async with services.db.transaction() as session:
            contact = Contact(created_at=services.clock.now())
            session.add(contact)
        response = await post(client, f"/staff/contacts/{contact.id}/enrol",
                              {"back": "/staff/visits\r\nSet-Cookie: evil=1"})
    assert response.status == 400
    assert "evil" not in response.headers.get("Set-Cookie", "")
