"""The funnel: each step counts only those who passed the ones before, by gender, per source,
unit and district, erased people where they were, masked like every report."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.charts import funnel_chart
from bot.report_csv import funnel_csv
from storage.bookings import Booking, VisitKind
from storage.erasure import erase_contact
from storage.followup import ANSWERED, Avslut, SurveyRun
from storage.funnel import STEPS, Journey, build_funnel, journeys
from storage.models import District, ErasedCount
from storage.outreach import OutreachMet, add_source
from storage.periods import Period, cohort_year, quarters
from tests.outreach_helpers import person
from tests.test_cli import jobbtorg

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage

NOW = datetime(2030, 1, 15, 10, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Stockholm")
YEAR = cohort_year(2029)


def step(group: dict, name: str, path: str = "steps") -> dict:
    return next(s for s in group[path] if s["step"] == name)


def column(group: dict, key: str) -> list:
    return [s[key] for s in group["steps"]]


def people(count: int, gender: str, passed: tuple[str, ...], district: int | None = 1,
           unit: int | None = 1, source: int | None = None, day: date = date(2029, 10, 1)
           ) -> list[Journey]:
    return [Journey(gender, source, unit, district, day, frozenset({"reached", *passed}))
            for _ in range(count)]


ALL_STEPS = tuple(STEPS[1:])


@pytest.mark.parametrize(("passed", "main", "walk_in"), [
    ((), ("reached",), ()),
    (("consented", "booked", "attended", "enrolled", "avslut", "outcome"), STEPS, ()),
    # enrolled without a booked visit: a walk-in or late enrolment, counted on its own path
    (("consented", "enrolled", "avslut"), ("reached", "consented"), ("enrolled", "avslut")),
    (("consented", "booked", "enrolled"), ("reached", "consented", "booked"), ("enrolled",)),
    # an outcome without an avslut counts nowhere past the last step passed
    (("consented", "booked", "attended", "enrolled", "outcome"),
     ("reached", "consented", "booked", "attended", "enrolled"), ()),
    # attended without consent (an old row): stops at reached
    (("booked", "attended"), ("reached",), ()),
])
def test_a_person_counts_at_a_step_only_after_every_step_before(passed, main, walk_in):
    journey = people(1, "women", passed)[0]
    assert journey.path() == (main, walk_in)


def test_no_step_is_more_than_the_one_before_and_walk_ins_are_their_own_path():
    cohort = [*people(20, "women", ALL_STEPS), *people(20, "men", ALL_STEPS),
              *people(10, "women", ("consented",)), *people(10, "men", ("consented",)),
              *people(5, "women", ("consented", "enrolled", "avslut", "outcome")),
              *people(5, "men", ("consented", "enrolled", "avslut", "outcome"))]
    report = build_funnel(cohort, "none", None, {})
    total = report["total"]
    assert column(total, "total") == [70, 70, 40, 40, 40, 40, 40]
    assert all(s["of_previous"] is None or s["of_previous"] <= 1 for s in total["steps"])
    assert [s["total"] for s in total["walk_in"]] == [10, 10, 10]
    assert step(total, "consented")["share_women"] == 0.5


def test_a_step_with_one_to_four_people_is_masked_and_its_neighbours_cannot_pin_it():
    cohort = [*people(20, "women", ALL_STEPS), *people(20, "men", ALL_STEPS),
              *people(3, "women", ("consented", "booked"))]
    total = build_funnel(cohort, "none", None, {})["total"]
    # booked has 23 women: not small; reached/consented/booked differ from attended by 3
    assert not any(s["masked"] for s in total["steps"])
    small = build_funnel([*cohort, *people(2, "other", ALL_STEPS)], "none", None, {})["total"]
    # two people of another or no gender are in every step: every row has a 2
    assert all(s["masked"] for s in small["steps"])


def test_a_district_split_masks_the_small_district_and_another_so_the_total_does_not_tell():
    cohort = [*people(20, "women", ALL_STEPS, district=1), *people(20, "men", ALL_STEPS, district=1),
              *people(10, "women", ALL_STEPS, district=2), *people(10, "men", ALL_STEPS, district=2),
              *people(3, "women", ALL_STEPS, district=3)]
    names = {1: ("rinkeby-kista", "Rinkeby-Kista"), 2: ("spanga-tensta", "Spånga-Tensta"),
             3: ("bromma", "Bromma")}
    report = build_funnel(cohort, "district", None, names)
    groups = {g["name"]: g for g in report["groups"]}
    assert set(groups) == {"Rinkeby-Kista", "Spånga-Tensta", "Bromma"}
    assert all(s["masked"] for s in groups["Bromma"]["steps"])
    masked = [name for name, g in groups.items() if step(g, "reached")["masked"]]
    assert len(masked) >= 2  # Bromma alone would be the total minus the others


def test_a_quarter_is_masked_with_the_other_quarters_of_its_year():
    first, second = quarters(YEAR)[:2]
    cohort = [*people(20, "women", (), day=first.start), *people(20, "men", (), day=first.start),
              *people(3, "women", (), day=second.start),
              *people(30, "women", (), day=quarters(YEAR)[2].start),
              *people(30, "men", (), day=quarters(YEAR)[2].start)]
    year = build_funnel(cohort, "none", YEAR, {})
    hidden = [q for q in quarters(YEAR)
              if step(build_funnel(cohort, "none", q, {})["total"], "reached")["masked"]]
    assert not step(year["total"], "reached")["masked"]
    assert second in hidden and len([q for q in hidden
                                     if q != quarters(YEAR)[3]]) >= 2  # Q4 has nobody: 0


@pytest.fixture
async def seeded(services):
    """Four people from two sources (one of them erased with their journey), one legacy
    erased row without a journey, and what staff met at a source."""
    async with services.db.transaction() as session:
        s1 = await add_source(session, "sfi-skola", "Sfi Kista", None, "sfi-kista", "SFIKISTA", NOW)
        s2 = await add_source(session, "bibliotek", "Husby bibl", None, "husby-b", "HUSBYB", NOW)
        anna = await person(session, NOW, "anna", source_id=s1.id)
        bea = await person(session, NOW, "bea", source_id=s1.id, district="spanga-tensta")
        await person(session, NOW, "carl", gender="man", source_id=s1.id)
        await person(session, NOW, "dan", gender="man", source_id=s2.id, status="new")
        session.add(ErasedCount(erased_at=NOW, reason="asked", gender="kvinna", source_id=s2.id))
        kind = (await session.execute(VisitKind.__table__.select().limit(1))).first()
        for who, status in ((anna, "attended"), (bea, "attended")):
            session.add(Booking(code=f"C{who.id}", contact_id=who.id, unit_id=who.unit_id,
                                kind_id=kind.id, start=NOW - timedelta(days=30),
                                end=NOW - timedelta(days=30, hours=-1), status=status,
                                created_at=NOW - timedelta(days=40)))
        anna.enrolled_at = NOW - timedelta(days=29)
        ended = Avslut(contact_id=anna.id, unit_id=anna.unit_id, ended_on=date(2029, 10, 1),
                       reason="arbete", recorded_by="coach", recorded_at=NOW - timedelta(days=100))
        session.add(ended)
        bea.enrolled_at = NOW - timedelta(days=29)
        session.add(OutreachMet(source_id=s1.id, met_on=date(2030, 1, 10), people=40,
                                recorded_by="uppsökare", recorded_at=NOW))
        await session.flush()
        session.add(SurveyRun(avslut_id=ended.id, contact_id=anna.id, status=ANSWERED,
                              due_at=NOW - timedelta(days=10), category="arbete"))
        await session.flush()
        await erase_contact(session, bea, "asked", NOW)  # her steps stay in her district
    return services, s1.id, s2.id


async def test_every_person_keeps_the_steps_they_passed_erased_or_not(seeded):
    services, s1, s2 = seeded
    async with services.db.transaction() as session:
        found = await journeys(session, ZONE)
        tensta = (await session.execute(District.__table__.select().where(
            District.slug == "spanga-tensta"))).first()
    by_path = sorted((j.gender, j.source, tuple(s for s in STEPS if s in j.passed)) for j in found)
    assert by_path == sorted([
        ("women", s1, STEPS),  # anna, all the way
        ("women", s1, ("reached", "consented", "booked", "attended", "enrolled")),  # bea, erased
        ("men", s1, ("reached", "consented")),  # carl
        ("men", s2, ("reached",)),  # dan, not consented
        ("women", s2, ("reached", "consented")),  # the legacy erased row
    ])
    erased_bea = next(j for j in found if j.source == s1 and "enrolled" in j.passed
                      and "avslut" not in j.passed)
    assert erased_bea.district == tensta.id
    assert erased_bea.first_contact == NOW.date().replace(day=1)  # kept to the month only


async def test_the_funnel_reads_names_and_what_staff_met(seeded):
    from storage.funnel import funnel

    services, s1, _ = seeded
    async with services.db.transaction() as session:
        report = await funnel(session, "source", None, ZONE)
        by_district = await funnel(session, "district", None, ZONE)
    groups = {g["name"]: g for g in report["groups"]}
    assert set(groups) == {"Sfi Kista", "Husby bibl"}
    assert groups["Sfi Kista"]["met"] == 40 and groups["Husby bibl"]["met"] is None
    assert report["total"]["met"] == 40
    assert {g["name"] for g in by_district["groups"]} == {"Rinkeby-Kista", "Spånga-Tensta",
                                                          "unknown"}
    assert all(s["masked"] for g in report["groups"] for s in g["steps"] if s["total"] != 0)


async def test_an_empty_database_has_an_empty_funnel(services):
    from storage.funnel import funnel

    async with services.db.transaction() as session:
        report = await funnel(session, "source")
    assert report["groups"] == [] and column(report["total"], "total") == [0] * 7
    assert column(report["total"], "share_women") == [None] * 7


def test_report_funnel_prints_json_csv_and_draws_the_split(tmp_path, sqlite_url):
    url = sqlite_url
    added = jobbtorg(url, "sources", "add", "--kind", "bibliotek", "--name", "Husby bibliotek",
                     "--payload", "husby", "--keyword", "HUSBY")
    assert added.returncode == 0, added.stderr
    met = jobbtorg(url, "sources", "met", "HUSBY", "35", "--date", "2025-10-02")
    assert met.returncode == 0, met.stderr
    ahead = jobbtorg(url, "sources", "met", "HUSBY", "5", "--date", "2999-10-02")
    assert ahead.returncode != 0 and "is after today" in ahead.stderr  # not met yet
    printed = jobbtorg(url, "report", "funnel", "--by", "source", "--json", "--from", "2025-09",
                       "--to", "2026-08")
    assert printed.returncode == 0, printed.stderr
    report = json.loads(printed.stdout)
    assert report["by"] == "source" and report["period"] == {"from": "2025-09-01",
                                                             "to": "2026-08-31"}
    assert report["total"]["met"] == 35  # nobody reached yet, but 35 met
    assert [(g["name"], g["met"], g["steps"][0]["total"]) for g in report["groups"]] == [
        ("Husby bibliotek", 35, 0)]  # the source met people: it has its row
    table = jobbtorg(url, "report", "funnel", "--csv", "--by", "district", "--png",
                     str(tmp_path / "d.png"))
    assert table.returncode == 0, table.stderr
    assert table.stdout.startswith("\ufeffGrupp;Väg;Steg;Totalt;Kvinnor;Män")
    assert (tmp_path / "d.png").read_bytes()[:4] == b"\x89PNG"
    wrong = jobbtorg(url, "report", "funnel", "--by", "age", "--from", "2029-09")
    assert wrong.returncode != 0 and "--by must be one of" in wrong.stderr


def test_the_funnel_csv_is_swedish_or_english_with_names_and_hidden_steps():
    cohort = [*people(20, "women", ALL_STEPS, district=1), *people(3, "men", (), district=2)]
    report = build_funnel(cohort, "district", None, {1: ("rinkeby-kista", "Rinkeby-Kista"),
                                                     2: ("bromma", "Bromma")})
    swedish = funnel_csv(report).removeprefix("\ufeff").splitlines()
    assert swedish[0].split(";")[:4] == ["Grupp", "Väg", "Steg", "Totalt"]
    assert "Rinkeby-Kista;Via bokat besök;Nådda;23;20;3;0;87,0;;ja" not in swedish
    assert any(line.startswith("Rinkeby-Kista;Via bokat besök;Nådda;") for line in swedish)
    assert any(line.startswith("Bromma;") and line.endswith(";ja") for line in swedish)
    english = funnel_csv(report, "en").removeprefix("\ufeff").splitlines()
    assert english[0].startswith("group,path,step,total,women,men")


def test_a_period_is_by_first_contact():
    cohort = [*people(6, "women", (), day=date(2029, 10, 1)),
              *people(6, "women", (), day=date(2031, 10, 1))]
    report = build_funnel(cohort, "none", Period(date(2029, 9, 1), date(2030, 8, 31)), {})
    assert step(report["total"], "reached")["total"] == 6


def png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_chart_of_a_split_draws_a_panel_per_group_in_swedish():
    cohort = [*people(20, "women", ALL_STEPS, district=1), *people(20, "men", ALL_STEPS, district=2),
              *people(20, "men", ALL_STEPS, district=3), *people(20, "men", ALL_STEPS, district=4)]
    names = {i: (f"d{i}", f"Stadsdel {i}") for i in range(1, 5)}
    alone = png_size(funnel_chart(build_funnel(cohort, "none", None, {})))
    split = png_size(funnel_chart(build_funnel(cohort, "district", None, names)))
    assert split[0] > alone[0] and split[1] > alone[1]  # five panels: the total and four
