"""Faults: webhooks delivered many times over are answered once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select

from storage.models import InboundMessage, Outbox
from tests.fakes import FakeTelegram, FakeTwilio
from tests.fakes.wiring import SMS_PATH, sms_form, text_update, wired

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

PEOPLE = 100
REPLAYS = 10  # 100 updates x 10 deliveries = 1,000 webhooks


async def test_a_thousand_replayed_webhooks_bring_no_duplicate_reply(database_url):
    async with FakeTelegram() as telegram, FakeTwilio() as twilio, \
            wired(database_url, telegram=telegram, twilio=twilio) as w:
        posts = []
        for n in range(PEOPLE):
            if n % 2:
                posts += [
                    w.update(text_update(5000 + n, 800_000_000 + n, "hej")) for _ in range(REPLAYS)]
            else:
                form = sms_form(f"SM{n:032d}", f"+4670{n:07d}", "hej")
                posts += [w.sms_post(SMS_PATH, form) for _ in range(REPLAYS)]
        # Replays of one update arrive side by side, as a provider's retries can.
        statuses = Counter(r.status for r in await asyncio.gather(*posts))
        assert statuses == {200: PEOPLE * REPLAYS}
        await w.drain()
        async with w.services.db.transaction() as session:
            inbound = (await session.execute(select(func.count()).select_from(InboundMessage))).scalar_one()
            queued = (await session.execute(select(func.count()).select_from(Outbox))).scalar_one()
        assert inbound == PEOPLE
        assert queued == 2 * PEOPLE  # the welcome and the language question, once each
        sent = Counter((str(m.chat_id), m.text) for m in telegram.sent) + Counter(
            (s.to, s.body) for s in twilio.sent)
        assert sum(sent.values()) == 2 * PEOPLE
        assert max(sent.values()) == 1
