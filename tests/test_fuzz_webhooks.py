"""Property-based fuzzing of the edges: Telegram updates, Twilio forms, forged calls and the
simulator API. Whatever arrives, the answer is a 2xx, a 4xx or a 403, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram import NotAnUpdate, parse_update
from bot.channels.twilio_common import inbound_of
from handlers.base import Inbound
from tests.conftest import start_services
from tests.fakes import FakeTelegram, FakeTwilio
from tests.fakes.wiring import SMS_PATH, STATUS_PATH, wired
from tests.fuzzing import Loop, fuzz

# -- strategies ---------------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False) \
    | st.text(max_size=40)
any_json = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)
ids = st.one_of(st.integers(-10**13, 10**13), st.text(max_size=12), st.none(), st.booleans())


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value, or a key left out (None entries are dropped from the dicts below)."""
    return st.none() | strategy


def dict_of(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({k: maybe(v) for k, v in fields.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not None})


chat = dict_of(id=ids, type=st.sampled_from(["private", "group", "supergroup", "channel", ""]))
user = dict_of(id=ids, is_bot=st.booleans(), first_name=st.text(max_size=10))
message = dict_of(
    message_id=ids, chat=chat | any_json, text=st.text(max_size=200) | any_json,
    **{"from": user}, photo=st.just([{"file_id": "x"}]), sticker=st.just({"file_id": "s"}),
    voice=any_json, location=any_json, new_chat_members=any_json)
callback = dict_of(id=st.text(max_size=10) | any_json, data=st.text(max_size=64) | any_json,
                   message=message | any_json, **{"from": user})
member = dict_of(chat=chat, new_chat_member=dict_of(
    status=st.sampled_from(["kicked", "member", "left", "administrator", ""])))
updates = dict_of(update_id=ids, message=message, callback_query=callback,
                  my_chat_member=member, edited_message=message, poll=any_json)
telegram_bodies = st.one_of(updates.map(json.dumps), any_json.map(json.dumps),
                            st.binary(max_size=200).map(lambda b: b.decode("latin-1")))

numbers = st.one_of(st.sampled_from(["+46701234567", "0701234567", "+4670123", "whatsapp:+4670",
                                     "", "+1 (555) 010-0000", "Jobbtorg"]),
                    st.from_regex(r"\+467[0-9]{8}", fullmatch=True), st.text(max_size=20))
twilio_forms = st.fixed_dictionaries({
    "MessageSid": st.one_of(st.from_regex(r"SM[0-9a-f]{32}", fullmatch=True), st.text(max_size=40)),
    "From": numbers, "Body": st.text(max_size=400),
}, optional={"NumMedia": st.text(max_size=3), "To": numbers, "SmsSid": st.text(max_size=40)})
HEADER_CHARS = st.characters(min_codepoint=32, max_codepoint=126)  # what a header may carry
status_forms = st.fixed_dictionaries({
    "MessageSid": st.text(max_size=40),
    "MessageStatus": st.sampled_from(["sent", "delivered", "failed", "undelivered", "read", "bogus", ""]),
}, optional={"ErrorCode": st.text(max_size=6)})


# -- pure parsing ---------------------------------------------------------------------------

@fuzz("telegram_parse")
@given(body=st.one_of(updates, any_json))
def test_any_json_is_read_as_an_update_or_refused_as_none(body):
    try:
        event = parse_update(body)
    except NotAnUpdate:
        return
    assert event.action in ("message", "member", "ignore")
    if event.action == "message":
        assert isinstance(event.inbound, Inbound) and event.chat_id.lstrip("-").isdigit()


@fuzz("twilio_parse")
@given(form=twilio_forms)
def test_any_twilio_form_becomes_an_inbound(form):
    from multidict import MultiDict, MultiDictProxy

    inbound = inbound_of(MultiDictProxy(MultiDict(form)), 1600)
    assert inbound.kind in ("text", "media") and len(inbound.text or "") <= 1600


# -- over HTTP, through the whole app -------------------------------------------------------

def wired_loop(sqlite_url: str) -> tuple[Loop, Any, FakeTelegram, FakeTwilio]:
    loop = Loop()
    telegram = loop.enter(FakeTelegram())
    twilio = loop.enter(FakeTwilio())
    app = loop.enter(wired(sqlite_url, telegram=telegram, twilio=twilio))
    return loop, app, telegram, twilio


def test_any_telegram_webhook_body_is_answered_without_a_server_error(sqlite_url):
    loop, app, _, _ = wired_loop(sqlite_url)
    statuses: list[int] = []

    async def post(body: str) -> int:
        response = await app.client.post("/webhooks/telegram", data=body.encode(), headers={
            "X-Telegram-Bot-Api-Secret-Token": "webhook-secret_42",
            "Content-Type": "application/json"})
        return response.status

    @fuzz("telegram_webhook")
    @given(body=telegram_bodies)
    def send(body: str) -> None:
        status = loop.run(post(body))
        statuses.append(status)
        assert status in (200, 400), (status, body)

    try:
        send()
    finally:
        loop.close()
    assert 200 in statuses and 400 in statuses


def test_any_signed_twilio_form_is_answered_without_a_server_error(sqlite_url):
    loop, app, _, _ = wired_loop(sqlite_url)
    statuses: list[int] = []

    @fuzz("twilio_webhook")
    @given(form=twilio_forms, status_form=status_forms, to_status=st.booleans())
    def send(form: dict[str, str], status_form: dict[str, str], to_status: bool) -> None:
        path, body = (STATUS_PATH, status_form) if to_status else (SMS_PATH, form)
        response = loop.run(app.sms_post(path, body))
        statuses.append(response.status)
        assert response.status in (200, 400), (response.status, path, body)

    try:
        send()
    finally:
        loop.close()
    assert 200 in statuses


def test_forged_twilio_signatures_and_telegram_secrets_are_always_refused(sqlite_url):
    loop, app, telegram, twilio = wired_loop(sqlite_url)

    async def forged(secret: str, signature: str, form: dict[str, str], tamper: str) -> None:
        if secret != "webhook-secret_42":
            response = await app.update({"update_id": 1, "message": {
                "message_id": 1, "text": "hej", "chat": {"id": 42, "type": "private"}}},
                secret=secret)
            assert response.status == 403
        headers = {"X-Twilio-Signature": signature} if signature else {}
        response = await app.client.post(SMS_PATH, data=form, headers=headers)
        assert response.status == 403
        # Signed right, then one field changed: refused too.
        response = await app.sms_post(SMS_PATH, form, tamper={"Body": form["Body"] + tamper})
        assert response.status == 403

    @fuzz("forged")
    @given(secret=st.text(alphabet=HEADER_CHARS, max_size=40),
           signature=st.text(alphabet=HEADER_CHARS, max_size=40),
           form=twilio_forms, tamper=st.text(min_size=1, max_size=10))
    def send(secret: str, signature: str, form: dict[str, str], tamper: str) -> None:
        loop.run(forged(secret, signature, form, tamper))

    try:
        send()
        assert not twilio.sent and not telegram.sent  # nothing forged was ever answered
    finally:
        loop.close()


def test_any_simulator_request_is_answered_without_a_server_error(sqlite_url):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import build_app

    loop = Loop()
    services = loop.run(start_services(sqlite_url))

    async def started() -> TestClient[Any, Any]:
        test_client = TestClient(TestServer(build_app(services)))
        await test_client.start_server()
        return test_client

    client = loop.run(started())
    bodies = st.one_of(
        any_json,
        dict_of(user=st.text(max_size=70) | any_json, channel=st.sampled_from(["telegram", "sms", "x"]),
                text=st.text(max_size=300) | any_json, choice=st.text(max_size=70) | any_json),
    )

    @fuzz("simulator")
    @given(body=bodies)
    def send(body: Any) -> None:
        response = loop.run(client.post("/sim/api/messages", data=json.dumps(body),
                                        headers={"Content-Type": "application/json"}))
        assert response.status in (200, 400), (response.status, body)

    try:
        send()
    finally:
        loop.run(client.close())
        loop.run(services.close())
        loop.close()
