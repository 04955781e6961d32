"""Webhook posts an attacker would try: each gets a 4xx (never a 500) and changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from storage.models import ChannelAddress, InboundMessage
from tests.fakes import FakeTwilio, sign
from tests.fakes.wiring import PUBLIC_URL, SMS_PATH, STATUS_PATH, Wired, sms_form, wired

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
