"""Timed jobs falling due within seconds of real time, for restart and scale-out runs.

Every other person gets a follow-up survey (survey.send), the rest a reminder of a booked
visit (booking_reminder), each due somewhere in the next `spread` seconds, as the real
features schedule them (only the due times are brought close). `firings` then reads,
from what a fake Telegram received, how often each job reached its person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select

from handlers.reminders import REMINDER
from messages import Texts
from storage.bookings import Booking, VisitKind
from storage.db import Database
from storage.followup import SCHEDULED, Avslut, SurveyRun
from storage.jobs import schedule
from storage.models import Contact, ConversationState, Unit


async def schedule_soon(db: Database, contact_ids: list[int], now: datetime,
                        spread: float) -> dict[int, str]:
    """Schedule one job per person, due between now and now + `spread` seconds.

    Returns contact id -> what reaches them: the survey's opening, or the booking code
    that the reminder quotes.
    """
    expected: dict[int, str] = {}
    async with db.transaction() as session:
        unit = (await session.execute(select(Unit).limit(1))).scalar_one()
        kind = VisitKind(unit_id=unit.id, slug="timed-test", name="Besök")  # type: ignore[arg-type]
        session.add(kind)
        await session.flush()
        languages = dict((await session.execute(
            select(Contact.id, Contact.language).where(Contact.id.in_(contact_ids)))).all())  # type: ignore[union-attr]
        for n, contact_id in enumerate(contact_ids):
            due = now + timedelta(seconds=spread * n / max(1, len(contact_ids)))
            # Idle at the menu: a survey waits an hour for someone in another conversation.
            session.add(ConversationState(contact_id=contact_id, flow="menu", step="start",
                                          updated_at=now - timedelta(days=1)))
            if n % 2 == 0:
                avslut = Avslut(contact_id=contact_id, ended_on=(now - timedelta(days=90)).date(),
                                reason="arbete", recorded_by="test", recorded_at=now)
                session.add(avslut)
                await session.flush()
                run = SurveyRun(avslut_id=avslut.id, contact_id=contact_id,  # type: ignore[arg-type]
                                status=SCHEDULED, due_at=due)
                session.add(run)
                await session.flush()
                await schedule(session, "survey.send", due, now, contact_id=contact_id,
                               payload={"survey_id": run.id}, key=f"survey:send:{run.id}")
                expected[contact_id] = Texts(languages.get(contact_id) or "sv")("survey.intro")
            else:
                start = now + timedelta(days=3)
                booking = Booking(code=f"T{contact_id}", contact_id=contact_id, unit_id=unit.id,  # type: ignore[arg-type]
                                  kind_id=kind.id, start=start,  # type: ignore[arg-type]
                                  end=start + timedelta(minutes=45), created_at=now)
                session.add(booking)
                await session.flush()
                stamp = int(start.timestamp())
                await schedule(session, REMINDER, due, now, contact_id=contact_id,
                               payload={"booking_id": booking.id, "start": stamp, "offset": "24h"},
                               key=f"reminder:{booking.id}:{stamp}:24h")
                expected[contact_id] = booking.code
    return expected


def firings(expected: dict[int, str], sent: Iterable[tuple[int | str, str | None]]) -> Counter[int]:
    """How many times each person received their job's message, from (chat id, text) pairs.

    In these runs a person's Telegram chat id is their contact id.
    """
    seen: Counter[int] = Counter()
    for chat_id, text in sent:
        contact_id = int(chat_id)
        mark = expected.get(contact_id)
        if mark is not None and text and mark in text:
            seen[contact_id] += 1
    return seen
