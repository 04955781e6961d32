"""What a visit kind has free: the generated slots less those whose seats are all taken."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.availability import (
    KindRules,
    SlotTime,
    WeeklyHours,
    candidate_slots,
    parse_weekly_hours,
    why_not_bookable,
)
from storage.bookings import VisitKind, closures, full_starts, opening_hours


def rules_of(kind: VisitKind) -> KindRules:
    return KindRules(duration=timedelta(minutes=kind.duration_minutes),
                     step=timedelta(minutes=kind.step_minutes),
                     min_notice=timedelta(minutes=kind.min_notice_minutes),
                     horizon_days=kind.horizon_days, drop_in=kind.drop_in,
                     hours=parse_weekly_hours(kind.hours))


async def _inputs(session: AsyncSession, kind: VisitKind, now: datetime, zone: ZoneInfo
                  ) -> tuple[KindRules, WeeklyHours, set[date]]:
    rules = rules_of(kind)
    today = now.astimezone(zone).date()
    hours = await opening_hours(session, kind.unit_id)
    closed = {c.day for c in await closures(session, kind.unit_id, today,
                                            today + timedelta(days=rules.horizon_days + 1))}
    return rules, hours, closed


async def free_slots(session: AsyncSession, kind: VisitKind, now: datetime, zone: ZoneInfo,
                     only_day: date | None = None) -> list[SlotTime]:
    """The times of a kind someone may book now, soonest first."""
    rules, hours, closed = await _inputs(session, kind, now, zone)
    slots = candidate_slots(rules, hours, closed, now, zone, only_day=only_day)
    if not slots:
        return []
    assert kind.id is not None
    full = await full_starts(session, kind.id, slots[0].start, slots[-1].start)
    return sorted(s for s in slots if s.start not in full)


async def why_day_is_not_free(session: AsyncSession, kind: VisitKind, day: date, now: datetime,
                              zone: ZoneInfo) -> str:
    """'past', 'too-far', 'closed' or 'full', for a day that has no free time."""
    rules, hours, closed = await _inputs(session, kind, now, zone)
    return why_not_bookable(day, rules, hours, closed, now, zone) or "full"


async def free_slot_at(session: AsyncSession, kind: VisitKind, start: datetime, now: datetime,
                       zone: ZoneInfo) -> SlotTime | None:
    """The free slot starting at this moment, or None (gone, full, closed, too soon)."""
    day = start.astimezone(zone).date()
    return next((s for s in await free_slots(session, kind, now, zone, only_day=day)
                 if s.start == start), None)
