"""After RADERA no table holds the person's number, chat id, name or answers; counts remain."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import ErasedCount
from storage.tables import metadata
from tests.booking_helpers import app_at, book, local
from tests.sim import SimPerson
from tests.survey_helpers import DAY, contact_id_of, end_programme, local_today, move_to

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

NUMBER = "+46701119988"
CHAT_ID = "7009911223"
NAME = "Zlatandottir"
ANSWER_WORDS = ["Kvarnholmsbageriet", "Tvarbanegatan"]


def as_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


async def personal_data_left(services, needles: list[str]) -> list[str]:
    """Every (table.column: needle) where a needle still appears, over every table."""
    found = []
    async with services.db.transaction() as session:
        for table in metadata.sorted_tables:
            rows = (await session.execute(select(table))).mappings().all()
            for row in rows:
                for column, value in row.items():
                    text = as_text(value)
                    found += [f"{table.name}.{column}: {needle}" for needle in needles
                              if needle in text]
    return found


async def live_a_whole_programme(services, client, person: SimPerson) -> None:
    """Onboard, book with a first name, write free text, end the programme, answer the survey."""
    await person.onboard()
    await book(person, name=NAME)
    await person.send(f"jag bor vid {ANSWER_WORDS[1]}")
    contact_id = await contact_id_of(services, person.user, person.channel)
    await end_programme(services, contact_id, local_today(services))
    await move_to(services, services.clock.now() + timedelta(seconds=95 * DAY))
    await person.send(f"jobbar deltid på {ANSWER_WORDS[0]}")
    await person.send("timmis")


async def test_radera_leaves_nothing_personal_in_any_table_and_keeps_the_counts(database_url):
    async with app_at(database_url, local(2026, 3, 2, 10)) as (services, client):
        texter = SimPerson(client, NUMBER, "sms")
        chatter = SimPerson(client, CHAT_ID, "telegram")
        for person in (texter, chatter):
            await live_a_whole_programme(services, client, person)
        needles = [NUMBER, NUMBER.lstrip("+"), CHAT_ID, NAME, *ANSWER_WORDS]
        before = await personal_data_left(services, needles)
        for needle in needles:  # the scan does find each piece while the people are there
            assert any(line.endswith(f": {needle}") for line in before), needle
        for person in (texter, chatter):
            await person.send("radera")
            await person.send("ja")
        await services.dispatcher.drain()
        assert await personal_data_left(services, needles) == []
        async with services.db.transaction() as session:
            erased = (await session.execute(
                select(ErasedCount.reason, func.count()).group_by(ErasedCount.reason))).all()
        assert erased == [("asked", 2)]
