"""Logs are JSON lines with an event name and never carry a number, a chat id or a text."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from bot.logs import redact, setup_logging
from tests.fakes import FakeTelegram, FakeTwilio
from tests.fakes.wiring import SMS_PATH, STATUS_PATH, press_update, sms_form, text_update, wired
from tests.sim import SimPerson

CHAT_ID = 7_004_321_987
NUMBER = "+46701234987"
# Words no code path has any reason to log; finding one means a message text leaked.
SECRET_WORDS = ["Zlatanbergsson", "Kvarnholmsvagen", "hemlighetsfull"]
EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Everything logged, formatted as in production (INFO; our own loggers at DEBUG)."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    ours = logging.getLogger("jobbtorg")
    saved_ours = ours.level
    stream = io.StringIO()
    setup_logging("INFO", stream)
    ours.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        ours.setLevel(saved_ours)


def needles(*extra: str) -> list[str]:
    digits = NUMBER.lstrip("+")
    return [NUMBER, digits, digits[2:], "0" + digits[2:], str(CHAT_ID), *SECRET_WORDS, *extra]


def assert_clean(output: str, *extra: str) -> list[dict]:
    lines = [line for line in output.splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    for entry in entries:
        assert entry.get("event"), entry
        if entry["logger"].startswith("jobbtorg"):
            assert EVENT_NAME.match(entry["event"]), entry
    for needle in needles(*extra):
        assert needle not in output, f"{needle!r} found in the logs"
    return entries


async def test_webhook_traffic_and_sending_log_events_without_numbers_ids_or_texts(
        database_url, captured):
    async with FakeTelegram() as telegram, FakeTwilio() as twilio, \
            wired(database_url, telegram=telegram, twilio=twilio) as w:
        update_id = 100
        for text in ["hej", "Svenska", "ja", "22", "Rinkeby", SECRET_WORDS[0], "jobb"]:
            update_id += 1
            assert (await w.update(text_update(update_id, CHAT_ID, text))).status == 200
        await w.update(press_update(update_id + 1, CHAT_ID, "sv", message_id=1))
        await w.update(text_update(update_id, CHAT_ID, "hej"))  # a replay
        assert (await w.update(text_update(999, CHAT_ID, "hej"), secret="wrong")).status == 403
        for n, text in enumerate(["hej", "1", "1", "22", SECRET_WORDS[1], "2", SECRET_WORDS[2]]):
            response = await w.sms_post(SMS_PATH, sms_form(f"SM{n:032d}", NUMBER, text))
            assert response.status == 200
        forged = await w.sms_post(SMS_PATH, sms_form("SM" + "f" * 32, NUMBER, SECRET_WORDS[0]),
                                  tamper={"Body": "changed after signing"})
        assert forged.status == 403
        # A provider whose error text names the number (Twilio's often do).
        twilio.fail_next(1, 400, code=21211, description=f"The 'To' number {NUMBER} is not valid")
        telegram.fail_next(1, 400, description=f"Bad Request: chat {CHAT_ID} not found")
        await w.drain()
        sid = twilio.sent[0].sid if twilio.sent else "SM" + "0" * 32
        await w.sms_post(STATUS_PATH, {"MessageSid": sid, "MessageStatus": "undelivered",
                                       "ErrorCode": "30006", "To": NUMBER})
    entries = assert_clean(captured.getvalue())
    events = {entry["event"] for entry in entries}
    assert "twilio_signature_refused" in events and "delivery_not_sent" in events


async def test_onboarding_in_the_simulator_logs_nothing_personal(client, captured):
    person = SimPerson(client, str(CHAT_ID), "telegram")
    await person.onboard()
    await person.send(SECRET_WORDS[0])
    texter = SimPerson(client, NUMBER, "sms")
    await texter.onboard()
    await texter.send(SECRET_WORDS[1])
    await texter.send("radera")
    await texter.send("ja")
    assert_clean(captured.getvalue())


@pytest.mark.parametrize(("value", "expected"), [
    ("400 twilio 21211: The 'To' number +46 70-123 45 67 is not valid", "400 twilio 21211: "
     "The 'To' number [number] is not valid"),
    ("Bad Request: chat 7004321987 not found", "Bad Request: chat [number] not found"),
    ("gave up after 5 attempts: 503", "gave up after 5 attempts: 503"),
    ("due 2026-11-24", "due 2026-11-24"),
    (["+46701234567", {"to": "46701234567"}], ["[number]", {"to": "[number]"}]),
    (1234567, 1234567),  # ids in integer fields are row ids, kept
])
def test_redaction_hides_long_numbers_in_strings_only(value, expected):
    assert redact(value) == expected


def test_a_log_call_with_a_number_in_its_extra_fields_is_redacted(captured):
    logging.getLogger("jobbtorg.test").warning(
        "send_failed", extra={"event": "send_failed", "error": f"403 chat {CHAT_ID} blocked"})
    entry = json.loads(captured.getvalue())
    assert entry == {**entry, "event": "send_failed", "level": "warning",
                     "error": "403 chat [number] blocked"}
