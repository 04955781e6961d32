"""Pure slot generation: the bookable times of a visit kind, in local wall time (DST-safe).

Opening hours are wall-clock times in the unit's zone (Europe/Stockholm). A slot is made
from a local date and a local time and only then turned into UTC, so a daylight-saving
change never moves a visit: 10.00 stays 10.00 on both sides of the change. A local time
that does not exist (the skipped hour in March) is left out; a local time that happens
twice (the repeated hour in October) is offered once, at its first occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from dateutil.easter import easter

# weekday (Monday 0) -> the opening windows that day, as (opens, closes) local times
WeeklyHours = dict[int, list[tuple[time, time]]]


@dataclass(frozen=True)
class KindRules:
    """What the slot generator needs to know about a visit kind."""

    duration: timedelta = timedelta(minutes=45)
    step: timedelta = timedelta(minutes=60)  # from one start to the next
    min_notice: timedelta = timedelta(hours=2)
    horizon_days: int = 28
    drop_in: bool = False  # one slot per window: "kom mellan 13 och 15"
    hours: WeeklyHours | None = None  # the kind's own hours; None: the unit's


@dataclass(frozen=True, order=True)
class SlotTime:
    """One bookable time, as aware UTC datetimes."""

    start: datetime
    end: datetime = field(compare=False)

    def local(self, zone: ZoneInfo) -> datetime:
        return self.start.astimezone(zone)


@cache
def swedish_public_holidays(year: int) -> dict[date, str]:
    """Sweden's public holidays (helgdagar) and the eves offices close on, for one year."""
    easter_day = easter(year)
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    all_saints = next(date(year, 10, 31) + timedelta(days=d) for d in range(7)
                      if (date(year, 10, 31) + timedelta(days=d)).weekday() == 5)
    return {
        date(year, 1, 1): "Nyårsdagen",
        date(year, 1, 6): "Trettondedag jul",
        easter_day - timedelta(days=2): "Långfredagen",
        easter_day: "Påskdagen",
        easter_day + timedelta(days=1): "Annandag påsk",
        date(year, 5, 1): "Första maj",
        easter_day + timedelta(days=39): "Kristi himmelsfärds dag",
        date(year, 6, 6): "Sveriges nationaldag",
        easter_day + timedelta(days=49): "Pingstdagen",
        midsummer_eve: "Midsommarafton",
        midsummer_eve + timedelta(days=1): "Midsommardagen",
        all_saints: "Alla helgons dag",
        date(year, 12, 24): "Julafton",
        date(year, 12, 25): "Juldagen",
        date(year, 12, 26): "Annandag jul",
        date(year, 12, 31): "Nyårsafton",
    }


def is_public_holiday(day: date) -> bool:
    return day in swedish_public_holidays(day.year)


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The UTC moment of a local wall time, or None when that time does not exist
    (skipped by the spring change). A repeated time gives its first occurrence."""
    moment = datetime.combine(day, at, tzinfo=zone).replace(fold=0)
    in_utc = moment.astimezone(UTC)
    if in_utc.astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return in_utc


def windows_on(day: date, rules: KindRules, unit_hours: WeeklyHours) -> list[tuple[time, time]]:
    hours = rules.hours if rules.hours is not None else unit_hours
    return sorted(hours.get(day.weekday(), []))


def slots_on(day: date, rules: KindRules, unit_hours: WeeklyHours, zone: ZoneInfo
             ) -> list[SlotTime]:
    """Every slot on one local day, ignoring notice, horizon and closures."""
    found: list[SlotTime] = []
    for opens, closes in windows_on(day, rules, unit_hours):
        if rules.drop_in:
            start, end = local_moment(day, opens, zone), local_moment(day, closes, zone)
            if start is not None and end is not None and end > start:
                found.append(SlotTime(start, end))
            continue
        wall = datetime.combine(day, opens)
        last_end = datetime.combine(day, closes)
        while wall + rules.duration <= last_end:
            start = local_moment(day, wall.time(), zone)
            if start is not None:
                # The end is measured in wall time too: a 45-minute visit ends 45 wall
                # minutes later, which is what the person and the coach both see.
                end = local_moment(day, (wall + rules.duration).time(), zone)
                found.append(SlotTime(start, end or start + rules.duration))
            if rules.step <= timedelta(0):
                break
            wall += rules.step
    return sorted(set(found))


def bookable_days(rules: KindRules, now: datetime, zone: ZoneInfo) -> list[date]:
    """Local dates from today to the horizon (inclusive)."""
    today = now.astimezone(zone).date()
    return [today + timedelta(days=n) for n in range(rules.horizon_days + 1)]


def candidate_slots(rules: KindRules, unit_hours: WeeklyHours, closed: Iterable[date],
                    now: datetime, zone: ZoneInfo, only_day: date | None = None) -> list[SlotTime]:
    """Every slot that may be booked now (before seats are counted): open days within the
    horizon, not a public holiday or closure, starting at least the minimum notice ahead."""
    closed_days = set(closed)
    earliest = now + rules.min_notice
    days = bookable_days(rules, now, zone)
    if only_day is not None:
        days = [only_day] if only_day in days else []
    found: list[SlotTime] = []
    for day in days:
        if day in closed_days or is_public_holiday(day):
            continue
        found.extend(s for s in slots_on(day, rules, unit_hours, zone) if s.start >= earliest)
    return found


def why_not_bookable(day: date, rules: KindRules, unit_hours: WeeklyHours, closed: Iterable[date],
                     now: datetime, zone: ZoneInfo) -> str | None:
    """Why a day offers no time: 'past', 'too-far', 'closed' (the unit), 'not-held' (the
    unit is open, but this kind of visit has its own days and that is not one), 'full', or
    None if it has one before seats are counted."""
    today = now.astimezone(zone).date()
    if day < today:
        return "past"
    if day > today + timedelta(days=rules.horizon_days):
        return "too-far"
    if day in set(closed) or is_public_holiday(day):
        return "closed"
    if not windows_on(day, rules, unit_hours):
        return "not-held" if rules.hours is not None and unit_hours.get(day.weekday()) else "closed"
    if not candidate_slots(rules, unit_hours, closed, now, zone, only_day=day):
        return "full"
    return None


def parse_weekly_hours(raw: dict[str, list[list[str]]] | None) -> WeeklyHours | None:
    """Hours stored as JSON ({"0": [["09:00", "16:00"]]}) as times."""
    if not raw:
        return None
    return {int(day): [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in windows]
            for day, windows in raw.items()}
