"""Feedback: kept whole up to a generous bound; beyond it the person is told what was kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.menu import FEEDBACK_LIMIT
from storage.models import Feedback
from tests.sim import SimPerson


async def give_feedback(person: SimPerson, text: str) -> str:
    await person.press("faq")
    await person.press("feedback")
    await person.press("innehall")
    await person.send(text)
    return person.text


@pytest.mark.storage  # PostgreSQL holds the column to its length: run on both
async def test_long_feedback_is_kept_whole_and_longer_is_cut_with_a_word(client, services):
    person = SimPerson(client, "writer", "sms")
    await person.onboard()
    whole = ("Coachen var snäll men jag fick vänta länge. " * 200)[:FEEDBACK_LIMIT]
    assert "Tack! Vi läser alla synpunkter." in await give_feedback(person, whole)
    too_long = "Lång text om allt som hände. " * 300
    said = await give_feedback(person, too_long)
    assert f"de första {FEEDBACK_LIMIT} tecknen" in said
    async with services.db.transaction() as session:
        kept = [row.text for row in (await session.execute(
            select(Feedback).order_by(Feedback.id))).scalars()]
    assert kept == [whole, too_long.strip()[:FEEDBACK_LIMIT]]
    assert FEEDBACK_LIMIT >= 4096  # a whole Telegram message
