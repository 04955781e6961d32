"""RADERA while the dispatcher holds the person's replies: sending goes on, nothing of them stays."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import delete, select

from bot.outbox import SENT, Dispatcher, SendResult
from bot.services import Services
from handlers.base import Inbound
from storage.models import DeliveryAttempt, Outbox
from storage.people import address_for
from storage.queue import enqueue

pytestmark = pytest.mark.storage  # on SQLite and PostgreSQL alike

ERASED = "+46701112233"
OTHER = "+46704445566"


class GatedSender:
    """Holds every send until the gate opens, as a slow provider would."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.started = asyncio.Event()
        self.sent: list[str] = []

    async def send(self, row: Outbox) -> SendResult:
        self.started.set()
        await self.gate.wait()
        self.sent.append(row.to_address)
        return SendResult(SENT, provider_message_id=f"SM{row.id}")


async def say(services: Services, number: str, text: str, sid: str) -> None:
    await services.engine.handle("sms", number, Inbound(text=text), provider_id=sid)


async def outbox_rows(services: Services) -> list[Outbox]:
    async with services.db.transaction() as session:
        return list((await session.execute(select(Outbox).order_by(Outbox.id))).scalars())


async def test_radera_while_replies_are_in_flight_neither_stops_sending_nor_keeps_the_number(services):
    sender = GatedSender()
    dispatcher = Dispatcher(services.db, services.clock, {"sms": sender})
    await say(services, ERASED, "hej", "SM-a1")
    sending = asyncio.create_task(dispatcher.drain())
    await asyncio.wait_for(sender.started.wait(), 5)  # the welcome is with the provider
    await say(services, ERASED, "radera", "SM-a2")  # before consent: erased at once
    sender.gate.set()
    await asyncio.wait_for(sending, 10)  # before: IntegrityError on the delivery attempt
    await say(services, OTHER, "hej", "SM-b1")
    await dispatcher.drain()
    rows = await outbox_rows(services)
    assert all(ERASED not in (row.to_address + row.text) for row in rows)
    to_other = [row for row in rows if row.to_address == OTHER]
    assert to_other and {row.status for row in to_other} == {"sent"}
    assert OTHER in sender.sent


async def test_a_result_whose_row_is_gone_is_dropped_and_the_rest_of_the_batch_saved(services):
    sender = GatedSender()
    dispatcher = Dispatcher(services.db, services.clock, {"sms": sender})
    now = services.clock.now()
    async with services.db.transaction() as session:
        ids = []
        for number in (ERASED, OTHER):
            address, _ = await address_for(session, "sms", number, now)
            ids.append((await enqueue(session, address, "Hej", now)).id)
    sending = asyncio.create_task(dispatcher.drain())
    await asyncio.wait_for(sender.started.wait(), 5)
    async with services.db.transaction() as session:  # someone removes the row meanwhile
        await session.execute(delete(Outbox).where(Outbox.id == ids[0]))
    sender.gate.set()
    await asyncio.wait_for(sending, 10)
    rows = {row.id: row for row in await outbox_rows(services)}
    assert ids[0] not in rows and rows[ids[1]].status == "sent"
    async with services.db.transaction() as session:
        attempts = list((await session.execute(select(DeliveryAttempt.outbox_id))).scalars())
    assert attempts == [ids[1]]
