"""Report periods: the city's reporting year (September-August) and its four quarters.

People without the admin role may only ask for these fixed, non-overlapping periods, so
two reports can never be subtracted to reveal a few days; a quarter is masked as a part
of its year. The quarters are those of the reporting year: Sep-Nov, Dec-Feb, Mar-May,
Jun-Aug.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

FIRST_MONTH = 9  # the reporting year starts on 1 September


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def reporting_year(day: date) -> Period:
    """The reporting year (1 September - 31 August) that `day` falls in."""
    first = day.year if day.month >= FIRST_MONTH else day.year - 1
    return Period(date(first, FIRST_MONTH, 1), date(first + 1, FIRST_MONTH - 1, 31))


def default_period(today: date, delay_days: int) -> Period:
    """The report's default on every surface (CLI, dashboard, files): the latest reporting
    year whose three-month surveys have all had time (its end at least `delay_days`
    before today); the current year when even the previous one has not (a delay over a
    year)."""
    year = reporting_year(today)
    for _ in range(2):
        year = reporting_year(date(year.start.year - 1, FIRST_MONTH, 1))
        if (today - year.end).days >= delay_days:
            return year
    return reporting_year(today)


def cohort_year(first_year: int) -> Period:
    """`--cohort-year 2025`: 1 September 2025 - 31 August 2026."""
    return reporting_year(date(first_year, FIRST_MONTH, 1))


def quarters(year: Period) -> list[Period]:
    """The four quarters of a reporting year, in order."""
    parts = []
    for index in range(4):
        month = FIRST_MONTH + 3 * index
        first_year, first_month = year.start.year + (month - 1) // 12, (month - 1) % 12 + 1
        last = month + 2
        last_year, last_month = year.start.year + (last - 1) // 12, (last - 1) % 12 + 1
        parts.append(Period(date(first_year, first_month, 1), _month_end(last_year, last_month)))
    return parts


def frame_of(start: date, end: date) -> Period | None:
    """The reporting year when [start, end] is that year or one of its quarters, else None."""
    year = reporting_year(start)
    if Period(start, end) == year or Period(start, end) in quarters(year):
        return year
    return None


def fixed_periods(today: date, years: int = 3) -> list[Period]:
    """The periods a non-admin may choose: the last `years` reporting years (this one
    first) and the quarters of each, newest first."""
    found: list[Period] = []
    year = reporting_year(today)
    for _ in range(years):
        found.append(year)
        found += reversed(quarters(year))
        year = reporting_year(year.start.replace(year=year.start.year - 1))
    return found


def previous(period: Period) -> Period:
    """The same period a year earlier (for "previous period" beside a figure)."""
    def back(day: date) -> date:
        if day.month == 2 and day.day >= 28:
            return _month_end(day.year - 1, 2)
        return day.replace(year=day.year - 1)
    return Period(back(period.start), back(period.end))


def columns_for(start: date, end: date) -> list[Period]:
    """The periods masked together, the asked-for frame last: a reporting year's four
    quarters and the year when [start, end] is one of them, else just [start, end]."""
    frame = frame_of(start, end)
    return [Period(start, end)] if frame is None else [*quarters(frame), frame]
