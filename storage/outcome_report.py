"""The three-month outcome report: who ended in a cohort, split by a characteristic, masked.

The headline is the city's: share in work or studies = (arbete + studier) / answered, with
answered, unanswered and the response rate beside it (an answer that came after the
survey closed counts as answered, and `answered_late` says how many did), and the share
answering "ja" to "has jobbtorg made it easier for you to get a job or start studying?"
(target 67 %).
One case is one avslut. Survey answers and staff-recorded outcomes are counted apart:
the survey figures use survey answers only; `staff_*` fields count the outcomes coaches
recorded for people without a survey answer, and `all_sources_work_or_studies_share`
combines the two. Cells under five people are masked, with secondary suppression.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.export_safety import SafeDictWriter
from storage.followup import (
    AVSLUT_REASONS,
    TARGET_GROUPS,
    AnonymousOutcome,
    Avslut,
    StaffOutcome,
    SurveyRun,
    TargetGroupMembership,
    report_status,
)
from storage.models import Contact, District, Unit
from storage.tables import metadata

MIN_CELL = 5  # cells with fewer people (but some) are masked
SPLITS = ("gender", "age", "district", "unit", "source", "group", "reason")
UNKNOWN = "ej-angivet"
NO_GROUP = "ingen"
CHANCES_TARGET = 0.67
# Fixed orders where the values are known; other splits are sorted by name.
ORDERS: dict[str, tuple[str, ...]] = {
    "gender": ("kvinna", "man", "annat", UNKNOWN),
    "age": ("16-19", "20-24", "25-29", "30+", UNKNOWN),
    "group": (*TARGET_GROUPS, NO_GROUP),
    "reason": AVSLUT_REASONS,
}
FIELDS = ("group", "people", "answered", "unanswered", "response_rate", "work", "studies",
          "work_or_studies_share", "better_chances_share", "masked", "pending", "unclassified",
          "better_chances_answered", "staff_recorded", "staff_work", "staff_studies",
          "all_sources_work_or_studies_share", "not_asked",
          "answered_late")


@dataclass(frozen=True)
class Case:
    """One avslut in the cohort, as the report sees it (no person in it)."""

    ended_on: date
    reason: str
    survey: str  # answered, unanswered, pending, not-asked (avslut too old for a survey)
    category: str | None = None  # None while answered in words a coach has not classified
    better_chances: str | None = None
    staff_category: str | None = None
    gender: str | None = None
    age_band: str | None = None
    district: str | None = None
    unit: str | None = None
    source: str | None = None
    groups: tuple[str, ...] = ()
    late: bool = False  # answered after the survey closed: counted as answered, marked late


def default_cohort(now: datetime, zone: ZoneInfo, delay_days: int) -> tuple[date, date]:
    """Avslut dates in the 12 months ending `delay_days` before today (local time)."""
    end = now.astimezone(zone).date() - timedelta(days=delay_days)
    return year_before(end), end


def year_before(end: date) -> date:
    """The first day of the 12 months that end on `end` (inclusive)."""
    try:
        start = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28)
    return start + timedelta(days=1)


# --- loading ----------------------------------------------------------------------------


async def _names(session: AsyncSession) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """Unit slugs, district slugs and outreach source names by id."""
    units = {u.id: u.slug for u in (await session.execute(select(Unit))).scalars()}
    districts = {d.id: d.slug for d in (await session.execute(select(District))).scalars()}
    sources: dict[int, str] = {}
    table = metadata.tables.get("outreach_source")  # built by the outreach feature, if loaded
    if table is not None and "name" in table.c:
        rows = await session.execute(select(table.c.id, table.c.name))
        sources = {row.id: row.name for row in rows}
    return units, districts, sources  # type: ignore[return-value]


def _source(source_id: int | None, sources: dict[int, str]) -> str | None:
    if source_id is None:
        return None
    return sources.get(source_id, str(source_id))


async def load_cases(session: AsyncSession, start: date, end: date) -> list[Case]:
    """Every avslut with a date in [start, end]: living people's and erased people's."""
    units, districts, sources = await _names(session)
    in_cohort = Avslut.ended_on.between(start, end)  # type: ignore[attr-defined]
    cohort_ids = select(col(Avslut.id)).where(in_cohort)
    staff = {row.avslut_id: row.category for row in (await session.execute(
        select(StaffOutcome).where(StaffOutcome.avslut_id.in_(cohort_ids))  # type: ignore[attr-defined]
    )).scalars()}
    groups: dict[int, list[str]] = {}
    for member in (await session.execute(select(TargetGroupMembership).where(
            TargetGroupMembership.contact_id.in_(select(col(Avslut.contact_id)).where(in_cohort)))  # type: ignore[attr-defined]
    )).scalars():
        groups.setdefault(member.contact_id, []).append(member.target_group)
    result = await session.execute(
        select(Avslut, Contact, SurveyRun)
        .join(Contact, Contact.id == Avslut.contact_id)  # type: ignore[arg-type]
        .outerjoin(SurveyRun, SurveyRun.avslut_id == Avslut.id)  # type: ignore[arg-type]
        .where(in_cohort).order_by(Avslut.id))  # type: ignore[arg-type]
    cases = []
    for avslut, contact, run in result.all():
        status = report_status(run)
        cases.append(Case(
            ended_on=avslut.ended_on, reason=avslut.reason, survey=status,
            category=run.category if status == "answered" else None,
            better_chances=run.better_chances if run else None,
            staff_category=staff.get(avslut.id or 0), gender=contact.gender,
            age_band=contact.age_band, district=districts.get(contact.district_id or 0),
            unit=units.get(avslut.unit_id or 0), source=_source(contact.source_id, sources),
            groups=tuple(sorted(groups.get(contact.id or 0, []))),
            late=status == "answered" and run is not None and run.answered_late))
    kept = await session.execute(select(AnonymousOutcome).where(
        AnonymousOutcome.ended_on.between(start, end))  # type: ignore[attr-defined]
        .order_by(AnonymousOutcome.id))  # type: ignore[arg-type]
    for row in kept.scalars():
        cases.append(Case(
            ended_on=row.ended_on, reason=row.reason, survey=row.survey_status,
            category=row.category, better_chances=row.better_chances,
            staff_category=row.staff_category, gender=row.gender, age_band=row.age_band,
            district=districts.get(row.district_id or 0),
            unit=units.get(row.unit_id or 0),
            source=_source(row.source_id, sources), groups=tuple(sorted(row.target_groups)),
            late=row.survey_status == "answered" and row.answered_late))
    return cases


# --- figures ----------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def figures(group: str, cases: list[Case]) -> dict[str, Any]:
    """The figures of one cell, unmasked."""
    answered = [c for c in cases if c.survey == "answered"]
    unanswered = sum(1 for c in cases if c.survey == "unanswered")
    work = sum(1 for c in answered if c.category == "arbete")
    studies = sum(1 for c in answered if c.category == "studier")
    chances = [c.better_chances for c in cases if c.better_chances is not None]
    staff = [c.staff_category for c in cases if c.survey != "answered" and c.staff_category]
    staff_work, staff_studies = staff.count("arbete"), staff.count("studier")
    return {
        "group": group,
        "people": len(cases),
        "answered": len(answered),
        "unanswered": unanswered,
        "response_rate": _share(len(answered), len(answered) + unanswered),
        "work": work,
        "studies": studies,
        "work_or_studies_share": _share(work + studies, len(answered)),
        "better_chances_share": _share(chances.count("ja"), len(chances)),
        "masked": False,
        "pending": sum(1 for c in cases if c.survey == "pending"),
        "unclassified": sum(1 for c in answered if c.category is None),
        "better_chances_answered": len(chances),
        "staff_recorded": len(staff),
        "staff_work": staff_work,
        "staff_studies": staff_studies,
        "all_sources_work_or_studies_share": _share(work + studies + staff_work + staff_studies,
                                                    len(answered) + len(staff)),
        "not_asked": sum(1 for c in cases if c.survey == "not-asked"),
        "answered_late": sum(1 for c in answered if c.late),
    }


def _keys_of(by: str) -> Callable[[Case], Iterable[str]]:
    single: dict[str, Callable[[Case], str | None]] = {
        "gender": lambda c: c.gender, "age": lambda c: c.age_band,
        "district": lambda c: c.district, "unit": lambda c: c.unit,
        "source": lambda c: c.source, "reason": lambda c: c.reason,
    }
    if by == "group":
        return lambda c: c.groups or (NO_GROUP,)
    if by == "source":
        return lambda c: (c.source or NO_GROUP,)
    return lambda c: (single[by](c) or UNKNOWN,)


def _order(by: str, groups: Iterable[str]) -> list[str]:
    fixed = ORDERS.get(by, ())
    return sorted(groups, key=lambda g: (fixed.index(g) if g in fixed else len(fixed),
                                         g in (UNKNOWN, NO_GROUP), g))


def mask(rows: list[dict[str, Any]], total: dict[str, Any]) -> None:
    """Mask cells of one to four people, then one more where the total would reveal a
    single masked cell (the smallest other cell). Masked figures become None; an empty
    cohort (0 people) reveals nobody and is shown."""
    for row in [*rows, total]:
        row["masked"] = 0 < row["people"] < MIN_CELL
    masked = [r for r in rows if r["masked"]]
    if len(masked) == 1 and not total["masked"]:
        others = [r for r in rows if not r["masked"]]
        if others:
            min(others, key=lambda r: r["people"])["masked"] = True
    for row in [*rows, total]:
        if row["masked"]:
            for key in FIELDS:
                if key not in ("group", "masked"):
                    row[key] = None


def build_report(cases: list[Case], by: str, start: date, end: date) -> dict[str, Any]:
    """The report as the city reads it (see the module docstring)."""
    if by not in SPLITS:
        raise ValueError(f"--by must be one of {', '.join(SPLITS)}")
    keys_of = _keys_of(by)
    cells: dict[str, list[Case]] = {}
    for case in cases:
        for key in keys_of(case):
            cells.setdefault(key, []).append(case)
    rows = [figures(group, cells[group]) for group in _order(by, cells)]
    total = figures("total", cases)
    mask(rows, total)
    return {"cohort": {"from": start.isoformat(), "to": end.isoformat()}, "by": by,
            "rows": rows, "total": total}


async def outcome_report(session: AsyncSession, start: date, end: date,
                         by: str = "gender") -> dict[str, Any]:
    return build_report(await load_cases(session, start, end), by, start, end)


async def outcome_step(session: AsyncSession, start: date, end: date) -> dict[str, int]:
    """The funnel's last step for a cohort: avslut, answered, in work or studies."""
    cases = await load_cases(session, start, end)
    answered = [c for c in cases if c.survey == "answered"]
    return {"avslut": len(cases), "answered": len(answered),
            "work_or_studies": sum(1 for c in answered if c.category in ("arbete", "studier"))}


def report_csv(report: dict[str, Any]) -> str:
    """One line per group and a last line for the total; masked figures are empty."""
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=["by", "from", "to", *FIELDS], lineterminator="\n")
    writer.writeheader()
    head = {"by": report["by"], "from": report["cohort"]["from"], "to": report["cohort"]["to"]}
    for row in [*report["rows"], report["total"]]:
        writer.writerow({**head, **{k: ("" if v is None else v) for k, v in row.items()}})
    return out.getvalue()
