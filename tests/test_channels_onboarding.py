"""The whole first conversation over real channels: Telegram updates and signed SMS posts,
the replies delivered by the dispatcher to the fake Bot API and the fake Twilio."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Contact, InboundMessage, Outbox
from tests.fakes import FakeTelegram, FakeTwilio
from tests.fakes.wiring import SMS_PATH, Wired, press_update, sms_form, text_update, wired

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

CHAT = 424242
PHONE = "+46701234567"


class TelegramPerson:
    """Writes and presses like a Telegram user; reads what the fake Bot API received."""

    def __init__(self, w: Wired, fake: FakeTelegram, chat: int = CHAT, first_update: int = 1
                 ) -> None:
        self.w, self.fake, self.chat = w, fake, chat
        self.ids = itertools.count(first_update)  # update ids are unique across chats
        self.seen = 0

    @property
    def received(self) -> list[Any]:
        """Everything the fake Bot API accepted for this chat, oldest first."""
        return [s for s in self.fake.sent if s.chat_id == self.chat]

    async def _post(self, update: dict[str, Any]) -> list[str]:
        assert (await self.w.update(update)).status == 200
        await self.w.drain()
        return self.new_texts()

    def new_texts(self) -> list[str]:
        """The texts this chat got since the last look."""
        new = self.received[self.seen:]
        self.seen += len(new)
        return [s.text or "" for s in new]

    async def say(self, text: str) -> list[str]:
        return await self._post(text_update(next(self.ids), self.chat, text))

    @property
    def keys(self) -> list[str]:
        markup = self.received[-1].params.get("reply_markup") or {}
        return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]

    async def press(self, key: str) -> list[str]:
        assert key in self.keys, f"{key} not offered; offered {self.keys}"
        message_id = self.received[-1].message["message_id"]
        return await self._post(press_update(next(self.ids), self.chat, key, message_id))


class SmsPerson:
    """Texts like a phone user, answering with the number of an option."""

    def __init__(self, w: Wired, fake: FakeTwilio) -> None:
        self.w, self.fake = w, fake
        self.ids = itertools.count(1)
        self.seen = 0

    async def say(self, text: str) -> list[str]:
        response = await self.w.sms_post(SMS_PATH, sms_form(f"SM{next(self.ids):032x}", PHONE, text))
        assert response.status == 200
        await self.w.drain()
        new = self.fake.bodies(PHONE)[self.seen:]
        self.seen = len(self.fake.bodies(PHONE))
        return new

    async def keys_offered(self) -> list[str]:
        async with self.w.services.db.transaction() as session:
            options = (await session.execute(
                select(Outbox.options).where(Outbox.channel == "sms").order_by(Outbox.id.desc())  # type: ignore[union-attr]
                .limit(1))).scalar_one()
        return [o["key"] for o in options]

    async def press(self, key: str) -> list[str]:
        keys = await self.keys_offered()
        assert key in keys, f"{key} not offered; offered {keys}"
        return await self.say(str(keys.index(key) + 1))


async def onboard(person: TelegramPerson | SmsPerson) -> list[str]:
    texts = await person.say("hej")
    texts += await person.press("sv")
    texts += await person.press("yes")
    texts += await person.press("20-24")
    keys = person.keys if isinstance(person, TelegramPerson) else await person.keys_offered()
    texts += await (person.press("rinkeby-kista") if "rinkeby-kista" in keys else person.say("rinkeby kista"))
    texts += await person.press("kvinna")
    texts += await person.press("jobb")
    return texts


async def the_contact(w: Wired) -> Contact:
    async with w.services.db.transaction() as session:
        return (await session.execute(select(Contact))).scalar_one()


async def test_a_person_onboards_over_telegram_with_buttons(database_url):
    async with FakeTelegram(overall_limit=30, per_chat_limit=1) as fake:
        async with wired(database_url, telegram=fake, full_demo=True) as w:
            person = TelegramPerson(w, fake)
            texts = await onboard(person)
            assert "Jobbtorg" in texts[0]
            assert "faq" in person.keys
            contact = await the_contact(w)
    assert (contact.status, contact.language, contact.age_band, contact.gender) == (
        "active", "sv", "20-24", "kvinna")
    assert len(fake.calls("answerCallbackQuery")) == 6  # every press answered
    assert len(fake.calls("editMessageReplyMarkup")) == 6  # and its keyboard taken away
    assert [r for r in fake.requests if r.status == 429] == []
    assert fake.max_window_count(1.0, chat_id=CHAT) <= 1


async def test_a_person_onboards_over_sms_with_numbered_answers(database_url):
    async with FakeTwilio() as fake:
        async with wired(database_url, twilio=fake, full_demo=True) as w:
            person = SmsPerson(w, fake)
            texts = await onboard(person)
            assert "1. Svenska" in texts[1] and "Svara 1 eller 2" in texts[1]
            assert "faq" in await person.keys_offered()
            contact = await the_contact(w)
            async with w.services.db.transaction() as session:
                inbound = (await session.execute(select(InboundMessage))).scalars().all()
    assert (contact.status, contact.age_band, contact.gender) == ("active", "20-24", "kvinna")
    assert {m.channel for m in inbound} == {"sms"}
    assert all(len(body) <= 1600 for body in fake.bodies(PHONE))


async def test_a_replayed_press_changes_nothing_the_second_time(sqlite_url):
    async with FakeTelegram() as fake:
        async with wired(sqlite_url, telegram=fake) as w:
            person = TelegramPerson(w, fake)
            await person.say("hej")
            message_id = fake.sent[-1].message["message_id"]
            press = press_update(99, CHAT, "en", message_id)
            first = await person._post(press)
            again = await person._post(press)
    assert first and again == []
