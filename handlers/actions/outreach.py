"""Staff action at an outreach source: record how many people staff met there (uppsökta).

Shared by the CLI and the dashboard; each edge parses its input and presents the result
or the `Refused` reason."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.actions.bookings import Refused
from storage.outreach import OutreachMet, source_by_ref
from storage.staff import audit

MAX_MET = 100_000  # more than any one outreach day; a typo, not a count


async def record_met(session: AsyncSession, actor: str, now: datetime, today: date,
                     source_ref: str, people: int, met_on: date | None = None) -> OutreachMet:
    """Record that staff met `people` people at a source (id, payload or keyword) on a day
    (today when None). The funnel shows the sums beside the reached step, outside the
    per-person steps. Raise Refused: not-found, people, future."""
    source = await source_by_ref(session, source_ref)
    if source is None or source.id is None:
        raise Refused("not-found", f"no source {source_ref}")
    if not 0 <= people <= MAX_MET:
        raise Refused("people", f"people must be 0 to {MAX_MET} (got {people})")
    day = met_on or today
    if day > today:
        raise Refused("future", f"{day} is after today ({today})")
    row = OutreachMet(source_id=source.id, people=people, met_on=day, recorded_by=actor[:80],
                      recorded_at=now)
    session.add(row)
    await session.flush()
    await audit(session, now, actor, "source.met", detail=f"{source.payload} {day} {people}")
    return row
