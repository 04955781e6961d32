"""The fake Telegram and Twilio servers answer the real client libraries like the real APIs."""

from __future__ import annotations

import asyncio
import base64
import datetime as dtm
import hashlib
import hmac
import re
import time
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import telegram
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes import FakeTelegram, FakeTwilio, point_client_at, sign
from tests.fakes._server import busiest_window
from tests.fakes.twilio_api import segments

TOKEN = "123456:TEST-token"
ALICE, BOB = 1001, 1002
PHONE, OTHER_PHONE, SENDER = "+46701234567", "+46707654321", "+46700000000"


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def keyboard() -> telegram.InlineKeyboardMarkup:
    return telegram.InlineKeyboardMarkup(
        [
            [
                telegram.InlineKeyboardButton("Ja", callback_data="yes"),
                telegram.InlineKeyboardButton("Nej", callback_data="no"),
            ]
        ]
    )


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def make_bot(fake: FakeTelegram, token: str = TOKEN) -> telegram.Bot:
    bot = telegram.Bot(token, base_url=f"{fake.base_url}/bot")
    await bot.initialize()
    return bot


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    bot = await make_bot(fake_telegram)
    yield bot
    await bot.shutdown()


@pytest.fixture
async def fake_twilio() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as fake:
        yield fake


async def make_client(fake: FakeTwilio, token: str | None = None) -> Client:
    client = Client(
        fake.account_sid,
        token or fake.auth_token,
        http_client=AsyncTwilioHttpClient(),
        environment={},
    )
    return point_client_at(client, fake.base_url)


@pytest.fixture
async def twilio_client(fake_twilio: FakeTwilio) -> AsyncIterator[Client]:
    client = await make_client(fake_twilio)
    yield client
    await client.http_client.close()  # type: ignore[attr-defined]


# -- Telegram --------------------------------------------------------------------------------


async def test_the_real_bot_reads_its_identity_from_get_me(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456 and me.is_bot and me.username == "jobbtorg_test_bot"


async def test_the_root_url_is_the_server_root_that_the_bot_path_hangs_under(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", fake_telegram.root_url)
    assert bot.base_url == f"{fake_telegram.root_url}/bot{TOKEN}"


async def test_a_message_with_an_inline_keyboard_comes_back_as_a_telegram_message(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    message = await bot.send_message(ALICE, "Vill du boka en tid?", reply_markup=keyboard())
    assert message.chat.id == ALICE and message.text == "Vill du boka en tid?"
    assert message.reply_markup == keyboard()
    assert message.message_id > 0 and message.date.tzinfo is not None
    [sent] = fake_telegram.sent
    assert sent.chat_id == ALICE and sent.text == "Vill du boka en tid?"
    buttons = sent.params["reply_markup"]["inline_keyboard"][0]
    assert [b["callback_data"] for b in buttons] == ["yes", "no"]
    assert fake_telegram.texts(ALICE) == ["Vill du boka en tid?"]


async def test_a_document_sent_as_bytes_arrives_as_a_multipart_file(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    message = await bot.send_document(ALICE, ics, filename="besok.ics", caption="Din tid")
    assert message.document is not None and message.document.file_name == "besok.ics"
    assert message.document.file_size == len(ics) and message.caption == "Din tid"
    upload = fake_telegram.sent[0].params["document"]
    assert upload.data == ics and upload.filename == "besok.ics"
    assert upload.content_type == "text/calendar"


async def test_answering_a_callback_and_removing_its_keyboard_succeed(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    message = await bot.send_message(ALICE, "Välj", reply_markup=keyboard())
    assert await bot.answer_callback_query("cbq-1") is True
    edited = await bot.edit_message_reply_markup(ALICE, message.message_id, reply_markup=None)
    assert isinstance(edited, telegram.Message) and edited.reply_markup is None
    assert edited.text == "Välj"
    assert [c.method for c in fake_telegram.requests] == [
        "getMe",
        "sendMessage",
        "answerCallbackQuery",
        "editMessageReplyMarkup",
    ]
    assert len(fake_telegram.sent) == 1


async def test_webhook_calls_are_remembered_and_unknown_methods_answer_ok(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    assert await bot.set_webhook("https://example.org/webhooks/telegram", secret_token="s")
    info = await bot.get_webhook_info()
    assert info.url == "https://example.org/webhooks/telegram"
    assert fake_telegram.webhook["secret_token"] == "s"
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.do_api_request("someFutureMethod", api_kwargs={"x": 1}) is True


async def test_get_updates_serves_queued_updates_and_drops_confirmed_ones(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.queue_update(
        {"message": {"message_id": 1, "date": 0, "text": "hej", "chat": {"id": ALICE, "type": "private"}}}
    )
    fake_telegram.queue_update(
        {
            "update_id": 50,
            "callback_query": {
                "id": "q",
                "chat_instance": "c",
                "data": "yes",
                "from": {"id": ALICE, "is_bot": False, "first_name": "A"},
            },
        }
    )
    first = await bot.get_updates(timeout=0)
    assert [u.update_id for u in first] == [1, 50]
    assert first[0].message is not None and first[0].message.text == "hej"
    assert await bot.get_updates(offset=51, timeout=0) == ()
    assert fake_telegram.updates == []


async def test_a_long_poll_wakes_up_when_an_update_arrives(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.max_poll_seconds = 5.0
    loop = asyncio.get_running_loop()
    loop.call_later(0.1, fake_telegram.queue_update, {"update_id": 7})
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    assert [u.update_id for u in updates] == [7]
    assert time.monotonic() - started < 2


async def test_get_updates_conflicts_with_an_active_webhook(bot: telegram.Bot) -> None:
    await bot.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)


async def test_a_wrong_token_is_refused_as_an_invalid_token() -> None:
    async with FakeTelegram(token=TOKEN) as fake:
        bot = telegram.Bot("999:WRONG", base_url=fake.bot_base_url)
        with pytest.raises(InvalidToken):
            await bot.get_me()


async def test_a_scripted_429_raises_retry_after_with_the_servers_delay(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.fail_next(1, status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ALICE, "hej")
    assert retry_seconds(caught.value) == 3
    await bot.send_message(ALICE, "hej")
    assert [c.status for c in fake_telegram.calls("sendMessage")] == [429, 200]


async def test_sending_to_a_blocked_chat_raises_forbidden(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.block_chat(BOB)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(BOB, "hej")
    await bot.send_message(ALICE, "hej")
    assert [s.chat_id for s in fake_telegram.sent] == [ALICE]


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_scripted_server_error_raises_network_error(
    fake_telegram: FakeTelegram, bot: telegram.Bot, status: int
) -> None:
    fake_telegram.fail_next(2, status=status)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(ALICE, "hej")
    await bot.send_message(ALICE, "hej")
    assert len(fake_telegram.sent) == 1


async def test_faults_aimed_at_sends_leave_other_methods_alone(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.fail_next(1, status=500)
    assert await bot.answer_callback_query("q")
    with pytest.raises(NetworkError):
        await bot.send_message(ALICE, "hej")
    fake_telegram.fail_next(1, status=500, scope="answerCallbackQuery")
    await bot.send_message(ALICE, "hej")
    with pytest.raises(NetworkError):
        await bot.answer_callback_query("q")


async def test_a_held_response_times_out_the_bot_and_is_not_delivered(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.timeout_next(1, seconds=2.0)
    with pytest.raises(TimedOut):
        await bot.send_message(ALICE, "hej", read_timeout=0.2)
    await bot.send_message(ALICE, "igen")
    assert fake_telegram.texts() == ["igen"]


async def test_a_held_response_that_delivers_shows_up_as_sent(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.timeout_next(1, seconds=0.3, deliver=True)
    with pytest.raises(TimedOut):
        await bot.send_message(ALICE, "hej", read_timeout=0.1)
    await asyncio.sleep(0.4)
    assert fake_telegram.texts() == ["hej"]


async def test_random_faults_repeat_exactly_with_the_same_seed() -> None:
    async def outcomes() -> list[int]:
        async with FakeTelegram(error_ratio=0.4, seed=7) as fake:
            bot = await make_bot(fake)
            for _ in range(20):
                try:
                    await bot.send_message(ALICE, "hej")
                except NetworkError:
                    pass
            return [c.status for c in fake.requests if c.method == "sendMessage"]

    first, second = await outcomes(), await outcomes()
    assert first == second and {200, 500} == set(first)


async def test_the_overall_limit_refuses_the_excess_of_one_second_with_retry_after() -> None:
    async with FakeTelegram(overall_limit=5) as fake:
        bot = await make_bot(fake)
        results = await asyncio.gather(
            *(bot.send_message(1000 + i, "hej") for i in range(8)), return_exceptions=True
        )
        refused = [r for r in results if isinstance(r, RetryAfter)]
        assert len(refused) == 3 and all(retry_seconds(r) == 1 for r in refused)
        assert len(fake.sent) == 5 and fake.max_window_count() == 5
        await asyncio.sleep(1.05)
        await bot.send_message(ALICE, "hej")
        assert len(fake.sent) == 6 and fake.max_window_count() == 5


async def test_the_per_chat_limit_counts_each_chat_separately() -> None:
    async with FakeTelegram(per_chat_limit=1) as fake:
        bot = await make_bot(fake)
        await bot.send_message(ALICE, "ett")
        with pytest.raises(RetryAfter):
            await bot.send_message(ALICE, "två")
        await bot.send_message(BOB, "ett")
        assert fake.max_window_count(chat_id=ALICE) == 1
        assert fake.max_window_count() == 2


def test_the_window_counter_finds_the_busiest_second_wherever_it_starts() -> None:
    times = [0.0, 0.1, 0.2, 1.0, 1.05, 1.1, 1.15, 3.0]
    assert busiest_window(times) == 5  # [0.2, 1.2) is busier than [0, 1) or [1, 2)
    assert busiest_window(times, window=0.5) == 4
    assert busiest_window([]) == 0
    assert busiest_window([0.0, 1.0]) == 1  # the window is half-open


SCHEDSTAT = Path("/proc/thread-self/schedstat")


def busy_seconds() -> float:
    """Seconds this thread has spent on a CPU or waiting in the run queue for one, by the
    kernel's own count (0 where there is none: then only wall-clock time is measured)."""
    if not SCHEDSTAT.exists():
        return 0.0
    running, waiting, _ = SCHEDSTAT.read_text().split()
    return (int(running) + int(waiting)) / 1e9


async def test_one_keep_alive_connection_carries_hundreds_of_requests_a_second(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    started, busy = time.monotonic(), busy_seconds()
    for i in range(200):
        await bot.send_message(ALICE, f"nr {i}")
    # Client and fake share this thread, so its only idle time is waiting for the network:
    # Nagle on either side stalls each request for a delayed ACK (40 ms, so near 23/s, 8 s
    # in all). A loaded machine adds time on a CPU or queued for one (2 cores, load 12:
    # 3.9 s in all), never idle time.
    idle = time.monotonic() - started - (busy_seconds() - busy)
    assert idle < 1.0, idle
    assert len(fake_telegram.sent) == 200


# -- Twilio ----------------------------------------------------------------------------------


async def test_the_real_twilio_client_creates_a_message_on_the_fake(
    fake_twilio: FakeTwilio, twilio_client: Client
) -> None:
    message = await twilio_client.messages.create_async(
        to=PHONE,
        from_=SENDER,
        body="Hej! Svara 1 eller 2.",
        status_callback="https://example.org/webhooks/twilio/status",
    )
    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid or "")
    assert message.status == "queued" and message.to == PHONE and message.from_ == SENDER
    assert message.num_segments == "1" and message.error_code is None
    assert message.account_sid == fake_twilio.account_sid
    [sent] = fake_twilio.sent
    assert sent.body == "Hej! Svara 1 eller 2." and sent.sid == message.sid
    assert fake_twilio.status_callbacks == [(message.sid, "https://example.org/webhooks/twilio/status")]


async def test_a_messaging_service_sender_is_accepted_without_a_from_number(
    twilio_client: Client,
) -> None:
    message = await twilio_client.messages.create_async(
        to=PHONE, messaging_service_sid="MG" + "1" * 32, body="Hej"
    )
    assert message.status == "accepted" and message.from_ is None


async def test_a_sent_message_can_be_fetched_back(twilio_client: Client) -> None:
    message = await twilio_client.messages.create_async(to=PHONE, from_=SENDER, body="Hej")
    fetched = await twilio_client.messages(message.sid).fetch_async()
    assert fetched.body == "Hej"


async def test_a_wrong_auth_token_is_refused_with_401(fake_twilio: FakeTwilio) -> None:
    client = await make_client(fake_twilio, token="wrong")
    try:
        with pytest.raises(TwilioRestException) as caught:
            await client.messages.create_async(to=PHONE, from_=SENDER, body="Hej")
    finally:
        await client.http_client.close()  # type: ignore[attr-defined]
    assert caught.value.status == 401 and caught.value.code == 20003
    assert fake_twilio.sent == []


@pytest.mark.parametrize(
    ("setup", "to", "code"),
    [
        ("unsubscribe", PHONE, 21610),
        ("mark_not_mobile", PHONE, 21614),
        (None, "0701234567", 21211),
    ],
)
async def test_a_refused_recipient_raises_a_rest_exception_with_twilios_code(
    fake_twilio: FakeTwilio, twilio_client: Client, setup: str | None, to: str, code: int
) -> None:
    if setup:
        getattr(fake_twilio, setup)(PHONE)
    with pytest.raises(TwilioRestException) as caught:
        await twilio_client.messages.create_async(to=to, from_=SENDER, body="Hej")
    assert caught.value.status == 400 and caught.value.code == code
    assert fake_twilio.sent == []


async def test_the_fake_speaks_whatsapp_addresses_and_content_templates(
    fake_twilio: FakeTwilio, twilio_client: Client
) -> None:
    sid = fake_twilio.add_template("Hej! Din tid: {{when}}. Svara här om du vill ändra.")
    message = await twilio_client.messages.create_async(
        to="whatsapp:" + PHONE, from_="whatsapp:" + SENDER, content_sid=sid,
        content_variables='{"when": "tisdag kl. 10.00"}')
    [sent] = fake_twilio.sent
    assert sent.sid == message.sid and sent.content_sid == sid and "Body" not in sent.params
    assert sent.body == "Hej! Din tid: tisdag kl. 10.00. Svara här om du vill ändra."
    content = await twilio_client.content.v1.contents(sid).fetch_async()
    assert content.types == {"twilio/text": {
        "body": "Hej! Din tid: {{when}}. Svara här om du vill ändra."}}


@pytest.mark.parametrize(("fields", "code"), [
    ({"to": "whatsapp:" + PHONE, "from_": SENDER, "body": "Hej"}, 21910),  # channels differ
    ({"to": "whatsapp:" + PHONE, "from_": "whatsapp:" + SENDER, "content_variables": "{}"}, 21654),
    ({"to": "whatsapp:" + PHONE, "from_": "whatsapp:" + SENDER, "content_sid": "HX" + "0" * 32}, 21655),
])
async def test_the_fake_refuses_what_twilio_refuses_on_whatsapp(
    fake_twilio: FakeTwilio, twilio_client: Client, fields: dict[str, str], code: int
) -> None:
    with pytest.raises(TwilioRestException) as caught:
        await twilio_client.messages.create_async(**fields)
    assert caught.value.status == 400 and caught.value.code == code


async def test_a_late_free_form_whatsapp_message_fails_with_63016_in_its_status_callback(
    fake_twilio: FakeTwilio, twilio_client: Client
) -> None:
    fake_twilio.close_window("whatsapp:" + PHONE)
    message = await twilio_client.messages.create_async(
        to="whatsapp:" + PHONE, from_="whatsapp:" + SENDER, body="Hej")
    assert message.status == "queued"  # accepted now; the failure comes in the callback
    form = fake_twilio.callback_form(message.sid or "")
    assert (form["MessageStatus"], form["ErrorCode"]) == ("failed", "63016")
    assert form["ChannelPrefix"] == "whatsapp"


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (500, 20500), (503, 20503)])
async def test_a_scripted_fault_raises_a_rest_exception_with_status_and_code(
    fake_twilio: FakeTwilio, twilio_client: Client, status: int, code: int
) -> None:
    fake_twilio.fail_next(1, status=status)
    with pytest.raises(TwilioRestException) as caught:
        await twilio_client.messages.create_async(to=PHONE, from_=SENDER, body="Hej")
    assert caught.value.status == status and caught.value.code == code
    await twilio_client.messages.create_async(to=PHONE, from_=SENDER, body="Hej")
    assert len(fake_twilio.sent) == 1


async def test_a_held_twilio_response_needs_a_timeout_of_our_own(
    fake_twilio: FakeTwilio, twilio_client: Client
) -> None:
    # twilio's async client passes timeout=None to aiohttp, which disables every time-out.
    fake_twilio.timeout_next(1, seconds=2.0)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.2):
            await twilio_client.messages.create_async(to=PHONE, from_=SENDER, body="Hej")
    assert fake_twilio.sent == []


async def test_the_number_limit_refuses_a_second_send_within_a_second() -> None:
    async with FakeTwilio(per_number_limit=1) as fake:
        client = await make_client(fake)
        try:
            await client.messages.create_async(to=PHONE, from_=SENDER, body="1")
            with pytest.raises(TwilioRestException) as caught:
                await client.messages.create_async(to=PHONE, from_=SENDER, body="2")
            await client.messages.create_async(to=OTHER_PHONE, from_=SENDER, body="1")
        finally:
            await client.http_client.close()  # type: ignore[attr-defined]
    assert caught.value.status == 429 and caught.value.code == 20429
    assert fake.max_window_count(to=PHONE) == 1 and fake.max_window_count() == 2


async def test_a_region_in_the_environment_cannot_move_the_client_off_the_fake(
    fake_twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_REGION", "ie1")
    monkeypatch.setenv("TWILIO_EDGE", "dublin")
    client = Client(
        fake_twilio.account_sid, fake_twilio.auth_token, http_client=AsyncTwilioHttpClient(), environment={}
    )
    assert client.region == "ie1"  # environment={} is falsy: twilio falls back to os.environ
    point_client_at(client, fake_twilio.base_url)
    try:
        await client.messages.create_async(to=PHONE, from_=SENDER, body="Hej")
    finally:
        await client.http_client.close()  # type: ignore[attr-defined]
    assert len(fake_twilio.sent) == 1


def test_segments_are_counted_like_twilio_in_gsm7_and_ucs2() -> None:
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("åäö" * 50) == 1  # å, ä and ö are in the GSM-7 alphabet
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2  # extension: two septets
    assert segments("ł" * 70) == 1 and segments("ł" * 71) == 2
    assert segments("a" * 306) == 2 and segments("a" * 307) == 3


# -- signing -----------------------------------------------------------------------------------


def test_a_signature_matches_twilios_documented_algorithm_and_validator() -> None:
    url = "https://bot.example.org/webhooks/twilio/sms"
    params = {"From": PHONE, "Body": "Hej", "MessageSid": "SM" + "a" * 32}
    signature = sign("secret", url, params)
    payload = url + "".join(k + params[k] for k in sorted(params))
    expected = base64.b64encode(hmac.new(b"secret", payload.encode(), hashlib.sha1).digest()).decode()
    assert signature == expected
    assert RequestValidator("secret").validate(url, params, signature)
    assert not RequestValidator("other").validate(url, params, signature)


def test_a_repeated_form_field_is_signed_value_by_value() -> None:
    url = "https://bot.example.org/webhooks/twilio/sms"
    signature = sign("secret", url, {"MediaUrl0": ["b", "a"]})
    payload = url + "MediaUrl0a" + "MediaUrl0b"
    expected = base64.b64encode(hmac.new(b"secret", payload.encode(), hashlib.sha1).digest()).decode()
    assert signature == expected
