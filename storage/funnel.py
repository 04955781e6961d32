"""The outreach funnel: reached -> consented -> booked -> attended -> enrolled -> avslut ->
three-month outcome, per source, unit or district, split by gender with women's share.

People still in the database are counted from their rows; erased people from what is
kept anonymously: `ErasedCount` (reached, and consented unless they declined or were
under 16) and `AnonymousOutcome` (enrolled, avslut and the outcome of each programme).
What an erased person booked or attended is not kept, so those two steps count only
people still here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.bookings import Booking
from storage.followup import ANSWERED, AnonymousOutcome, Avslut, StaffOutcome, SurveyRun
from storage.models import Contact, District, ErasedCount, Unit
from storage.outreach import OutreachSource

STEPS = ("reached", "consented", "booked", "attended", "enrolled", "avslut", "outcome")
GROUPINGS = ("source", "unit", "district", "none")
CONSENTED_BEFORE_ERASURE = ("asked", "retention")  # erasure reasons of people who had said yes
ALL = "all"


def gender_bucket(gender: str | None) -> str:
    return {"kvinna": "women", "man": "men"}.get(gender or "", "other")


@dataclass
class Step:
    step: str
    women: int = 0
    men: int = 0
    other: int = 0  # another gender, or not given

    @property
    def total(self) -> int:
        return self.women + self.men + self.other

    def as_dict(self, previous: Step | None) -> dict[str, Any]:
        return {"step": self.step, "total": self.total, "women": self.women, "men": self.men,
                "other": self.other,
                "share_women": round(self.women / self.total, 4) if self.total else None,
                "of_previous": round(self.total / previous.total, 4)
                if previous is not None and previous.total else None}


@dataclass
class Group:
    key: str
    name: str
    steps: dict[str, Step] = field(default_factory=lambda: {s: Step(s) for s in STEPS})

    def add(self, step: str, gender: str | None, number: int) -> None:
        target = self.steps[step]
        bucket = gender_bucket(gender)
        setattr(target, bucket, getattr(target, bucket) + int(number))

    def as_dict(self) -> dict[str, Any]:
        ordered = [self.steps[s] for s in STEPS]
        return {"key": self.key, "name": self.name,
                "steps": [step.as_dict(ordered[i - 1] if i else None)
                          for i, step in enumerate(ordered)]}


def _flag(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


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


async def funnel(session: AsyncSession, by: str = "none") -> dict[str, Any]:
    """The funnel per group (and in total), every step split by gender."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    column = {"source": col(Contact.source_id), "unit": col(Contact.unit_id),
              "district": col(Contact.district_id)}.get(by)
    key = column if column is not None else literal(None)
    booked = exists(select(col(Booking.id)).where(col(Booking.contact_id) == col(Contact.id)))
    attended = exists(select(col(Booking.id)).where(col(Booking.contact_id) == col(Contact.id),
                                               col(Booking.status) == "attended"))
    ended = exists(select(col(Avslut.id)).where(col(Avslut.contact_id) == col(Contact.id)))
    outcome = or_(
        exists(select(col(SurveyRun.id)).where(col(SurveyRun.contact_id) == col(Contact.id),
                                          col(SurveyRun.status) == ANSWERED)),
        exists(select(col(StaffOutcome.id)).where(col(StaffOutcome.contact_id) == col(Contact.id))))
    live = await session.execute(
        select(key, col(Contact.gender), func.count(),
               _flag(col(Contact.consented_at).is_not(None)),
               _flag(booked), _flag(attended),
               _flag(or_(col(Contact.enrolled_at).is_not(None), ended)),
               _flag(ended), _flag(outcome))
        .group_by(key, col(Contact.gender)))
    names = await _names(session, by)
    groups: dict[Any, Group] = {}
    total = Group(ALL, "all")

    def group_of(group_id: Any) -> Group:
        if group_id not in groups:
            found = names.get(group_id)
            groups[group_id] = Group(*(found or (("none", "no source") if by == "source"
                                                 else ("unknown", "unknown"))))
        return groups[group_id]

    def count(group_id: Any, step: str, gender: str | None, number: int) -> None:
        if number:
            total.add(step, gender, number)
            if by != "none":
                group_of(group_id).add(step, gender, number)

    for group_id, gender, *numbers in live.all():
        for step, number in zip(STEPS, numbers, strict=True):
            count(group_id, step, gender, int(number or 0))
    erased_key = {"source": col(ErasedCount.source_id),
                  "unit": col(ErasedCount.unit_id)}.get(by, literal(None))
    erased = await session.execute(
        select(erased_key, col(ErasedCount.gender), func.count(),
               _flag(col(ErasedCount.reason).in_(CONSENTED_BEFORE_ERASURE)))
        .group_by(erased_key, col(ErasedCount.gender)))
    for group_id, gender, reached, consented in erased.all():
        count(group_id, "reached", gender, int(reached))
        count(group_id, "consented", gender, int(consented or 0))
    kept_key = {"source": col(AnonymousOutcome.source_id), "unit": col(AnonymousOutcome.unit_id),
                "district": col(AnonymousOutcome.district_id)}.get(by, literal(None))
    kept = await session.execute(
        select(kept_key, col(AnonymousOutcome.gender), func.count(),
               _flag(or_(col(AnonymousOutcome.survey_status) == ANSWERED,
                         col(AnonymousOutcome.staff_category).is_not(None))))
        .group_by(kept_key, col(AnonymousOutcome.gender)))
    for group_id, gender, ended_count, with_outcome in kept.all():
        for step in ("enrolled", "avslut"):
            count(group_id, step, gender, int(ended_count))
        count(group_id, "outcome", gender, int(with_outcome or 0))
    ordered = sorted(groups.values(), key=lambda g: (g.key in ("none", "unknown"), g.name))
    return {"by": by, "steps": list(STEPS),
            "groups": [g.as_dict() for g in ordered], "total": total.as_dict()}
