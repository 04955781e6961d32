"""Tables and queries for the three-month follow-up: avslut, survey runs, outcomes, target groups.

Survey answers (what the person said) and staff-recorded outcomes (what a coach knows
about someone who did not answer) are kept in separate tables so the report can show
both without mixing them. Target groups are recorded by staff only; the bot never asks.
`AnonymousOutcome` has no contact_id on purpose: it is what survives a person's erasure,
so the outcome report still counts their answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, UniqueConstraint, delete, false, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from storage.models import Contact, json_column, utc

# Avslutsorsak: why a programme ended. Required (11 % once had none; DOMAIN.md).
AVSLUT_REASONS: tuple[str, ...] = ("arbete", "studier", "annan-insats", "flyttat", "avbrutit",
                                   "annat")

# Programmes (insatser) the city reports on; recorded by a coach at enrolment or avslut.
PROGRAMMES: dict[str, str] = {
    "stockholmsjobb": "Stockholmsjobb",
    "ungdomsanstallning": "Ungdomsanställning",
    "arbetslagsanstallning": "Arbetslagsanställning",
    "serviceassistent": "Serviceassistent",
    "annan": "Annan insats",
}

# The city's target groups (DOMAIN.md, "Target groups"): key -> the name staff know.
TARGET_GROUPS: dict[str, str] = {
    "kaa": "KAA",
    "ingang-20-29": "Ingång 20–29",  # the names the reports use (bot/report_labels)
    "kvinnor-langt-fran-arbetsmarknaden": "Kvinnor långt från arbetsmarknaden",
    "nyanland": "Nyanlända",
    "funktionsnedsattning": "Funktionsnedsättning",
    "forsorjningsstod": "Försörjningsstöd",
}

# Survey run statuses. Answered: the main question has an answer (a category, or free
# text waiting for a coach). Unanswered: expired, or never sent (opted out, not active).
SCHEDULED, SENT, ANSWERED, EXPIRED, NOT_SENT = "scheduled", "sent", "answered", "expired", "not-sent"
# An avslut recorded more than LATE_LIMIT_DAYS after it happened gets no survey: asked
# that late, the answer says little about three months after. The report counts it apart.
TOO_OLD = "too-old"
LATE_LIMIT_DAYS = 180
OPEN_STATUSES = (SCHEDULED, SENT)
UNANSWERED_STATUSES = (EXPIRED, NOT_SENT)
CHANCES = ("ja", "delvis", "nej")


class FollowupError(ValueError):
    """A bad request from staff (unknown person, reason, category ...), with a clear message."""


class Avslut(SQLModel, table=True):
    """The ending of a person's programme at a jobbtorg, with its reason."""

    __table_args__ = (UniqueConstraint("contact_id", "ended_on", name="uq_avslut_contact_day"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    ended_on: date = Field(sa_column=Column(Date, nullable=False, index=True))
    reason: str = Field(max_length=24)
    recorded_by: str = Field(max_length=80)
    recorded_at: datetime = utc(nullable=False)
    programme: str | None = Field(default=None, max_length=32)  # a key of PROGRAMMES


class SurveyRun(SQLModel, table=True):
    """The follow-up survey of one avslut: when it goes out, and what the person answered."""

    __tablename__ = "survey_run"

    id: int | None = Field(default=None, primary_key=True)
    avslut_id: int = Field(foreign_key="avslut.id", unique=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    status: str = Field(default=SCHEDULED, max_length=16, index=True)
    due_at: datetime = utc(nullable=False)
    # Sent after its planned day because the avslut was recorded after it.
    late: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    sent_at: datetime | None = utc()
    reminded_at: datetime | None = utc()
    answered_at: datetime | None = utc()
    completed_at: datetime | None = utc()
    closed_at: datetime | None = utc()
    channel: str | None = Field(default=None, max_length=16)
    category: str | None = Field(default=None, max_length=16)
    extent: str | None = Field(default=None, max_length=16)
    employment: str | None = Field(default=None, max_length=24)
    school: str | None = Field(default=None, max_length=24)
    # An answer the bot could not place, after one re-ask: a coach classifies it.
    free_text: str | None = Field(default=None, max_length=1000)
    classified_by: str | None = Field(default=None, max_length=80)
    classified_at: datetime | None = utc()
    better_chances: str | None = Field(default=None, max_length=8)  # ja, delvis, nej
    comment: str | None = Field(default=None, max_length=1000)
    # The answer came after the survey had closed (expired): kept, counted as answered
    # (not `late`, which is about sending).
    answered_late: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # A second thing the person does now ("jobbar och pluggar": arbete, also studier).
    also_category: str | None = Field(default=None, max_length=16)


class StaffOutcome(SQLModel, table=True):
    """An outcome a coach recorded for an avslut (e.g. the person did not answer)."""

    __tablename__ = "staff_outcome"

    id: int | None = Field(default=None, primary_key=True)
    avslut_id: int = Field(foreign_key="avslut.id", unique=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    category: str = Field(max_length=16)
    extent: str | None = Field(default=None, max_length=16)
    employment: str | None = Field(default=None, max_length=24)
    school: str | None = Field(default=None, max_length=24)
    recorded_by: str = Field(max_length=80)
    recorded_at: datetime = utc(nullable=False)


class TargetGroupMembership(SQLModel, table=True):
    """A target group staff recorded for a person; one person can be in several."""

    __tablename__ = "target_group"

    __table_args__ = (UniqueConstraint("contact_id", "target_group", name="uq_target_group"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    target_group: str = Field(max_length=40)
    recorded_by: str = Field(max_length=80)
    recorded_at: datetime = utc(nullable=False)


class AnonymousOutcome(SQLModel, table=True):
    """One avslut of an erased person, without the person: only what the report counts."""

    __tablename__ = "anonymous_outcome"

    id: int | None = Field(default=None, primary_key=True)
    kept_at: datetime = utc(nullable=False)
    ended_on: date = Field(sa_column=Column(Date, nullable=False, index=True))
    reason: str = Field(max_length=24)
    unit_id: int | None = None
    district_id: int | None = None
    source_id: int | None = None
    gender: str | None = Field(default=None, max_length=16)
    age_band: str | None = Field(default=None, max_length=8)
    target_groups: list[str] = json_column(list)
    survey_status: str = Field(max_length=16)  # answered or unanswered
    category: str | None = Field(default=None, max_length=16)
    extent: str | None = Field(default=None, max_length=16)
    employment: str | None = Field(default=None, max_length=24)
    school: str | None = Field(default=None, max_length=24)
    better_chances: str | None = Field(default=None, max_length=8)
    staff_category: str | None = Field(default=None, max_length=16)
    answered_late: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    programme: str | None = Field(default=None, max_length=32)


# --- avslut -----------------------------------------------------------------------------


async def add_avslut(session: AsyncSession, contact: Contact, ended_on: date, reason: str,
                     actor: str, now: datetime, unit_id: int | None = None,
                     replace: bool = False) -> tuple[Avslut, bool]:
    """Record an avslut. Returns it and True when it is new. The same day again is refused
    unless `replace` (a coach correcting the reason or unit)."""
    if reason not in AVSLUT_REASONS:
        raise FollowupError(f"the reason must be one of {', '.join(AVSLUT_REASONS)} "
                            f"(got {reason!r})")
    assert contact.id is not None
    existing = (await session.execute(select(Avslut).where(
        col(Avslut.contact_id) == contact.id, col(Avslut.ended_on) == ended_on))).scalar_one_or_none()
    if existing is not None:
        if not replace:
            raise FollowupError(f"contact {contact.id} already has an avslut on {ended_on} "
                                f"(id {existing.id}, reason {existing.reason}); "
                                "pass --replace to correct it")
        existing.reason = reason
        existing.unit_id = unit_id if unit_id is not None else existing.unit_id
        existing.recorded_by, existing.recorded_at = actor, now
        await session.flush()
        return existing, False
    avslut = Avslut(contact_id=contact.id, unit_id=unit_id if unit_id is not None
                    else contact.unit_id, ended_on=ended_on, reason=reason,
                    recorded_by=actor, recorded_at=now)
    session.add(avslut)
    await session.flush()
    return avslut, True


async def avslut_of(session: AsyncSession, contact_id: int) -> list[Avslut]:
    """A person's avslut, newest first."""
    result = await session.execute(select(Avslut).where(col(Avslut.contact_id) == contact_id)
                                   .order_by(col(Avslut.ended_on).desc(), col(Avslut.id).desc()))
    return list(result.scalars())


# --- survey runs ------------------------------------------------------------------------


async def survey_for_avslut(session: AsyncSession, avslut_id: int) -> SurveyRun | None:
    return (await session.execute(select(SurveyRun).where(col(SurveyRun.avslut_id) == avslut_id))
            ).scalar_one_or_none()


async def surveys_of(session: AsyncSession, contact_id: int) -> list[SurveyRun]:
    result = await session.execute(select(SurveyRun).where(col(SurveyRun.contact_id) == contact_id)
                                   .order_by(SurveyRun.id))  # type: ignore[arg-type]
    return list(result.scalars())


async def unclassified_answers(session: AsyncSession) -> list[tuple[SurveyRun, Avslut]]:
    """Answers the bot could not place, oldest first, for a coach to classify."""
    result = await session.execute(
        select(SurveyRun, Avslut).join(Avslut, Avslut.id == SurveyRun.avslut_id)  # type: ignore[arg-type]
        .where(SurveyRun.free_text.is_not(None), SurveyRun.category.is_(None))  # type: ignore[union-attr]
        .order_by(SurveyRun.answered_at, SurveyRun.id))  # type: ignore[arg-type]
    return [(run, avslut) for run, avslut in result.all()]


# --- staff outcomes and target groups ---------------------------------------------------


async def set_staff_outcome(session: AsyncSession, avslut: Avslut, category: str,
                            extent: str | None, employment: str | None, school: str | None,
                            actor: str, now: datetime) -> StaffOutcome:
    """Record (or replace) the outcome a coach knows for one avslut."""
    assert avslut.id is not None
    row = (await session.execute(select(StaffOutcome).where(
        col(StaffOutcome.avslut_id) == avslut.id))).scalar_one_or_none()
    if row is None:
        row = StaffOutcome(avslut_id=avslut.id, contact_id=avslut.contact_id, category=category,
                           recorded_by=actor, recorded_at=now)
        session.add(row)
    row.category, row.extent, row.employment, row.school = category, extent, employment, school
    row.recorded_by, row.recorded_at = actor, now
    await session.flush()
    return row


async def staff_outcomes_of(session: AsyncSession, contact_id: int) -> list[StaffOutcome]:
    result = await session.execute(select(StaffOutcome).where(
        col(StaffOutcome.contact_id) == contact_id))
    return list(result.scalars())


async def target_groups_of(session: AsyncSession, contact_id: int) -> list[str]:
    result = await session.execute(select(col(TargetGroupMembership.target_group)).where(
        col(TargetGroupMembership.contact_id) == contact_id))
    found = set(result.scalars())
    return [key for key in TARGET_GROUPS if key in found]


async def set_target_groups(session: AsyncSession, contact_id: int, groups: list[str],
                            actor: str, now: datetime) -> list[str]:
    """Replace a person's target groups with `groups` (keys of TARGET_GROUPS)."""
    unknown = [g for g in groups if g not in TARGET_GROUPS]
    if unknown:
        raise FollowupError(f"unknown target group {unknown[0]!r}")
    await session.execute(delete(TargetGroupMembership).where(
        TargetGroupMembership.contact_id == contact_id))  # type: ignore[arg-type]
    for key in dict.fromkeys(groups):
        session.add(TargetGroupMembership(contact_id=contact_id, target_group=key,
                                          recorded_by=actor, recorded_at=now))
    await session.flush()
    return await target_groups_of(session, contact_id)


# --- erasure ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveySnapshot:
    """What the report needs of one survey run."""

    status: str  # answered, unanswered, pending
    category: str | None = None
    extent: str | None = None
    employment: str | None = None
    school: str | None = None
    better_chances: str | None = None


def report_status(run: SurveyRun | None) -> str:
    """answered, unanswered, not-asked (too old for a survey) or pending, as the report
    counts a survey run."""
    if run is None:
        return "pending"
    if run.status == TOO_OLD:
        return "not-asked"
    if run.status == ANSWERED:
        return "answered"
    if run.status in UNANSWERED_STATUSES:
        return "unanswered"
    return "pending"


async def keep_anonymous_outcome(session: AsyncSession, contact: Contact, now: datetime) -> None:
    """Before erasure (storage.erasure): keep each of the person's avslut as an anonymous outcome row.

    A survey still running when the person is erased can never be answered, so it counts
    as unanswered."""
    assert contact.id is not None
    groups = await target_groups_of(session, contact.id)
    staff = {row.avslut_id: row for row in await staff_outcomes_of(session, contact.id)}
    runs = {run.avslut_id: run for run in await surveys_of(session, contact.id)}
    for avslut in await avslut_of(session, contact.id):
        run = runs.get(avslut.id)  # type: ignore[arg-type]
        answered = run is not None and run.status == ANSWERED
        status = report_status(run)
        staff_row = staff.get(avslut.id)  # type: ignore[arg-type]
        session.add(AnonymousOutcome(
            kept_at=now, ended_on=avslut.ended_on, reason=avslut.reason, unit_id=avslut.unit_id,
            district_id=contact.district_id, source_id=contact.source_id, gender=contact.gender,
            age_band=contact.age_band, target_groups=groups,
            survey_status=status if status in ("answered", "not-asked") else "unanswered",
            category=run.category if answered and run else None,
            extent=run.extent if answered and run else None,
            employment=run.employment if answered and run else None,
            school=run.school if answered and run else None,
            better_chances=run.better_chances if run else None,
            staff_category=staff_row.category if staff_row else None,
            answered_late=answered and run is not None and run.answered_late,
            programme=avslut.programme or contact.programme,
        ))
    await session.flush()


def as_dict(row: SQLModel) -> dict[str, Any]:
    """A row as plain JSON-ready values (dates as ISO strings)."""
    values = row.model_dump()
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in values.items()}
