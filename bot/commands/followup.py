"""`jobbtorg avslut`, `survey`, `outcome` and `groups`: what coaches record after a programme."""

from __future__ import annotations

from typing import Any

import typer
from sqlalchemy import select
from sqlmodel import col

from bot.commands.common import fail, output, run, with_services
from bot.commands.options import (
    keys_help,
    read_day,
    read_groups,
    read_key,
    read_outcome,
    read_status,
    unit_named,
)
from bot.services import Services
from handlers.actions import followup as actions
from handlers.actions.bookings import Actor, Refused
from handlers.survey import (
    FollowupError,
    classify_answer,
    record_staff_outcome,
    record_target_groups,
)
from storage.followup import (
    AVSLUT_REASONS,
    PROGRAMMES,
    TARGET_GROUPS,
    TOO_OLD,
    SurveyRun,
    survey_for_avslut,
    target_groups_of,
    unclassified_answers,
)
from storage.models import AuditLog, Contact, Unit

survey_app = typer.Typer(help="The three-month follow-up survey.", no_args_is_help=True)
outcome_app = typer.Typer(help="Outcomes recorded by staff.", no_args_is_help=True)
groups_app = typer.Typer(help="Target groups recorded by staff (the bot never asks).",
                         no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON.")
BY = typer.Option("cli", "--by", help="Who records it (a staff username), for the audit log.")
# The parts of an outcome, each by key or by its Swedish or English name.
CATEGORY_HELP = ("arbete, studier, praktik, soker-jobb or annat; or a name: Jobbar, Studerar, "
                 "Söker jobb, work, studying, looking for work ...")
EXTENT = typer.Option("", help="heltid or deltid, or full time / part time (arbete).")
EMPLOYMENT = typer.Option("", help="tillsvidare, visstid, provanstallning, timanstallning, "
                          "med-stod or eget-foretag, or a name: permanent, vikariat, hourly "
                          "... (arbete).")
SCHOOL = typer.Option("", help="komvux, sfi, folkhogskola, gymnasium, hogskola or annat, or a "
                      "name: Folkhögskola, university ... (studier).")


# Avslut reasons are keys staff type as they are ("annan-insats" also as "annan insats").
REASON_NAMES = {reason: reason for reason in AVSLUT_REASONS}


def local_iso(services: Services, value: Any) -> str | None:
    return None if value is None else value.astimezone(services.settings.zone).isoformat()


def avslut(
    contact_id: int = typer.Argument(..., help="The person's contact id."),
    reason: str = typer.Option(..., "--reason", help="Avslutsorsak: "
                               + ", ".join(AVSLUT_REASONS) + "."),
    day: str = typer.Option("", "--date", help="The day the programme ended: 2026-05-20, "
                            "20/5 (the last 20 May), igår or a weekday; today when left out."),
    unit: str = typer.Option("", "--unit", help="The jobbtorg, by slug or name (jarva, "
                             "Järva); the person's own when left out."),
    by: str = BY,
    replace: bool = typer.Option(False, "--replace", help="Correct the avslut recorded on "
                                 "that day."),
    programme: str = typer.Option("", "--insats", help="The programme that ended, by key "
                                  "or name: " + keys_help(PROGRAMMES) + "; the one recorded at "
                                  "enrolment when left out."),
    as_json: bool = JSON,
) -> None:
    """Record the end of a programme (avslut) and schedule the three-month survey."""
    programme = read_key(programme, PROGRAMMES, "--insats") if programme else ""
    reason = read_key(reason, REASON_NAMES, "--reason")

    async def action(services: Services) -> dict[str, Any]:
        now = services.clock.now()
        today = now.astimezone(services.settings.zone).date()
        ended_on = read_day(day, today, "--date", past=True) if day else None
        async with services.db.transaction() as session:
            unit_id = (await unit_named(session, unit)).id if unit else None
            try:
                row = await actions.record_avslut(
                    session, services.engine.policy, Actor(by), now, contact_id,
                    ended_on or today, reason,
                    unit_id=unit_id, replace=replace, programme=programme or None)
            except Refused as exc:
                raise fail(exc.detail) from None
            run_row = await survey_for_avslut(session, row.id)  # type: ignore[arg-type]
            unit_row = await session.get(Unit, row.unit_id) if row.unit_id else None
            return {"id": row.id, "contact_id": row.contact_id,
                    "unit": unit_row.slug if unit_row else None,
                    "ended_on": row.ended_on.isoformat(), "reason": row.reason,
                    "programme": row.programme,
                    "survey": None if run_row is None else {
                        "id": run_row.id, "status": run_row.status, "late": run_row.late,
                        "due_at": None if run_row.status == TOO_OLD
                        else local_iso(services, run_row.due_at)}}

    output(run(with_services(action)), as_json, "Avslut")


@survey_app.command("list")
def survey_list(
    status: str = typer.Option("", help="Only this status: scheduled, sent, answered, "
                               "expired, not-sent or too-old (avslut over 180 days back); "
                               "also in Swedish (besvarad, inte skickad ...)."),
    contact: int | None = typer.Option(None, "--contact", help="Only this person."),
    as_json: bool = JSON,
) -> None:
    """Survey runs, newest first: when each goes or went out and whether it was answered."""
    status = read_status(status) if status else ""

    async def action(services: Services) -> list[dict[str, Any]]:
        async with services.db.transaction() as session:
            query = select(SurveyRun).order_by(SurveyRun.id.desc())  # type: ignore[union-attr]
            if status:
                query = query.where(col(SurveyRun.status) == status)
            if contact is not None:
                query = query.where(col(SurveyRun.contact_id) == contact)
            rows = (await session.execute(query)).scalars()
            return [{"id": r.id, "avslut_id": r.avslut_id, "contact_id": r.contact_id,
                     "status": r.status, "late": r.late,
                     "due_at": None if r.status == TOO_OLD else local_iso(services, r.due_at),
                     "sent_at": local_iso(services, r.sent_at), "category": r.category,
                     "better_chances": r.better_chances,
                     "unclassified": r.category is None and r.free_text is not None}
                    for r in rows]

    output(run(with_services(action)), as_json, "Surveys")


@survey_app.command("unclassified")
def survey_unclassified(as_json: bool = JSON) -> None:
    """Answers the bot could not place, for a coach to classify (read is audit-logged)."""
    async def action(services: Services) -> list[dict[str, Any]]:
        now = services.clock.now()
        async with services.db.transaction() as session:
            rows = []
            for run_row, avslut_row in await unclassified_answers(session):
                unit_row = await session.get(Unit, avslut_row.unit_id) if avslut_row.unit_id \
                    else None
                rows.append({"id": run_row.id, "contact_id": run_row.contact_id,
                             "unit": unit_row.slug if unit_row else None,
                             "ended_on": avslut_row.ended_on.isoformat(),
                             "answered_at": local_iso(services, run_row.answered_at),
                             "text": run_row.free_text})
                session.add(AuditLog(at=now, actor="cli", action="survey.read_unclassified",
                                     contact_id=run_row.contact_id))
            return rows

    output(run(with_services(action)), as_json, "Unclassified answers")


@survey_app.command("classify")
def survey_classify(
    survey_id: int = typer.Argument(..., help="The id from `survey unclassified`."),
    category: str = typer.Argument(..., help=CATEGORY_HELP),
    extent: str = EXTENT,
    employment: str = EMPLOYMENT,
    school: str = SCHOOL,
    by: str = BY,
    as_json: bool = JSON,
) -> None:
    """Place a free-text survey answer in a category."""
    outcome = read_outcome(category, extent, employment, school, "CATEGORY")

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            try:
                row = await classify_answer(session, survey_id, outcome, by,
                                            services.clock.now())
            except FollowupError as exc:
                raise fail(str(exc)) from None
            return {"id": row.id, "contact_id": row.contact_id, "category": row.category,
                    "extent": row.extent, "employment": row.employment, "school": row.school,
                    "text": row.free_text}

    output(run(with_services(action)), as_json, "Classified")


@outcome_app.command("set")
def outcome_set(
    contact_id: int = typer.Argument(..., help="The person's contact id."),
    category: str = typer.Option(..., "--category", help=CATEGORY_HELP),
    extent: str = EXTENT,
    employment: str = EMPLOYMENT,
    school: str = SCHOOL,
    avslut_id: int | None = typer.Option(None, "--avslut", help="Which avslut (the latest "
                                         "when left out)."),
    by: str = BY,
    as_json: bool = JSON,
) -> None:
    """Record what a person does three months after avslut, as a coach knows it (kept apart
    from survey answers in the report)."""
    outcome = read_outcome(category, extent, employment, school)

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            try:
                row = await record_staff_outcome(session, contact_id, outcome, by,
                                                 services.clock.now(), avslut_id)
            except FollowupError as exc:
                raise fail(str(exc)) from None
            return {"contact_id": row.contact_id, "avslut_id": row.avslut_id,
                    "category": row.category, "extent": row.extent,
                    "employment": row.employment, "school": row.school,
                    "recorded_by": row.recorded_by, "source": "staff"}

    output(run(with_services(action)), as_json, "Outcome")


@groups_app.command("set")
def groups_set(
    contact_id: int = typer.Argument(..., help="The person's contact id."),
    groups: list[str] = typer.Argument(None, help="Target groups, by key or name in Swedish "
                                       "or English: " + ", ".join(TARGET_GROUPS.values())
                                       + "."),
    clear: bool = typer.Option(False, "--clear", help="Remove every target group."),
    by: str = BY,
    as_json: bool = JSON,
) -> None:
    """Set a person's target groups (replacing the earlier ones)."""
    if not groups and not clear:
        raise fail("name at least one target group ("
                   + ", ".join(TARGET_GROUPS.values()) + "), or pass --clear")
    if groups and clear:
        raise fail("give target groups or --clear, not both")
    keys = read_groups(groups or [])

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            try:
                kept = await record_target_groups(session, contact_id, keys, by,
                                                  services.clock.now())
            except FollowupError as exc:
                raise fail(str(exc)) from None
            return {"contact_id": contact_id, "groups": kept}

    output(run(with_services(action)), as_json, "Target groups")


@groups_app.command("show")
def groups_show(contact_id: int = typer.Argument(..., help="The person's contact id."),
                as_json: bool = JSON) -> None:
    """A person's target groups (the read is audit-logged)."""
    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            contact = await session.get(Contact, contact_id)
            if contact is None:
                raise fail(f"no person with id {contact_id}")
            session.add(AuditLog(at=services.clock.now(), actor="cli", action="groups.read",
                                 contact_id=contact_id))
            return {"contact_id": contact_id,
                    "groups": await target_groups_of(session, contact_id)}

    output(run(with_services(action)), as_json, "Target groups")
