"""The outreach funnel: reached -> consented -> booked -> attended -> enrolled -> avslut ->
three-month outcome, per source, unit or district, split by gender with women's share.

A person counts at a step only if they passed every step before it, so no step is more
than 100 % of the one before. People enrolled without a visit they booked and attended
(walk-ins, late enrolments) take their own entry path, counted apart. People still here
are counted from their rows, erased people from the journey kept when they were erased
(`ErasedCount`: district, first contact and the steps they passed). Rows kept before
revision 0007 had none of that: revision 0009 filled district and steps from the avslut
kept with them (enrolled, avslut, outcome, on the walk-in path since visits were not
kept); the rest count as reached, and consented when they had said yes, in no district,
and with no first contact only when no period is chosen. Periods are by the date of first
contact; masking follows storage/masking.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.bookings import Booking
from storage.followup import ANSWERED, Avslut, StaffOutcome, SurveyRun
from storage.masking import Table, mask
from storage.models import Contact, District, ErasedCount, Unit
from storage.outreach import OutreachMet, OutreachSource
from storage.periods import Period, columns_for

STEPS = ("reached", "consented", "booked", "attended", "enrolled", "avslut", "outcome")
WALK_IN_STEPS = ("enrolled", "avslut", "outcome")  # the walk-in / late enrolment path
GROUPINGS = ("source", "unit", "district", "none")
CONSENTED_BEFORE_ERASURE = ("asked", "retention")  # erasure reasons of people who had said yes
ALL = "all"
GENDERS = ("women", "men", "other")
UNKNOWN_KEY = {"source": ("none", "no source")}


def gender_bucket(gender: str | None) -> str:
    return {"kvinna": "women", "man": "men"}.get(gender or "", "other")


@dataclass(frozen=True)
class Journey:
    """One person as the funnel sees them (no person in it)."""

    gender: str
    source: int | None
    unit: int | None
    district: int | None
    first_contact: date | None
    passed: frozenset[str]  # reached, consented, booked, attended, enrolled, avslut, outcome

    def path(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The main-path steps this person counts at, and the walk-in steps."""
        main: list[str] = []
        for step in STEPS:
            if step not in self.passed:
                break
            main.append(step)
        walk_in: tuple[str, ...] = ()
        if "enrolled" in self.passed and "enrolled" not in main and "consented" in main:
            walk_in = tuple(s for s in WALK_IN_STEPS if s in self.passed)
            walk_in = walk_in[:next((i for i, s in enumerate(WALK_IN_STEPS)
                                     if s not in self.passed), len(WALK_IN_STEPS))]
        return tuple(main), walk_in


def journey_steps(consented: bool, booked: bool, attended: bool, enrolled: bool, ended: bool,
                  outcome: bool) -> frozenset[str]:
    flags = {"reached": True, "consented": consented, "booked": booked, "attended": attended,
             "enrolled": enrolled or ended, "avslut": ended, "outcome": outcome and ended}
    return frozenset(step for step, passed in flags.items() if passed)


def _flags_of(contact_id: Any) -> list[Any]:
    booked = exists(select(col(Booking.id)).where(col(Booking.contact_id) == contact_id))
    attended = exists(select(col(Booking.id)).where(col(Booking.contact_id) == contact_id,
                                                    col(Booking.status) == "attended"))
    ended = exists(select(col(Avslut.id)).where(col(Avslut.contact_id) == contact_id))
    outcome = or_(
        exists(select(col(SurveyRun.id)).where(col(SurveyRun.contact_id) == contact_id,
                                               col(SurveyRun.status) == ANSWERED)),
        exists(select(col(StaffOutcome.id)).where(col(StaffOutcome.contact_id) == contact_id)))
    return [booked, attended, ended, outcome]


async def journey_text(session: AsyncSession, contact: Contact) -> str:
    """The steps a person passed, as kept in ErasedCount.journey when they are erased."""
    booked, attended, ended, outcome = (await session.execute(
        select(*_flags_of(contact.id)))).one()
    passed = journey_steps(contact.consented_at is not None, bool(booked), bool(attended),
                           contact.enrolled_at is not None, bool(ended), bool(outcome))
    return ",".join(step for step in STEPS if step in passed)


async def journeys(session: AsyncSession, zone: ZoneInfo) -> list[Journey]:
    """Everyone ever reached: people still here and the erased."""
    found: list[Journey] = []
    rows = await session.execute(
        select(col(Contact.gender), col(Contact.source_id), col(Contact.unit_id),
               col(Contact.district_id), col(Contact.created_at), col(Contact.consented_at),
               col(Contact.enrolled_at), *_flags_of(col(Contact.id))))
    for (gender, source, unit, district, created, consented, enrolled, booked, attended,
         ended, outcome) in rows.all():
        found.append(Journey(gender_bucket(gender), source, unit, district,
                             _day(created, zone), journey_steps(
                                 consented is not None, bool(booked), bool(attended),
                                 enrolled is not None, bool(ended), bool(outcome))))
    for row in (await session.execute(select(ErasedCount))).scalars():
        if row.journey is not None:
            passed = frozenset(row.journey.split(",")) | {"reached"}
        else:
            passed = frozenset({"reached"} | ({"consented"} if row.reason
                                              in CONSENTED_BEFORE_ERASURE else set()))
        found.append(Journey(gender_bucket(row.gender), row.source_id, row.unit_id,
                             row.district_id, _day(row.first_contact_at, zone), passed))
    return found


def _day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment is not None else None


async def _names(session: AsyncSession, by: str) -> dict[int | None, tuple[str, str]]:
    """Group id -> (key, name)."""
    if by == "source":
        rows = (await session.execute(
            select(col(OutreachSource.id), col(OutreachSource.payload), col(OutreachSource.name)))).all()
    elif by == "unit":
        rows = (await session.execute(select(col(Unit.id), col(Unit.slug), col(Unit.name)))).all()
    elif by == "district":
        rows = (await session.execute(select(col(District.id), col(District.slug), col(District.name)))).all()
    else:
        return {}
    return {row[0]: (row[1], row[2]) for row in rows}


def _group_of(journey: Journey, by: str) -> int | None:
    return {"source": journey.source, "unit": journey.unit, "district": journey.district,
            }.get(by)


def _counts(people: Iterable[Journey]) -> dict[str, int]:
    counts = dict.fromkeys(GENDERS, 0)
    for person in people:
        counts[person.gender] += 1
    return {**counts, "total": sum(counts.values())}


def _step_dict(step: str, counts: dict[str, int], previous: dict[str, int] | None,
               masked: bool) -> dict[str, Any]:
    total = counts["total"]
    row: dict[str, Any] = {"step": step, "total": total, **{g: counts[g] for g in GENDERS},
                           "share_women": round(counts["women"] / total, 4) if total else None,
                           "of_previous": round(total / previous["total"], 4)
                           if previous is not None and previous["total"] else None,
                           "masked": masked}
    if masked:
        for key in ("total", *GENDERS, "share_women", "of_previous"):
            row[key] = None
    return row


def build_funnel(people: list[Journey], by: str, period: Period | None,
                 names: dict[int | None, tuple[str, str]],
                 met: dict[int | None, int] | None = None) -> dict[str, Any]:
    """The funnel of the people first reached in `period` (everyone when None), masked
    with the other quarters of its reporting year and, for units and districts, together
    (the hidden unit x district crossings keep one table from undoing the other)."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    columns = columns_for(period.start, period.end) if period else [None]
    axes = ("unit", "district") if by in ("unit", "district") else (() if by == "none" else (by,))
    frame = columns[-1]
    inside = [p for p in people if frame is None or (
        p.first_contact is not None and frame.start <= p.first_contact <= frame.end)]
    met_only = set(met or ()) if by == "source" else set()  # met there, nobody reached yet
    groups = {axis: sorted({_group_of(p, axis) for p in inside} | met_only,
                           key=lambda g: (g is None, str(g))) for axis in axes}
    table = Table(counts={}, published=set(), size="total")
    paths = [(f"main:{s}", s) for s in STEPS] + [(f"walk:{s}", s) for s in WALK_IN_STEPS]

    def passes(person: Journey, path: str) -> bool:
        main, walk_in = person.path()
        kind, step = path.split(":")
        return step in (main if kind == "main" else walk_in)

    crossings = sorted({(p.unit, p.district) for p in inside}, key=str) \
        if axes == ("unit", "district") else []
    rows: list[tuple[str, Any]] = [("all", None), *[(a, g) for a in axes for g in groups[a]],
                                   *[("cross", c) for c in crossings]]
    for column in columns:
        within = [p for p in inside if column is None or (
            p.first_contact is not None and column.start <= p.first_contact <= column.end)]
        for axis, group in rows:
            members = [p for p in within if axis == "all"
                       or (axis == "cross" and (p.unit, p.district) == group)
                       or (axis not in ("all", "cross") and _group_of(p, axis) == group)]
            for path, _ in paths:
                key = (axis, group, column, path)
                table.counts[key] = _counts(p for p in members if passes(p, path))
                if axis != "cross":
                    table.published.add(key)
            for chain in ([p for p, _ in paths[:len(STEPS)]], [p for p, _ in paths[len(STEPS):]]):
                table.orders += [((axis, group, column, a), (axis, group, column, b))
                                 for a, b in zip(chain, chain[1:], strict=False)]
        for path, _ in paths:
            for axis in axes:
                table.add_line(("all", None, column, path),
                               [(axis, g, column, path) for g in groups[axis]])
            for axis, index in (("unit", 0), ("district", 1)) if crossings else ():
                for group in groups[axis]:
                    table.add_line((axis, group, column, path), [
                        ("cross", c, column, path) for c in crossings if c[index] == group])
    if len(columns) > 1:
        for axis, group in rows:
            for path, _ in paths:
                table.add_line((axis, group, frame, path),
                               [(axis, group, q, path) for q in columns[:-1]])
    masked = mask(table)
    shown = period if period is not None and period in columns else columns[-1]

    def group_dict(axis: str, group: Any) -> dict[str, Any]:
        key, name = (ALL, "all") if axis == "all" else names.get(group) or UNKNOWN_KEY.get(
            by, ("unknown", "unknown"))
        main: list[dict[str, Any]] = []
        walk: list[dict[str, Any]] = []
        for index, (path, step) in enumerate(paths):
            cell = (axis, group, shown, path)
            first = index in (0, len(STEPS))
            previous = None if first else table.counts[(axis, group, shown, paths[index - 1][0])]
            if previous is not None and (axis, group, shown, paths[index - 1][0]) in masked:
                previous = {"total": 0}
            (main if index < len(STEPS) else walk).append(
                _step_dict(step, table.counts[cell], previous, cell in masked))
        found: dict[str, Any] = {"key": key, "name": name, "steps": main, "walk_in": walk}
        if met is not None and axis in ("source", "all"):
            found["met"] = met.get(group) if axis == "source" else (sum(met.values()) or None)
        return found

    return {"by": by, "steps": list(STEPS), "walk_in_steps": list(WALK_IN_STEPS),
            "period": {"from": period.start.isoformat(), "to": period.end.isoformat()}
            if period else None,
            "groups": sorted((group_dict(by, g) for g in groups.get(by, [])),
                             key=lambda g: (g["key"] in ("none", "unknown"), g["name"])),
            "total": group_dict("all", None)}


async def met_by_source(session: AsyncSession, period: Period | None) -> dict[int | None, int]:
    """Uppsökta: how many people staff met per source, where they recorded it."""
    query = select(col(OutreachMet.source_id), func.sum(col(OutreachMet.people))) \
        .group_by(col(OutreachMet.source_id))
    if period is not None:
        query = query.where(col(OutreachMet.met_on).between(period.start, period.end))
    return {source: int(total) for source, total in (await session.execute(query)).all()}


async def funnel(session: AsyncSession, by: str = "none", period: Period | None = None,
                 zone: ZoneInfo | None = None) -> dict[str, Any]:
    """The funnel per group (and in total), every step split by gender."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    zone = zone or ZoneInfo("Europe/Stockholm")
    return build_funnel(await journeys(session, zone), by, period, await _names(session, by),
                        await met_by_source(session, period) if by in ("source", "none")
                        else None)
