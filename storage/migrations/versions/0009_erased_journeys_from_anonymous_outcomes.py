"""People erased before 0007 keep their district and later funnel steps (from their kept avslut)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:27:46.898885

Before 0007 an erasure kept one `erasedcount` row (no district, no journey) and, for each
avslut, an `anonymous_outcome` row (with the district, and whether an outcome was known),
both written with the same `now`, the person's gender, age band and source. The funnel
reads an erased person's district and steps from `erasedcount` alone, so these people
fell back to "reached" (and "consented") in no district, and their enrolment, avslut and
outcome went missing. This fills `district_id` and `journey` of those rows from the
avslut kept with them.

Matching: an `erasedcount` row with no journey and the `anonymous_outcome` rows kept at
the same moment with the same gender, age band and source. One erasure wrote a person's
rows together, newest avslut first, so among people erased in one sweep with the same
gender, age band and source, kept rows are split into people where the district or target
groups change or the end date goes up; while there are more such people than split runs,
each is given one avslut before anyone is given two; a run goes to a person of its unit
first. What is not kept stays unknown: whether they booked or attended a visit (so they
count on the "without a booked visit" path) and the date of first contact (so they count
only when no period is chosen).
"""
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSENTED_BEFORE_ERASURE = ("asked", "retention")  # as storage.funnel counts them

erased = sa.table("erasedcount", sa.column("id", sa.Integer), sa.column("erased_at", sa.DateTime),
                  sa.column("reason", sa.String), sa.column("gender", sa.String),
                  sa.column("age_band", sa.String), sa.column("unit_id", sa.Integer),
                  sa.column("source_id", sa.Integer), sa.column("district_id", sa.Integer),
                  sa.column("journey", sa.String))
kept = sa.table("anonymous_outcome", sa.column("id", sa.Integer),
                sa.column("kept_at", sa.DateTime), sa.column("ended_on", sa.Date),
                sa.column("gender", sa.String), sa.column("age_band", sa.String),
                sa.column("unit_id", sa.Integer), sa.column("source_id", sa.Integer),
                sa.column("district_id", sa.Integer), sa.column("target_groups", sa.JSON),
                sa.column("survey_status", sa.String), sa.column("staff_category", sa.String))


def _key(row: Any, moment: str) -> tuple[Any, ...]:
    return (getattr(row, moment), row.gender, row.age_band, row.source_id)


def people_of(rows: list[Any], wanted: int) -> list[list[Any]]:
    """Kept rows of one sweep and key (in id order) split into people (see the docstring)."""
    runs: list[list[Any]] = []
    for row in rows:
        last = runs[-1][-1] if runs else None
        if last is None or row.district_id != last.district_id \
                or row.target_groups != last.target_groups or row.ended_on > last.ended_on:
            runs.append([row])
        else:
            runs[-1].append(row)
    while len(runs) < wanted and any(len(run) > 1 for run in runs):
        longest = max(range(len(runs)), key=lambda i: len(runs[i]))
        runs[longest:longest + 1] = [runs[longest][:1], runs[longest][1:]]
    while len(runs) > max(wanted, 1):  # more people kept than erased: join the last ones
        runs[-2:] = [runs[-2] + runs[-1]]
    return runs


def assign(people: list[Any], runs: list[list[Any]]) -> list[tuple[Any, list[Any]]]:
    """Each run of kept rows to an erased person: of the run's unit first, else in order."""
    free = list(people)
    pairs = []
    for run in runs:
        if not free:
            break
        found = next((p for p in free if p.unit_id == run[0].unit_id), free[0])
        free.remove(found)
        pairs.append((found, run))
    return pairs


def journey(person: Any, run: list[Any]) -> str:
    steps = ["reached"]
    if person.reason in CONSENTED_BEFORE_ERASURE:
        steps.append("consented")
    steps += ["enrolled", "avslut"]
    if any(row.survey_status == "answered" or row.staff_category is not None for row in run):
        steps.append("outcome")
    return ",".join(steps)


def upgrade() -> None:
    bind = op.get_bind()
    people = bind.execute(sa.select(erased).where(erased.c.journey.is_(None))
                          .order_by(erased.c.id)).all()
    if not people:
        return
    by_key: dict[tuple[Any, ...], list[Any]] = {}
    for person in people:
        by_key.setdefault(_key(person, "erased_at"), []).append(person)
    rows: dict[tuple[Any, ...], list[Any]] = {}
    for row in bind.execute(sa.select(kept).order_by(kept.c.id)).all():  # compared as values
        rows.setdefault(_key(row, "kept_at"), []).append(row)
    for key, group in by_key.items():
        for person, run in assign(group, people_of(rows.get(key, []), len(group))):
            bind.execute(sa.update(erased).where(erased.c.id == person.id).values(
                district_id=run[0].district_id, journey=journey(person, run)))


def downgrade() -> None:
    pass  # the filled values are what those rows would have held; nothing to undo
