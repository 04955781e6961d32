"""The funnel counts each step by gender, per source, unit and district, erased people included."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from storage.bookings import Booking, VisitKind
from storage.followup import ANSWERED, AnonymousOutcome, Avslut, SurveyRun
from storage.models import ErasedCount
from storage.outreach import add_source
from tests.outreach_helpers import person
from tests.test_cli import jobbtorg

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

NOW = datetime(2030, 1, 15, 10, 0, tzinfo=UTC)


def step(group: dict, name: str) -> dict:
    return next(s for s in group["steps"] if s["step"] == name)


def column(group: dict, key: str) -> list:
    return [s[key] for s in group["steps"]]


@pytest.fixture
async def report_of(services):
    """Six people from two sources, two of them erased; returns funnel(by)."""
    from storage.funnel import funnel

    async with services.db.transaction() as session:
        s1 = await add_source(session, "sfi-skola", "Sfi Kista", None, "sfi-kista", "SFIKISTA", NOW)
        s2 = await add_source(session, "bibliotek", "Husby bibl", None, "husby-b", "HUSBYB", NOW)
        anna = await person(session, NOW, "anna", source_id=s1.id)
        bea = await person(session, NOW, "bea", source_id=s1.id, district="spanga-tensta")
        await person(session, NOW, "carl", gender="man", source_id=s1.id)
        await person(session, NOW, "dan", gender="man", source_id=s2.id, status="new")
        session.add(ErasedCount(erased_at=NOW, reason="asked", gender="kvinna", source_id=s2.id))
        session.add(ErasedCount(erased_at=NOW, reason="asked", gender="man", source_id=s1.id,
                                unit_id=anna.unit_id))
        session.add(AnonymousOutcome(kept_at=NOW, ended_on=date(2029, 10, 1), reason="arbete",
                                     gender="man", source_id=s1.id, unit_id=anna.unit_id,
                                     survey_status=ANSWERED, category="arbete"))
        kind = (await session.execute(VisitKind.__table__.select().limit(1))).first()
        for who, status in ((anna, "attended"), (bea, "booked")):
            session.add(Booking(code=f"C{who.id}", contact_id=who.id, unit_id=who.unit_id,
                                kind_id=kind.id, start=NOW - timedelta(days=30),
                                end=NOW - timedelta(days=30, hours=-1), status=status,
                                created_at=NOW - timedelta(days=40)))
        anna.enrolled_at = NOW - timedelta(days=29)
        ended = Avslut(contact_id=anna.id, unit_id=anna.unit_id, ended_on=date(2029, 10, 1),
                       reason="arbete", recorded_by="coach", recorded_at=NOW - timedelta(days=100))
        session.add(ended)
        await session.flush()
        session.add(SurveyRun(avslut_id=ended.id, contact_id=anna.id, status=ANSWERED,
                              due_at=NOW - timedelta(days=10), category="arbete"))

    async def report(by: str) -> dict:
        async with services.db.transaction() as session:
            return await funnel(session, by)

    return report


async def test_every_step_is_counted_by_gender_with_womens_share(report_of):
    total = (await report_of("none"))["total"]
    assert column(total, "step") == ["reached", "consented", "booked", "attended", "enrolled",
                                     "avslut", "outcome"]
    assert column(total, "women") == [3, 3, 2, 1, 1, 1, 1]
    assert column(total, "men") == [3, 2, 0, 0, 1, 1, 1]
    assert column(total, "share_women") == [0.5, 0.6, 1.0, 1.0, 0.5, 0.5, 0.5]
    assert step(total, "consented")["of_previous"] == round(5 / 6, 4)


async def test_the_funnel_per_source_follows_where_people_came_from(report_of):
    groups = {g["key"]: g for g in (await report_of("source"))["groups"]}
    assert set(groups) == {"sfi-kista", "husby-b"}
    assert column(groups["sfi-kista"], "total") == [4, 4, 2, 1, 2, 2, 2]
    assert column(groups["husby-b"], "total") == [2, 1, 0, 0, 0, 0, 0]
    assert step(groups["husby-b"], "reached")["share_women"] == 0.5


async def test_the_funnel_per_district_puts_erased_people_without_a_district_apart(report_of):
    groups = {g["key"]: g for g in (await report_of("district"))["groups"]}
    assert step(groups["spanga-tensta"], "reached")["total"] == 1
    assert step(groups["rinkeby-kista"], "reached")["total"] == 3
    assert step(groups["unknown"], "reached")["total"] == 2  # the two erased


async def test_the_funnel_per_unit_adds_up_to_the_total(report_of):
    report = await report_of("unit")
    for name in ("reached", "booked", "outcome"):
        assert sum(step(g, name)["total"] for g in report["groups"]) == step(report["total"], name)["total"]


async def test_an_empty_database_has_an_empty_funnel(services):
    from storage.funnel import funnel

    async with services.db.transaction() as session:
        report = await funnel(session, "source")
    assert report["groups"] == [] and column(report["total"], "total") == [0] * 7
    assert column(report["total"], "share_women") == [None] * 7


def test_report_funnel_prints_json_csv_and_refuses_a_bad_grouping(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'funnel.db'}"
    assert jobbtorg(url, "db", "upgrade").returncode == 0
    printed = jobbtorg(url, "report", "funnel", "--by", "source", "--json")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["by"] == "source"
    table = jobbtorg(url, "report", "funnel", "--csv", "--png", str(tmp_path / "f.png"))
    assert table.stdout.splitlines()[0].startswith("group,name,step,total,women,men")
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"
    wrong = jobbtorg(url, "report", "funnel", "--by", "age")
    assert wrong.returncode != 0 and "--by must be one of" in wrong.stderr


