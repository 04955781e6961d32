"""Segments pick the right people, once each, and never an opted-out or unreachable address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.bookings import Booking, VisitKind, seed_booking_demo
from storage.db import Database
from storage.outreach import add_source
from storage.places import seed_stockholm
from storage.segments import Segment, batch_after, count, counts_by_channel_and_language
from tests.outreach_helpers import person

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

NOW = datetime(2030, 1, 15, 10, 0, tzinfo=UTC)


@pytest.fixture
async def population(database_url):
    """Eight people; five of them can be reached."""
    db = Database(database_url)
    async with db.transaction() as session:
        await seed_stockholm(session)
        source = await add_source(session, "sfi-skola", "Sfi Tensta", None, "sfi-tensta",
                                  "TENSTA", NOW)
        await person(session, NOW, "anna", source_id=source.id, last_active=NOW - timedelta(days=2))
        ben = await person(session, NOW, "ben", channels=("sim-telegram",), language="en",
                           gender="man", age_band="16-19", district="skarholmen",
                           help_topic="cv", last_active=NOW - timedelta(days=40))
        await person(session, NOW, "cleo", channels=("sim-sms", "sim-telegram"), age_band="30+",
                     district="spanga-tensta")
        await person(session, NOW, "dana", opted_out=("sim-sms",))
        await person(session, NOW, "eli", channels=("sim-telegram",), unreachable=("sim-telegram",))
        await person(session, NOW, "fia", status="new")
        await person(session, NOW, "gus", channels=("sim-telegram", "sim-sms"), gender="man",
                     age_band="25-29", opted_out=("sim-telegram",))
        await person(session, NOW, "hedda", channels=("sim-telegram",), gender=None,
                     age_band="25-29", district=None)
        await seed_booking_demo(session, NOW)
        kind = (await session.execute(VisitKind.__table__.select().limit(1))).first()
        session.add(Booking(code="B1", contact_id=ben.id, unit_id=1, kind_id=kind.id,  # type: ignore[union-attr]
                            start=NOW + timedelta(days=1), end=NOW + timedelta(days=1, hours=1),
                            created_at=NOW))
    yield db, source.id
    await db.dispose()


def reached(batch) -> set[str]:
    return {row.address for row in batch.rows}


CASES = [
    (Segment(), {"anna-sim-sms", "ben-sim-telegram", "cleo-sim-telegram", "gus-sim-sms",
                 "hedda-sim-telegram"}),
    (Segment(units=["jarva"]), {"anna-sim-sms", "cleo-sim-telegram", "gus-sim-sms"}),
    (Segment(districts=["skarholmen"]), {"ben-sim-telegram"}),
    (Segment(age_bands=["16-19"]), {"ben-sim-telegram"}),
    (Segment(age_bands=["25-29", "30+"]), {"cleo-sim-telegram", "gus-sim-sms", "hedda-sim-telegram"}),
    (Segment(genders=["kvinna"]), {"anna-sim-sms", "cleo-sim-telegram"}),
    (Segment(genders=["ej-angivet"]), {"hedda-sim-telegram"}),
    (Segment(languages=["en"]), {"ben-sim-telegram"}),
    (Segment(help_topics=["cv"]), {"ben-sim-telegram"}),
    (Segment(active_within_days=7), {"anna-sim-sms", "cleo-sim-telegram", "gus-sim-sms",
                                     "hedda-sim-telegram"}),
    (Segment(inactive_for_days=30), {"ben-sim-telegram"}),
    (Segment(channels=["sms"]), {"anna-sim-sms", "cleo-sim-sms", "gus-sim-sms"}),
    (Segment(channels=["telegram"]), {"ben-sim-telegram", "cleo-sim-telegram", "hedda-sim-telegram"}),
    (Segment(booked=True), {"ben-sim-telegram"}),
    (Segment(booked=False, genders=["man"]), {"gus-sim-sms"}),
    (Segment(units=["jarva"], genders=["man"]), {"gus-sim-sms"}),
]


@pytest.mark.parametrize(("segment", "expected"), CASES, ids=[s.describe() for s, _ in CASES])
async def test_a_segment_reaches_exactly_the_people_it_describes(population, segment, expected):
    db, _source = population
    async with db.transaction() as session:
        assert reached(await batch_after(session, segment, NOW, 0, 100)) == expected
        assert await count(session, segment, NOW) == len(expected)


async def test_a_segment_by_source_reaches_the_people_that_source_brought(population):
    db, source_id = population
    async with db.transaction() as session:
        rows = await batch_after(session, Segment(sources=[source_id]), NOW, 0, 100)
    assert reached(rows) == {"anna-sim-sms"}


async def test_opted_out_unreachable_and_unconsented_people_are_never_in_a_segment(population):
    db, _source = population
    async with db.transaction() as session:
        everyone = reached(await batch_after(session, Segment(), NOW, 0, 100))
    assert not any(name.startswith(("dana", "eli", "fia")) for name in everyone)
    assert "gus-sim-telegram" not in everyone  # opted out there, reached by SMS instead


async def test_counts_split_by_channel_and_language(population):
    db, _source = population
    async with db.transaction() as session:
        counts = await counts_by_channel_and_language(session, Segment(), NOW)
    assert counts == {("sms", "sv"): 2, ("telegram", "sv"): 2, ("telegram", "en"): 1}


async def test_batches_stream_everyone_once_in_contact_order(population):
    db, _source = population
    seen: list[int] = []
    cursor, batches = 0, 0
    async with db.transaction() as session:
        while True:
            batch = await batch_after(session, Segment(), NOW, cursor, 2)
            batches += 1
            assert len(batch.rows) <= 2 and batch.cursor >= cursor
            seen += [row.contact_id for row in batch.rows]
            cursor = batch.cursor
            if batch.last:
                break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 5
    assert batches == 4  # seven consented people looked at two by two


async def test_a_batch_of_unreachable_people_does_not_end_the_stream(population):
    """Dana and Eli (opted out, unreachable) fill a whole batch; Fia is not consented."""
    db, _source = population
    async with db.transaction() as session:
        everyone = await batch_after(session, Segment(), NOW, 0, 100)
        ids = [row.contact_id for row in everyone.rows]
        first = await batch_after(session, Segment(genders=["kvinna"]), NOW, ids[2], 1)
    assert first.rows == [] and not first.last  # dana alone: nobody to reach, more to come
