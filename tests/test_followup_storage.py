"""Avslut, staff outcomes, target groups and erasure on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from handlers.survey import (
    FollowupError,
    checked_outcome,
    classify_answer,
    next_window,
    planned_send,
    record_avslut,
    record_staff_outcome,
    record_target_groups,
    target_group_key,
)
from storage.erasure import erase_contact
from storage.followup import AnonymousOutcome, Avslut, SurveyRun, report_status
from storage.models import AuditLog, ChannelAddress, Contact, ConversationState, Job
from storage.outcome_report import figures, load_cases, outcome_report
from storage.places import district_by_slug, unit_by_slug

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage


async def add_person(session, now, gender="kvinna", age="20-24", district="rinkeby-kista",
                     user="p") -> Contact:
    found = await district_by_slug(session, district)
    contact = Contact(created_at=now, status="active", gender=gender, age_band=age,
                      district_id=found.id if found else None,
                      unit_id=found.unit_id if found else None, consented_at=now)
    session.add(contact)
    await session.flush()
    session.add(ChannelAddress(contact_id=contact.id, channel="sim-sms", address=user,
                               created_at=now))
    return contact


async def answer(session, run_id, category, chances="ja"):
    run = await session.get(SurveyRun, run_id)
    run.status, run.category, run.better_chances = "answered", category, chances


async def test_an_avslut_schedules_one_survey_and_its_expiry_and_is_audit_logged(services):
    now = services.clock.now()
    today = now.astimezone(services.settings.zone).date()
    async with services.db.transaction() as session:
        person = await add_person(session, now)
        avslut = await record_avslut(session, person.id, today, "studier", "kim", now,
                                     services.engine.policy)
        jobs = (await session.execute(select(Job).where(Job.contact_id == person.id))
                ).scalars().all()
        assert sorted(j.kind for j in jobs) == ["survey.expire", "survey.send"]
        run = (await session.execute(select(SurveyRun))).scalar_one()
        assert run.due_at == planned_send(today, services.engine.policy)
        assert avslut.unit_id == person.unit_id and avslut.recorded_by == "kim"
        log = (await session.execute(select(AuditLog))).scalar_one()
        assert (log.action, log.actor, log.contact_id) == ("avslut.record", "kim", person.id)


@pytest.mark.parametrize(("change", "message"), [
    ({"contact_id": 999}, "no person with id 999"),
    ({"reason": ""}, "needs a reason"),
    ({"reason": "semester"}, "the reason must be one of"),
    ({"days": 1}, "is in the future"),
])
async def test_a_bad_avslut_is_refused_with_a_clear_reason(services, change, message):
    now = services.clock.now()
    today = now.astimezone(services.settings.zone).date()
    async with services.db.transaction() as session:
        person = await add_person(session, now)
        with pytest.raises(FollowupError, match=message):
            await record_avslut(session, change.get("contact_id", person.id),
                                today + timedelta(days=change.get("days", 0)),
                                change.get("reason", "arbete"), "kim", now,
                                services.engine.policy)


async def test_the_same_day_twice_is_refused_unless_replaced_and_keeps_one_survey(services):
    now = services.clock.now()
    today = now.astimezone(services.settings.zone).date()
    policy = services.engine.policy
    async with services.db.transaction() as session:
        person = await add_person(session, now)
        await record_avslut(session, person.id, today, "arbete", "kim", now, policy)
        with pytest.raises(FollowupError, match="--replace"):
            await record_avslut(session, person.id, today, "flyttat", "kim", now, policy)
        fixed = await record_avslut(session, person.id, today, "flyttat", "kim", now, policy,
                                    replace=True)
        assert fixed.reason == "flyttat"
        assert (await session.execute(select(func.count()).select_from(SurveyRun))
                ).scalar() == 1


@pytest.mark.parametrize("days_back", [181, 200, 400])
async def test_an_avslut_more_than_180_days_back_gets_no_survey_and_is_counted_apart(
        services, days_back):
    now = services.clock.now()
    long_ago = now.astimezone(services.settings.zone).date() - timedelta(days=days_back)
    async with services.db.transaction() as session:
        person = await add_person(session, now)
        await record_avslut(session, person.id, long_ago, "arbete", "kim", now,
                            services.engine.policy)
        run = (await session.execute(select(SurveyRun))).scalar_one()
        assert run.status == "too-old" and report_status(run) == "not-asked"
        assert (await session.execute(select(func.count()).select_from(Job))).scalar() == 0


@pytest.mark.parametrize("days_back", [94, 104, 105, 150, 180])
async def test_an_avslut_recorded_after_its_survey_day_is_surveyed_late_at_the_next_opening(
        services, days_back):
    now = services.clock.now()
    late = now.astimezone(services.settings.zone).date() - timedelta(days=days_back)
    async with services.db.transaction() as session:
        person = await add_person(session, now)
        await record_avslut(session, person.id, late, "arbete", "kim", now,
                            services.engine.policy)
        run = (await session.execute(select(SurveyRun))).scalar_one()
        assert run.status == "scheduled" and run.late
        assert now <= run.due_at <= now + timedelta(days=3)
        assert run.due_at == next_window(now, services.settings.zone)
        local = run.due_at.astimezone(services.settings.zone)
        assert local.weekday() < 5 and 10 <= local.hour < 18  # never in quiet hours
        jobs = (await session.execute(select(Job).order_by(Job.id))).scalars().all()
        assert [(j.kind, j.due_at) for j in jobs][0] == ("survey.send", run.due_at)


@pytest.mark.parametrize("days_back", [0, 30, 89])
async def test_an_avslut_in_the_past_is_surveyed_90_days_after_its_date(services, days_back):
    now = services.clock.now()
    ended = now.astimezone(services.settings.zone).date() - timedelta(days=days_back)
    async with services.db.transaction() as session:
        person = await add_person(session, now)
        await record_avslut(session, person.id, ended, "arbete", "kim", now,
                            services.engine.policy)
        run = (await session.execute(select(SurveyRun))).scalar_one()
        assert run.status == "scheduled" and not run.late
        assert run.due_at == planned_send(ended, services.engine.policy)


@pytest.mark.parametrize(("args", "expected"), [
    (("arbete", "heltid", "tillsvidare", None), ("arbete", "heltid", "tillsvidare", None)),
    (("Söker jobb",), ("soker-jobb", None, None, None)),
    (("studier", None, None, "Högskola"), ("studier", None, None, "hogskola")),
    (("ARBETE", "", "med stöd"), ("arbete", None, "med-stod", None)),
])
def test_staff_outcomes_are_read_forgivingly(args, expected):
    outcome = checked_outcome(*args)
    assert (outcome.category, outcome.extent, outcome.employment, outcome.school) == expected


@pytest.mark.parametrize(("args", "message"), [
    (("semester",), "the category must be one of"),
    (("",), "the category must be one of"),
    (("arbete", "halvdag"), "--extent must be one of"),
    (("studier", "heltid"), "go with the category arbete only"),
    (("arbete", None, None, "komvux"), "goes with the category studier only"),
    (("studier", None, None, "dansskola"), "--school must be one of"),
])
def test_a_bad_staff_outcome_is_refused(args, message):
    with pytest.raises(FollowupError, match=message):
        checked_outcome(*args)


@pytest.mark.parametrize(("name", "key"), [
    ("KAA", "kaa"), ("Ingång 20-29", "ingang-20-29"), ("ingång 20–29", "ingang-20-29"),
    ("UVAS", "ingang-20-29"), ("kvinnor långt från arbetsmarknaden",
                               "kvinnor-langt-fran-arbetsmarknaden"),
    ("nyanländ", "nyanland"), ("Funktionsnedsättning", "funktionsnedsattning"),
    ("försörjningsstöd", "forsorjningsstod"),
])
def test_target_groups_are_named_as_staff_write_them(name, key):
    assert target_group_key(name) == key


def test_an_unknown_target_group_lists_the_city_categories():
    with pytest.raises(FollowupError, match="KAA, Ingång 20–29"):
        target_group_key("pensionär")


async def test_staff_outcome_needs_an_avslut_and_classifying_needs_an_answer(services):
    now = services.clock.now()
    async with services.db.transaction() as session:
        person = await add_person(session, now)
        with pytest.raises(FollowupError, match="has no avslut"):
            await record_staff_outcome(session, person.id, checked_outcome("arbete"), "kim",
                                       now)
        with pytest.raises(FollowupError, match="no answered survey"):
            await classify_answer(session, 12345, checked_outcome("arbete"), "kim", now)


async def test_the_report_counts_live_people_erased_people_and_keeps_the_sources_apart(
        services):
    """Eight women and five men ended in the cohort; figures worked out by hand."""
    now = services.clock.now()
    policy = services.engine.policy
    ended = date(2025, 10, 6)
    async with services.db.transaction() as session:
        runs = []
        for index in range(13):
            person = await add_person(session, now, gender="kvinna" if index < 8 else "man",
                                      user=f"p{index}")
            avslut = await record_avslut(session, person.id, ended, "arbete", "kim", now,
                                         policy)
            run = (await session.execute(select(SurveyRun).where(
                SurveyRun.avslut_id == avslut.id))).scalar_one()
            runs.append((person, run))
        # women: 0-2 arbete, 3 studier, 4 söker jobb, 5 in words not yet classified,
        # 6-7 unanswered (7 with a coach-recorded arbete)
        for index, category in enumerate(["arbete", "arbete", "arbete", "studier",
                                          "soker-jobb"]):
            await answer(session, runs[index][1].id, category, "ja" if index < 3 else "nej")
        runs[5][1].status, runs[5][1].free_text = "answered", "det är lite oklart"
        for index in (6, 7, 11, 12):
            runs[index][1].status = "expired"
        await record_staff_outcome(session, runs[7][0].id, checked_outcome("arbete"), "kim",
                                   now)
        # men: 8 studier, 9-10 annat, 11-12 unanswered
        for index, category in [(8, "studier"), (9, "annat"), (10, "annat")]:
            await answer(session, runs[index][1].id, category, "delvis")
        await record_target_groups(session, runs[0][0].id, ["KAA", "nyanländ"], "kim", now)
        jarva = await unit_by_slug(session, "jarva")
        assert runs[0][0].unit_id == jarva.id
    # the first woman (arbete, ja, KAA) asks to be erased: her answer still counts
    async with services.db.transaction() as session:
        first = await session.get(Contact, runs[0][0].id)
        await erase_contact(session, first, "asked", now)
    async with services.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(AnonymousOutcome))
                ).scalar() == 1
        assert await session.get(Contact, runs[0][0].id) is None
        assert (await session.execute(select(func.count()).select_from(Avslut))).scalar() == 12
        report = await outcome_report(session, date(2025, 9, 1), date(2026, 8, 31), "gender")
        cases = await load_cases(session, date(2025, 9, 1), date(2026, 8, 31))
        by_unit = await outcome_report(session, date(2025, 9, 1), date(2026, 8, 31), "unit")
        by_group = await outcome_report(session, date(2025, 9, 1), date(2026, 8, 31), "group")
        outside = await outcome_report(session, date(2025, 10, 7), date(2026, 8, 31))
    # the figures by hand, before masking (three in work is a count of 1-4: all is masked)
    assert [r["group"] for r in report["rows"]] == ["kvinna", "man"]
    assert all(r["masked"] for r in report["rows"]) and report["total"]["masked"]
    women = figures("kvinna", [c for c in cases if c.gender == "kvinna"])
    men = figures("man", [c for c in cases if c.gender == "man"])
    assert (women["group"], women["people"], women["answered"], women["unanswered"]) == (
        "kvinna", 8, 6, 2)
    assert (women["work"], women["studies"], women["work_or_studies_share"]) == (3, 1, 0.667)
    assert women["unclassified"] == 1 and women["response_rate"] == 0.75
    assert women["better_chances_share"] == 0.6  # 3 ja of 5
    assert (women["staff_recorded"], women["staff_work"]) == (1, 1)
    assert women["all_sources_work_or_studies_share"] == round(5 / 7, 3)
    assert (men["people"], men["answered"], men["work_or_studies_share"],
            men["better_chances_share"]) == (5, 3, 0.333, 0.0)
    assert len(cases) == 13
    assert [(r["group"], r["name"], r["masked"]) for r in by_unit["rows"]] == [
        ("jarva", "Jobbtorg Järva", True)]
    assert [(r["group"], r["masked"]) for r in by_group["rows"]] == [
        ("kaa", True), ("nyanland", True), ("ingen", True)]  # ingen has 3 in work
    assert outside["total"]["people"] == 0 and outside["rows"] == []


async def test_erasing_a_person_mid_survey_keeps_an_unanswered_case_and_stops_the_jobs(
        services):
    now = services.clock.now()
    today = now.astimezone(services.settings.zone).date()
    async with services.db.transaction() as session:
        person = await add_person(session, now, gender=None)
        await record_avslut(session, person.id, today, "avbrutit", "kim", now,
                            services.engine.policy)
        session.add(ConversationState(contact_id=person.id, updated_at=now))
    async with services.db.transaction() as session:
        await erase_contact(session, await session.get(Contact, person.id), "asked", now)
    async with services.db.transaction() as session:
        kept = (await session.execute(select(AnonymousOutcome))).scalar_one()
        assert (kept.survey_status, kept.reason, kept.gender, kept.category) == (
            "unanswered", "avbrutit", None, None)
        assert (await session.execute(select(func.count()).select_from(Job))).scalar() == 0
        assert (await session.execute(select(func.count()).select_from(SurveyRun))
                ).scalar() == 0
