"""/utskick in Telegram: compose, choose a segment, preview, confirm; approval by an admin."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from handlers.base import Inbound
from storage.models import StaffUser
from storage.outreach import AWAITING_APPROVAL, SCHEDULED, Broadcast
from tests.conftest import start_services
from tests.outreach_helpers import person

DAYTIME = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


class StaffChat:
    """A staff member writing to the bot in Telegram (the simulator's Telegram look)."""

    def __init__(self, services, user_id: int) -> None:
        self.services, self.user_id, self.replies = services, user_id, []

    async def send(self, text: str | None = None, choice: str | None = None) -> str:
        handled = await self.services.engine.handle(
            "sim-telegram", f"staff-{self.user_id}",
            Inbound(text=text, choice=choice, sender_id=self.user_id),
            provider_id=f"staff-{self.user_id}-{uuid.uuid4().hex}")
        self.replies = handled.replies
        return "\n".join(r.text for r in self.replies)

    @property
    def keys(self) -> list[str]:
        return [o["key"] for o in self.replies[-1].options] if self.replies else []


@pytest.fixture
async def staffed(database_url):
    services = await start_services(database_url, clock=FixedClock(DAYTIME))
    async with services.db.transaction() as session:
        for username, telegram_id in (("outreach", 501), ("admin", 502), ("coach", 503)):
            staff = (await session.execute(
                select(StaffUser).where(StaffUser.username == username))).scalar_one()
            staff.telegram_user_id = telegram_id
        await person(session, DAYTIME, "anna")
        await person(session, DAYTIME, "ben", channels=("sim-telegram",), gender="man")
    yield services
    await services.close()


async def compose(chat: StaffChat, unit: str = "all", gender: str = "kvinna") -> str:
    assert "svenska" in await chat.send("/utskick")
    await chat.send("Välkommen på fika i Kista på torsdag!")
    assert "staff:bc:skip" in chat.keys
    await chat.send(choice="staff:bc:skip")
    assert f"staff:bc:unit:{unit}" in chat.keys
    await chat.send(choice=f"staff:bc:unit:{unit}")
    await chat.send(choice=f"staff:bc:gender:{gender}")
    await chat.send(choice="staff:bc:age:all")
    assert "staff:bc:event:none" in chat.keys
    return await chat.send(choice="staff:bc:event:none")


async def test_outreach_staff_compose_preview_and_send_a_broadcast(staffed):
    chat = StaffChat(staffed, 501)
    shown = await compose(chat)
    assert "1 mottagare" in shown and "SMS 1" in shown and "Kista" in shown
    assert chat.keys == ["staff:bc:send", "staff:bc:cancel"]
    assert "skickas nu" in await chat.send(choice="staff:bc:send")
    async with staffed.db.transaction() as session:
        broadcast = (await session.execute(select(Broadcast))).scalar_one()
    assert broadcast.status == SCHEDULED and broadcast.segment == {"genders": ["kvinna"]}
    assert broadcast.created_by == "outreach"


async def test_an_emoji_in_the_text_is_warned_about_in_the_preview(staffed):
    chat = StaffChat(staffed, 501)
    await chat.send("/utskick")
    await chat.send("Fika i Kista 😀")
    await chat.send(choice="staff:bc:skip")
    await chat.send(choice="staff:bc:unit:all")
    await chat.send(choice="staff:bc:gender:all")
    await chat.send(choice="staff:bc:age:all")
    shown = await chat.send(choice="staff:bc:event:none")
    assert "Varning" in shown and "😀" in shown


async def test_cancelling_the_draft_sends_nothing(staffed):
    chat = StaffChat(staffed, 501)
    await compose(chat)
    assert "avbrutet" in await chat.send(choice="staff:bc:cancel")
    async with staffed.db.transaction() as session:
        assert (await session.execute(select(Broadcast))).first() is None


async def test_a_coach_may_not_send_broadcasts(staffed):
    chat = StaffChat(staffed, 503)
    assert "Bara uppsökare" in await chat.send("/utskick")


async def test_an_expensive_broadcast_waits_and_an_admin_approves_it_in_telegram(staffed):
    staffed.engine.policy = replace(staffed.engine.policy, sms_approval_sek=0.1)
    chat = StaffChat(staffed, 501)
    assert "godkänna" in await compose(chat)
    assert "väntar på godkännande" in await chat.send(choice="staff:bc:send")
    admin = StaffChat(staffed, 502)
    await admin.send("/utskick")
    async with staffed.db.transaction() as session:
        broadcast = (await session.execute(select(Broadcast))).scalar_one()
    assert broadcast.status == AWAITING_APPROVAL
    assert f"staff:bc:approve:{broadcast.id}" in admin.keys
    assert "godkänt" in await admin.send(choice=f"staff:bc:approve:{broadcast.id}")
    async with staffed.db.transaction() as session:
        stored = await session.get(Broadcast, broadcast.id)
    assert stored.status == SCHEDULED and stored.approved_by == "admin"
    refused = await StaffChat(staffed, 501).send(choice=f"staff:bc:approve:{broadcast.id}")
    assert "Bara administratörer" in refused


async def test_typing_when_a_button_is_expected_asks_again(staffed):
    chat = StaffChat(staffed, 501)
    await chat.send("/utskick")
    await chat.send("Hej")
    await chat.send(choice="staff:bc:skip")
    again = await chat.send("jarva")
    assert "Välj en knapp" in again and "staff:bc:unit:all" in chat.keys
