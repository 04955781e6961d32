"""POST /webhooks/telegram: the secret, tolerant parsing, replays, presses and blocks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.channels.telegram import keyboard, parse_update, split_start
from storage.models import ChannelAddress, InboundMessage, Outbox
from tests.fakes import FakeTelegram
from tests.fakes.wiring import Wired, press_update, text_update, wired


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(sqlite_url: str, fake: FakeTelegram) -> AsyncIterator[Wired]:
    async with wired(sqlite_url, telegram=fake) as running:
        yield running


async def count(w: Wired, table: type) -> int:
    async with w.services.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", "webhook-secret_4"])
async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_stored(bot, secret):
    response = await bot.update(text_update(1, 42, "hej"), secret=secret)
    assert response.status == 403
    assert await count(bot, InboundMessage) == 0 and await count(bot, ChannelAddress) == 0


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe", b"[1, 2]", b'"hello"',
                                  b'{"message": {"text": "hej"}}', b'{"update_id": "x1"}',
                                  b'{"update_id": true}'])
async def test_malformed_json_or_json_that_is_no_update_is_a_400(bot, body):
    response = await bot.client.post("/webhooks/telegram", data=body, headers={
        "X-Telegram-Bot-Api-Secret-Token": "webhook-secret_42", "Content-Type": "application/json"})
    assert response.status == 400
    assert await count(bot, InboundMessage) == 0


@pytest.mark.storage  # end-to-end on PostgreSQL too
async def test_the_same_update_delivered_twice_is_answered_once(database_url, fake):
    async with wired(database_url, telegram=fake) as w:
        for _ in range(3):
            assert (await w.update(text_update(7, 42, "hej"))).status == 200
        await w.drain()
        assert await count(w, InboundMessage) == 1
        assert len(fake.sent) == 2  # the welcome and the language question, once


def _private(**fields):
    return {"message_id": 1, "chat": {"id": 42, "type": "private"}, **fields}


@pytest.mark.parametrize("update", [
    {"update_id": 5, "edited_message": _private(text="hej")},
    {"update_id": 5, "channel_post": {**_private(text="hej"), "chat": {"id": -100, "type": "channel"}}},
    {"update_id": 5, "message": {**_private(text="hej"), "chat": {"id": -42, "type": "group"}}},
    {"update_id": 5, "message": {**_private(text="hej"), "chat": {"id": -1004, "type": "supergroup"}}},
    {"update_id": 5, "message": _private(pinned_message={})},
    {"update_id": 5, "inline_query": {"id": "1", "query": "x"}},
    {"update_id": 5},
], ids=["edited", "channel-post", "group", "supergroup", "service-message", "inline-query", "empty"])
async def test_updates_the_bot_does_not_serve_are_acknowledged_and_ignored(bot, update):
    assert (await bot.update(update)).status == 200
    assert await count(bot, InboundMessage) == 0 and await count(bot, Outbox) == 0


async def test_a_button_press_is_answered_and_its_keyboard_removed(bot, fake):
    await bot.update(text_update(1, 42, "hej"))
    await bot.drain()
    question = fake.sent[-1]
    assert question.params["reply_markup"]["inline_keyboard"]
    response = await bot.update(press_update(2, 42, "en", question.message["message_id"]))
    assert response.status == 200
    assert [c.params["callback_query_id"] for c in fake.calls("answerCallbackQuery")] == ["cb2"]
    edit = fake.calls("editMessageReplyMarkup")[-1]
    assert edit.params["message_id"] == question.message["message_id"] and edit.chat_id == 42
    assert "reply_markup" not in fake.messages[(42, question.message["message_id"])]
    await bot.drain()
    assert "Is that okay?" in (fake.texts(42)[-1] or "")  # the press was read as English


async def test_a_deep_link_start_payload_reaches_the_engine(bot):
    seen = []
    original = bot.services.engine.handle

    async def spy(channel, address, inbound, provider_id=None):
        seen.append(inbound)
        return await original(channel, address, inbound, provider_id=provider_id)

    bot.services.engine.handle = spy  # type: ignore[method-assign]
    await bot.update(text_update(1, 42, "/start src-tensta-bibliotek"))
    assert seen[0].text == "/start" and seen[0].start_payload == "src-tensta-bibliotek"
    assert seen[0].sender_id == 42


async def test_blocking_the_bot_marks_the_chat_unreachable_and_unblocking_clears_it(bot):
    await bot.update(text_update(1, 42, "hej"))

    def member(update_id: int, status: str) -> dict:
        return {"update_id": update_id, "my_chat_member": {
            "chat": {"id": 42, "type": "private"}, "from": {"id": 42}, "date": 1,
            "old_chat_member": {"status": "member", "user": {"id": 1}},
            "new_chat_member": {"status": status, "user": {"id": 1}}}}

    async def unreachable() -> bool:
        async with bot.services.db.transaction() as session:
            return (await session.execute(select(ChannelAddress.unreachable))).scalar_one()

    assert (await bot.update(member(2, "kicked"))).status == 200
    assert await unreachable()
    assert (await bot.update(member(3, "member"))).status == 200
    assert not await unreachable()


async def test_an_engine_failure_answers_500_so_telegram_retries(bot):
    async def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    bot.services.engine.handle = broken  # type: ignore[method-assign]
    assert (await bot.update(text_update(1, 42, "hej"))).status == 500


async def test_without_a_token_the_webhook_is_not_served(sqlite_url):
    async with wired(sqlite_url) as w:
        assert (await w.update(text_update(1, 42, "hej"))).status == 404


@pytest.mark.parametrize("labels, rows", [
    (["Ja", "Nej"], [["Ja", "Nej"]]),
    (["Svenska", "English"], [["Svenska", "English"]]),
    (["16-19", "20-24", "25-29", "30+"], [["16-19", "20-24"], ["25-29", "30+"]]),
    (["Jag vill ha hjälp med CV", "Ja", "Nej"], [["Jag vill ha hjälp med CV"], ["Ja", "Nej"]]),
    (["Ja", "Jag vill ha hjälp med CV"], [["Ja"], ["Jag vill ha hjälp med CV"]]),
    (["Ett", "Två", "Tre"], [["Ett", "Två"], ["Tre"]]),
])
def test_options_become_one_button_per_row_or_two_short_ones(labels, rows):
    markup = keyboard([{"key": f"k{i}", "label": label} for i, label in enumerate(labels)])
    assert markup is not None
    assert [[button.text for button in row] for row in markup.inline_keyboard] == rows


def test_no_options_means_no_keyboard():
    assert keyboard([]) is None


@pytest.mark.parametrize("text, expected", [
    ("/start", ("/start", None)),
    ("/start src-1", ("/start", "src-1")),
    ("/start@jobbtorg_bot abc", ("/start", "abc")),
    ("/START abc", ("/start", "abc")),
    ("hej /start", ("hej /start", None)),
    ("/startx", ("/startx", None)),
])
def test_start_payloads_are_split_from_the_command(text, expected):
    assert split_start(text) == expected


@pytest.mark.parametrize("update, action, kind", [
    (text_update(1, 42, "hej"), "message", "text"),
    ({"update_id": 1, "message": {"chat": {"id": 42}, "text": "hej"}}, "message", "text"),
    ({"update_id": 1, "message": {"chat": {"id": 42}, "animation": {}, "document": {}}},
     "message", "animation"),
    ({"update_id": 1, "message": {"chat": {"id": 42}, "venue": {}, "location": {}}}, "message", "venue"),
    ({"update_id": 1, "message": {"chat": {"id": -5}, "text": "hej"}}, "ignore", None),
    ({"update_id": "12", "message": {"chat": {"id": "42", "type": "private"}, "text": "hej"}},
     "message", "text"),
])
def test_updates_are_read_tolerantly(update, action, kind):
    event = parse_update(update)
    assert event.action == action
    if kind is not None:
        assert event.inbound is not None and event.inbound.kind == kind and event.chat_id == "42"
