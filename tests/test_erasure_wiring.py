"""Erasure is wired explicitly: the nightly retention job, imported on its own in a fresh
process, still frees the seats a person held and keeps their anonymous outcome."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Runs in a new interpreter, so only what the retention job imports is loaded.
SCRIPT = r'''
import asyncio, sys
from datetime import UTC, date, datetime, timedelta

from handlers.retention import run_retention  # the job alone

from sqlmodel import select
from storage.bookings import Booking, Slot, VisitKind, seed_booking_demo, take_seat
from storage.db import Database
from storage.followup import AnonymousOutcome, Avslut
from storage.models import ChannelAddress, Contact
from storage.outreach import GOING, Event, Rsvp
from storage.places import seed_stockholm

FEATURES = ("handlers.booking", "handlers.rsvp", "handlers.survey", "handlers.router", "bot.app")


async def main(url: str) -> None:
    db = Database(url)
    now = datetime.now(UTC)
    async with db.transaction() as session:
        await seed_stockholm(session)
        await seed_booking_demo(session, now)
        kind = (await session.execute(select(VisitKind))).scalars().first()
        # Never consented, silent 8 days: holds a visit seat and an event seat.
        silent = Contact(created_at=now - timedelta(days=9), last_active_at=now - timedelta(days=8),
                         status="new")
        # Consented, silent 25 months: their programme ended with an avslut.
        gone = Contact(created_at=now - timedelta(days=800), last_active_at=now - timedelta(days=780),
                       consented_at=now - timedelta(days=800), status="active", gender="kvinna")
        session.add_all([silent, gone])
        await session.flush()
        for person, address in ((silent, "+46701111111"), (gone, "+46702222222")):
            session.add(ChannelAddress(contact_id=person.id, channel="sms", address=address,
                                       created_at=person.created_at))
        start = (now + timedelta(days=2)).replace(microsecond=0)
        slot_id = await take_seat(session, kind, start)
        session.add(Booking(code="WIRE1", contact_id=silent.id, unit_id=kind.unit_id,
                            kind_id=kind.id, slot_id=slot_id, start=start,
                            end=start + timedelta(minutes=45), created_at=now))
        event = Event(kind="jobbmassa", title="Mässa", starts_at=now + timedelta(days=3),
                      place="Kista", seats=10, taken=1, created_at=now)
        session.add(event)
        await session.flush()
        session.add(Rsvp(event_id=event.id, contact_id=silent.id, status=GOING, created_at=now))
        session.add(Avslut(contact_id=gone.id, ended_on=date(2024, 9, 1), reason="arbete",
                           recorded_by="coach", recorded_at=now - timedelta(days=790)))
        ids = (silent.id, gone.id)
    async with db.transaction() as session:
        await run_retention(session, {"months": 24, "zone": "Europe/Stockholm"}, now)
    async with db.transaction() as session:
        assert [await session.get(Contact, i) for i in ids] == [None, None]
        assert (await session.get(Slot, slot_id)).taken == 0, "the visit seat was not freed"
        assert (await session.get(Event, event.id)).taken == 0, "the event seat was not freed"
        kept = (await session.execute(select(AnonymousOutcome))).scalars().all()
        assert [(k.reason, k.gender) for k in kept] == [("arbete", "kvinna")], kept
    await db.dispose()
    loaded = [name for name in FEATURES if name in sys.modules]
    assert not loaded, f"the retention job pulled in {loaded}"
    print("ok")


asyncio.run(main(sys.argv[1]))
'''


def test_the_retention_job_alone_frees_seats_and_keeps_the_anonymous_outcome(sqlite_url):
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", SCRIPT, sqlite_url], cwd=root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
