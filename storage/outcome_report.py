"""The three-month outcome report: who ended in a cohort, split by a characteristic, masked.

The headline is the city's: share in work or studies = (arbete + studier) / answered, with
answered, unanswered and the response rate beside it (an answer that came after the
survey closed counts as answered, and `answered_late` says how many did), and the share
answering "ja" to "has jobbtorg made it easier for you to get a job or start studying?"
(target 67 %).
One case is one avslut. Survey answers and staff-recorded outcomes are counted apart:
the survey figures use survey answers only; `staff_*` fields count the outcomes coaches
recorded for people without a survey answer, and `all_sources_work_or_studies_share`
combines the two. Masking follows the city's rule (storage/masking.py): whole rows,
masked together with the other quarters of the reporting year and, for units and
districts, with each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from messages import Texts
from storage.followup import (
    AVSLUT_REASONS,
    PROGRAMMES,
    TARGET_GROUPS,
    AnonymousOutcome,
    Avslut,
    StaffOutcome,
    SurveyRun,
    TargetGroupMembership,
    report_status,
)
from storage.masking import Table, mask
from storage.models import Contact, District, Unit
from storage.periods import Period, columns_for
from storage.tables import metadata

SPLITS = ("gender", "age", "district", "unit", "source", "group", "reason", "programme",
          "extent", "employment", "school")
# These split those in work (or in studies) by what they answered; everyone else is one row.
AMONG_PLACED = {"extent": "arbete", "employment": "arbete", "school": "studier"}
NOT_PLACED = {"arbete": "ej-i-arbete", "studier": "ej-i-studier"}
NESTED = ("unit", "district")  # districts are parts of units: masked together
TOTAL = "total"
OTHER_GENDER = "other"
GENDER_COLUMNS = ("kvinna", "man", OTHER_GENDER)
UNKNOWN = "ej-angivet"
NO_GROUP = "ingen"
CHANCES_TARGET = 0.67
# Fixed orders where the values are known; other splits are sorted by name.
ORDERS: dict[str, tuple[str, ...]] = {
    "gender": ("kvinna", "man", "annat", UNKNOWN),
    "age": ("16-19", "20-24", "25-29", "30+", UNKNOWN),
    "group": (*TARGET_GROUPS, NO_GROUP),
    "reason": AVSLUT_REASONS,
    "programme": (*PROGRAMMES, UNKNOWN),
    "extent": ("heltid", "deltid", "vet-inte", UNKNOWN, "ej-i-arbete"),
    "employment": ("tillsvidare", "visstid", "provanstallning", "timanstallning", "med-stod",
                   "eget-foretag", "vet-inte", UNKNOWN, "ej-i-arbete"),
    "school": ("komvux", "sfi", "folkhogskola", "gymnasium", "hogskola", "annat", "vet-inte",
               UNKNOWN, "ej-i-studier"),
}
# The counts that decide masking: the indicator the city reports (avslutade, svarat, i
# arbete, i studier) and the answers to the chances question. Each is held to the rule.
COUNTS = ("people", "answered", "unanswered", "work", "studies", "better_chances_answered",
          "unique_people")
# Counts for running the service (surveys still open, answers a coach must place,
# coach-recorded outcomes, late answers). Masking them with the rows would make whole
# tables blank, so each is masked on its own by the same engine (running_masked): a 1-4
# is hidden, and more where a sum along a split, the gender columns, the quarters, or
# what they are parts of inside the row (unanswered = open + not asked + the rest;
# answered = late + the rest; ...) would pin it. A share built on a hidden one is hidden.
SMALL_HIDDEN = ("pending", "unclassified", "staff_recorded", "staff_work", "staff_studies",
                "not_asked", "answered_late")
STAFF = ("staff_recorded", "staff_work", "staff_studies")
KNOWN = ("people", "answered", "unanswered", "work", "studies")
# Inside one cell: whole = parts (a trailing "rest:" part is never published).
PARTS = (("unanswered", ("pending", "not_asked", "rest:unanswered")),
         ("unanswered", ("staff_recorded", "rest:staff")),
         ("staff_recorded", ("staff_work", "staff_studies", "rest:staff_kind")),
         ("answered", ("answered_late", "rest:late")),
         ("answered", ("work", "studies", "unclassified", "rest:answered")))
FIELDS = ("group", "people", "answered", "unanswered", "response_rate", "work", "studies",
          "work_or_studies_share", "better_chances_share", "masked", "pending", "unclassified",
          "better_chances_answered", "staff_recorded", "staff_work", "staff_studies",
          "all_sources_work_or_studies_share", "not_asked", "unique_people", "answered_late")


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
    programme: str | None = None
    extent: str | None = None  # heltid, deltid: of an answer "arbete"
    employment: str | None = None  # the kind of employment: of an answer "arbete"
    school: str | None = None  # of an answer "studier"
    person: int | None = None  # the contact, to count people apart from avslut; None: erased


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


async def display_names(session: AsyncSession) -> dict[str, str]:
    """The names staff know for the keys a report shows: units, districts, target groups
    and programmes (outreach sources are keyed by name already)."""
    names = {**TARGET_GROUPS, **PROGRAMMES}
    for slug, name in [*(await session.execute(select(col(Unit.slug), col(Unit.name)))).all(),
                       *(await session.execute(select(col(District.slug),
                                                      col(District.name)))).all()]:
        names[slug] = name
    return names


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
            late=status == "answered" and run is not None and run.answered_late,
            programme=avslut.programme or contact.programme,
            extent=run.extent if run and status == "answered" else None,
            employment=run.employment if run and status == "answered" else None,
            school=run.school if run and status == "answered" else None,
            person=contact.id))
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
            late=row.survey_status == "answered" and row.answered_late,
            programme=row.programme, extent=row.extent, employment=row.employment,
            school=row.school))
    return cases


# --- figures ----------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def figures(group: str, cases: list[Case]) -> dict[str, Any]:
    """The figures of one cell, unmasked."""
    answered = [c for c in cases if c.survey == "answered"]
    work = sum(1 for c in answered if c.category == "arbete")
    studies = sum(1 for c in answered if c.category == "studier")
    chances = [c.better_chances for c in cases if c.better_chances is not None]
    staff = [c.staff_category for c in cases if c.survey != "answered" and c.staff_category]
    staff_work, staff_studies = staff.count("arbete"), staff.count("studier")
    return {
        "group": group,
        "people": len(cases),
        "answered": len(answered),
        "unanswered": len(cases) - len(answered),  # no answer yet: open surveys included
        "response_rate": _share(len(answered), len(cases)),
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
        # one person may end twice; an erased person counts once per avslut
        "unique_people": len({c.person for c in cases if c.person is not None})
        + sum(1 for c in cases if c.person is None),
    }


def _keys_of(by: str) -> Callable[[Case], Iterable[str]]:
    single: dict[str, Callable[[Case], str | None]] = {
        "gender": lambda c: c.gender, "age": lambda c: c.age_band,
        "district": lambda c: c.district, "unit": lambda c: c.unit,
        "source": lambda c: c.source, "reason": lambda c: c.reason,
        "programme": lambda c: c.programme,
    }
    if by == "group":
        return lambda c: c.groups or (NO_GROUP,)
    if by in AMONG_PLACED:
        placed = AMONG_PLACED[by]
        return lambda c: ((getattr(c, by) or UNKNOWN) if c.survey == "answered"
                          and c.category == placed else NOT_PLACED[placed],)
    if by == "source":
        return lambda c: (c.source or NO_GROUP,)
    return lambda c: (single[by](c) or UNKNOWN,)


def _order(by: str, groups: Iterable[str]) -> list[str]:
    fixed = ORDERS.get(by, ())
    return sorted(groups, key=lambda g: (fixed.index(g) if g in fixed else len(fixed),
                                         g in (UNKNOWN, NO_GROUP), g))


def counts_of(cell: dict[str, Any], cases: list[Case]) -> dict[str, int]:
    """Every count a cell publishes, directly or through a share (the "ja" answers)."""
    counts = {key: int(cell[key]) for key in COUNTS}
    counts["better_chances_yes"] = sum(1 for c in cases if c.better_chances == "ja")
    return counts


def _hide_running(row: dict[str, Any], hidden: dict[str, set[Any]], key: Any) -> None:
    """Hide the running counts the masking hid in this cell, and the share built on them."""
    for name in SMALL_HIDDEN:
        if key in hidden.get(name, ()):
            row[name] = None
    if any(row[name] is None for name in STAFF):
        row["all_sources_work_or_studies_share"] = None


def _hide(row: dict[str, Any]) -> None:
    row["masked"] = True
    for key in FIELDS:
        if key not in ("group", "masked"):
            row[key] = None


def gender_column(case: Case) -> str:
    """Kvinnor, Män, and the rest (another gender or not given: Totalt - Kvinnor - Män)."""
    return case.gender if case.gender in ("kvinna", "man") else OTHER_GENDER


# A table per split; units and districts share one (districts are parts of units).
TABLES: dict[str, tuple[str, ...]] = {"gender": (), "age": ("age",), "unit": NESTED,
                                      "district": NESTED, "source": ("source",),
                                      "group": ("group",), "reason": ("reason",),
                                      "programme": ("programme",), "extent": ("extent",),
                                      "employment": ("employment",), "school": ("school",)}


class Frame:
    """Every cell of every split over a set of periods, with the cells masked together.

    A cell key is (axis, group, period, column): axis "total" or a split, column a
    gender column or TOTAL. The gender split is the core every other table shares
    (its rows are the other tables' Kvinnor/Män columns), so the core is masked first
    and grown until every table accepts it."""

    def __init__(self, cases: list[Case], columns: list[Period]) -> None:
        self.columns = columns
        frame = columns[-1]
        self.cases = [c for c in cases if frame.start <= c.ended_on <= frame.end]
        self.figures: dict[Any, dict[str, Any]] = {}
        self.counts: dict[Any, dict[str, int]] = {}
        self.orders = {axis: _order(axis, {k for c in self.cases for k in _keys_of(axis)(c)})
                       for axis in SPLITS}

    def _cell(self, key: Any, members: list[Case]) -> None:
        if key not in self.counts:
            cell = figures(str(key[1]), members)
            self.figures[key] = cell
            self.counts[key] = counts_of(cell, members)

    def table(self, by: str) -> Table:
        table = Table(counts={}, published=set(), size="people")
        axes = TABLES[by]
        crossings = sorted({(c.unit or UNKNOWN, c.district or UNKNOWN) for c in self.cases}) \
            if axes == NESTED else []
        rows: list[tuple[str, Any]] = [("total", TOTAL), ("gender", "annat"), ("gender", UNKNOWN)]
        rows += [(axis, g) for axis in axes for g in self.orders[axis]]
        rows += [("cross", pair) for pair in crossings]

        def members_of(axis: str, group: Any, period: Period, column: str) -> list[Case]:
            found = [c for c in self.cases if period.start <= c.ended_on <= period.end]
            if axis == "cross":
                found = [c for c in found if (c.unit or UNKNOWN, c.district or UNKNOWN) == group]
            elif axis == "gender":
                found = [c for c in found if (c.gender or UNKNOWN) == group]
            elif axis != "total":
                found = [c for c in found if group in _keys_of(axis)(c)]
            return found if column == TOTAL else [c for c in found if gender_column(c) == column]

        for period in self.columns:
            for axis, group in rows:
                columns = (TOTAL,) if axis == "gender" else (TOTAL, *GENDER_COLUMNS)
                for column in columns:
                    key = (axis, group, period, column)
                    self._cell(key, members_of(axis, group, period, column))
                    table.counts[key] = self.counts[key]
                    if axis != "cross":
                        table.published.add(key)
                if axis != "gender":
                    table.add_line((axis, group, period, TOTAL),
                                   [(axis, group, period, g) for g in GENDER_COLUMNS])
            table.add_line(("total", TOTAL, period, OTHER_GENDER),
                           [("gender", g, period, TOTAL) for g in ("annat", UNKNOWN)])
            for axis in axes:
                if axis == "group":  # a person can be in several target groups
                    continue
                for column in (TOTAL, *GENDER_COLUMNS):
                    table.add_line(("total", TOTAL, period, column),
                                   [(axis, g, period, column) for g in self.orders[axis]])
            for axis, index in (("unit", 0), ("district", 1)) if crossings else ():
                for group in self.orders[axis]:
                    for column in (TOTAL, *GENDER_COLUMNS):
                        table.add_line((axis, group, period, column), [
                            ("cross", pair, period, column) for pair in crossings
                            if pair[index] == group])
        if len(self.columns) > 1:
            frame = self.columns[-1]
            for axis, group in rows:
                for column in (TOTAL,) if axis == "gender" else (TOTAL, *GENDER_COLUMNS):
                    table.add_line((axis, group, frame, column),
                                   [(axis, group, q, column) for q in self.columns[:-1]])
        return table

    def masked(self) -> set[Any]:
        """The masked cells of every table, the shared core grown until all agree."""
        core: set[Any] = set()
        while True:
            found: set[Any] = set()
            for by in dict.fromkeys(TABLES.values()):
                name = next(k for k, v in TABLES.items() if v == by)
                found |= mask(self.table(name), initial=core)
            shared = {k for k in found if k[0] in ("total", "gender")}
            if shared <= core:
                return found
            core |= shared


    def running_table(self, by: str, masked: set[Any]) -> Table:
        """The running counts of every cell as cells of their own ((cell, name) keys), with
        the lines of the split and of what they are parts of inside their cell; the
        report's figures (people, answered, ...) are known to the attacker."""
        base = self.table(by)
        flat = Table(counts={}, published=set(), size="n")
        names = (*KNOWN, *SMALL_HIDDEN)
        for key in base.counts:
            figures = self.figures[key]
            for name in names:
                flat.counts[(key, name)] = {"n": int(figures[name])}
                if key in base.published:
                    flat.published.add((key, name))
                    if name in KNOWN and key not in masked:
                        flat.fixed.add((key, name))
            for whole, parts in PARTS:
                rest = parts[-1]
                flat.counts[(key, rest)] = {"n": int(figures[whole]) - sum(
                    int(figures[p]) for p in parts[:-1])}
                flat.add_line((key, whole), [(key, p) for p in parts])
        for margin, members in base.lines:
            for name in names:
                flat.add_line((margin, name), [(m, name) for m in members])
        flat.orders = [((a, name), (b, name)) for a, b in base.orders for name in names]
        return flat

    def running_masked(self, masked: set[Any]) -> dict[str, set[Any]]:
        """For each running count, the cells where it is hidden (see SMALL_HIDDEN)."""
        hidden_rows = {(k, n) for k in masked for n in (*KNOWN, *SMALL_HIDDEN)}
        core: set[Any] = set(hidden_rows)
        while True:
            found: set[Any] = set()
            for by in dict.fromkeys(TABLES.values()):
                name = next(k for k, v in TABLES.items() if v == by)
                found |= mask(self.running_table(name, masked), initial=core)
            shared = {k for k in found if k[0][0] in ("total", "gender")}
            if shared <= core:
                break
            core |= shared
        result: dict[str, set[Any]] = {name: set() for name in SMALL_HIDDEN}
        for key, name in found:
            if name in result:
                result[name].add(key)
        return result


def _row(frame: Frame, masked: set[Any], hidden: dict[str, set[Any]], axis: str, group: str,
         period: Period) -> dict[str, Any]:
    key = (axis, group, period, TOTAL)
    if axis == "gender" and group in GENDER_COLUMNS:  # the total's Kvinnor/Män column
        key = ("total", TOTAL, period, group)
    row = {**frame.figures[key], "group": group}
    _hide(row) if key in masked else _hide_running(row, hidden, key)
    if axis != "gender":
        row["genders"] = {}
        for column in GENDER_COLUMNS:
            part = dict(frame.figures[(axis, group, period, column)])
            cell = (axis, group, period, column)
            _hide(part) if cell in masked else _hide_running(part, hidden, cell)
            row["genders"][column] = part
    return row


NAMED_SPLITS = ("gender", "age", "group", "reason", "extent", "employment", "school",
                "programme")


def display_name(by: str, group: str, names: dict[str, str]) -> str:
    """The Swedish name staff know for a row (JSON's `name`; the slug is `key`)."""
    t = Texts("sv")
    if group == UNKNOWN:
        return t("staff.report.unknown")
    if group == NO_GROUP:
        return t("staff.report.no_source" if by == "source" else "staff.report.no_group")
    key = f"staff.report.{by}.{group}"
    if by in NAMED_SPLITS and t.has(key):
        return t(key)
    return names.get(group, group)


def build_reports(cases: list[Case], splits: Iterable[str], start: date, end: date,
                  names: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """The report for each split (see build_report), masked together once."""
    columns = columns_for(start, end)
    frame = Frame(cases, columns)
    masked = frame.masked()
    hidden = frame.running_masked(masked)
    shown = Period(start, end)
    reports = {}
    for by in splits:
        if by not in SPLITS:
            raise ValueError(f"--by must be one of {', '.join(SPLITS)}")
        rows = []
        for group in frame.orders[by]:
            row = _row(frame, masked, hidden, by, group, shown)
            row["key"] = group  # the slug; "name" is what staff read
            row["name"] = display_name(by, group, names or {})
            rows.append(row)
        reports[by] = {"cohort": {"from": start.isoformat(), "to": end.isoformat()}, "by": by,
                       "rows": rows, "total": _row(frame, masked, hidden, "total", TOTAL, shown)}
    return reports


def build_report(cases: list[Case], by: str, start: date, end: date,
                 names: dict[str, str] | None = None) -> dict[str, Any]:
    """The report as the city reads it (see the module docstring). `cases` may cover a
    longer time than [start, end] (the reporting year around a quarter): that year's
    quarters are masked together with it, so no period can be subtracted from another.
    Each row also has its figures by gender column (Kvinnor, Män, the rest) under
    "genders"; `names` gives the names of units, districts and groups shown for keys."""
    return build_reports(cases, [by], start, end, names)[by]


async def outcome_report(session: AsyncSession, start: date, end: date,
                         by: str = "gender") -> dict[str, Any]:
    return (await outcome_reports(session, start, end, [by]))[by]


async def outcome_reports(session: AsyncSession, start: date, end: date,
                          splits: Iterable[str] = SPLITS) -> dict[str, dict[str, Any]]:
    """The report of [start, end] for each split, masked together."""
    frame = columns_for(start, end)[-1]
    return build_reports(await load_cases(session, frame.start, frame.end), splits, start, end,
                         await display_names(session))


async def outcome_step(session: AsyncSession, start: date, end: date) -> dict[str, int]:
    """The funnel's last step for a cohort: avslut, answered, in work or studies."""
    cases = await load_cases(session, start, end)
    answered = [c for c in cases if c.survey == "answered"]
    return {"avslut": len(cases), "answered": len(answered),
            "work_or_studies": sum(1 for c in answered if c.category in ("arbete", "studier"))}
