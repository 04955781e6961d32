"""What a coach or an analyst types into the follow-up and report commands, run through the
real `jobbtorg` (a process of its own, tests/cli_process.py) on one database.

Each row is what staff typed and what it must mean: the JSON fields it must give, or the
one-line refusal it must get (exit 2, no traceback, nothing on stdout). The bot's clock is
Wednesday 2 December 2026, 09:00.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from storage.followup import ANSWERED, SurveyRun
from tests.booking_helpers import local
from tests.cli_process import run_jobbtorg
from tests.conftest import start_services
from tests.test_bookings_cli import at

Row = tuple[list[str], dict[str, Any] | str]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> dict[str, str]:
    """One person with an avslut whose survey answer waits for a coach, on a seeded demo
    database whose clock is Wednesday 2 December 2026, 09:00."""
    path = tmp_path_factory.mktemp("staff-words") / "words.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite+aiosqlite:///{path}"
    at(url, local(2026, 12, 2, 9))
    made = _json(url, "bookings", "add", "--phone", "070-123 45 67", "--kind", "forsta-besok",
                 "--start", "torsdag 10:00", "--unit", "jarva")
    contact = str(made["contact_id"])
    survey = _json(url, "avslut", contact, "--reason", "arbete", "--date", "2026-08-20")["survey"]

    async def answered() -> None:  # as if the person had written something unclear
        services = await start_services(url)
        try:
            async with services.db.transaction() as session:
                await session.execute(update(SurveyRun).where(
                    SurveyRun.id == survey["id"]).values(  # type: ignore[arg-type]
                    status=ANSWERED, free_text="lite av varje"))
        finally:
            await services.close()

    asyncio.run(answered())
    return {"url": url, "contact": contact, "survey": str(survey["id"])}


def _run(url: str, *args: str, stdin: str = "") -> Any:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JOBBTORG_")}
    environment["JOBBTORG_DATABASE_URL"] = url
    return run_jobbtorg(list(args), environment, stdin=stdin)


def _json(url: str, *args: str) -> Any:
    result = _run(url, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def check(world: dict[str, str], args: list[str], meant: dict[str, Any] | str,
          stdin: str = "") -> None:
    """Run the row: a dict is the JSON fields it must give, a string the refusal's words."""
    typed = [a.replace("{contact}", world["contact"]).replace("{survey}", world["survey"])
             for a in args]
    if isinstance(meant, dict):
        result = _run(world["url"], *typed, "--json", stdin=stdin)
        assert result.returncode == 0, (typed, result.stderr)
        printed = json.loads(result.stdout)
        got = {k: printed[k] for k in meant} if isinstance(printed, dict) else printed
        assert got == meant, typed
        return
    result = _run(world["url"], *typed, stdin=stdin)
    refusal = result.stderr.strip()
    assert result.returncode == 2, (typed, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == "", typed
    assert "\n" not in refusal, (typed, refusal)  # one line
    assert meant in refusal, (typed, refusal)


def cohort(first: str, last: str) -> dict[str, Any]:
    return {"cohort": {"from": first, "to": last}}


def period(first: str, last: str) -> dict[str, Any]:
    return {"period": {"from": first, "to": last}}


OUTCOMES = ["report", "outcomes"]
REPORT_ROWS: list[Row] = [
    ([*OUTCOMES, "--from", "1/9", "--to", "30/11"], cohort("2026-09-01", "2026-11-30")),
    ([*OUTCOMES, "--from", "1 sep", "--to", "30 nov"], cohort("2026-09-01", "2026-11-30")),
    ([*OUTCOMES, "--from", "1 September", "--to", "igår"], cohort("2026-09-01", "2026-12-01")),
    ([*OUTCOMES, "--from", "2026-09-01", "--to", "2026-11-30"],
     cohort("2026-09-01", "2026-11-30")),
    ([*OUTCOMES, "--from", "2025-09", "--to", "2026-08"], cohort("2025-09-01", "2026-08-31")),
    ([*OUTCOMES, "--from", "september", "--to", "oktober"], cohort("2026-09-01", "2026-10-31")),
    ([*OUTCOMES, "--from", "sep 2025", "--to", "aug 2026"], cohort("2025-09-01", "2026-08-31")),
    ([*OUTCOMES, "--from", "Okt", "--to", "Nov"], cohort("2026-10-01", "2026-11-30")),
    ([*OUTCOMES, "--from", "förra månaden", "--to", "förra månaden"],
     cohort("2026-11-01", "2026-11-30")),
    ([*OUTCOMES, "--from", "last month", "--to", "idag"], cohort("2026-11-01", "2026-12-02")),
    ([*OUTCOMES, "--from", "forra manaden", "--to", "last month"],
     cohort("2026-11-01", "2026-11-30")),
    ([*OUTCOMES, "--from", "2027-01-05"], "--from '2027-01-05' is after today"),
    ([*OUTCOMES, "--from", "1/9", "--to", "2027-01-31"], "--to '2027-01-31' is after today"),
    ([*OUTCOMES, "--from", "1/11", "--to", "1/10"],
     "--from (2026-11-01) is after --to (2026-10-01)"),
    ([*OUTCOMES, "--from", "banan"], "--from must be a date"),
    ([*OUTCOMES, "--by", "Ålder"], {"by": "age"}),
    ([*OUTCOMES, "--by", "stadsdel"], {"by": "district"}),
    ([*OUTCOMES, "--by", "Målgrupp"], {"by": "group"}),
    ([*OUTCOMES, "--by", "Target group"], {"by": "group"}),
    ([*OUTCOMES, "--by", "GENDER"], {"by": "gender"}),
    ([*OUTCOMES, "--by", "gendr"], "--by 'gendr': did you mean 'gender'?"),
    ([*OUTCOMES, "--lang", "English", "--by", "kön"], {"by": "gender"}),
    ([*OUTCOMES, "--lang", "engelska"], {"by": "gender"}),
    ([*OUTCOMES, "--lang", "franska"], "--lang must be one of sv, en"),
    (["report", "funnel", "--from", "1/9", "--to", "30/11"], period("2026-09-01", "2026-11-30")),
    (["report", "funnel", "--from", "sep", "--to", "nov", "--by", "Stadsdel"],
     {"by": "district", **period("2026-09-01", "2026-11-30")}),
    (["report", "funnel", "--by", "källa"], {"by": "source"}),
    (["report", "funnel", "--by", "jarva"], "--by must be one of"),
    (["report", "funnel", "--from", "2099-01-01", "--to", "2099-02-01"], "is after today"),
]

CLASSIFY = ["survey", "classify", "{survey}"]
SURVEY_ROWS: list[Row] = [
    ([*CLASSIFY, "Jobbar", "--extent", "Heltid"], {"category": "arbete", "extent": "heltid"}),
    ([*CLASSIFY, "work", "--extent", "full time", "--employment", "permanent"],
     {"category": "arbete", "extent": "heltid", "employment": "tillsvidare"}),
    ([*CLASSIFY, "ARBETE", "--extent", "deltid", "--employment", "Timanställning"],
     {"category": "arbete", "extent": "deltid", "employment": "timanstallning"}),
    ([*CLASSIFY, "arbete", "--employment", "Provanstallning"],
     {"category": "arbete", "employment": "provanstallning"}),
    ([*CLASSIFY, "arbete", "--employment", "med stöd"], {"employment": "med-stod"}),
    ([*CLASSIFY, "arbete", "--employment", "eget företag"], {"employment": "eget-foretag"}),
    ([*CLASSIFY, "Studier", "--school", "Komvux"], {"category": "studier", "school": "komvux"}),
    ([*CLASSIFY, "studying", "--school", "folk high school"],
     {"category": "studier", "school": "folkhogskola"}),
    ([*CLASSIFY, "studerar", "--school", "Högskola"], {"school": "hogskola"}),
    ([*CLASSIFY, "studier", "--school", "university"], {"school": "hogskola"}),
    ([*CLASSIFY, "Söker jobb"], {"category": "soker-jobb"}),
    ([*CLASSIFY, "soker jobb"], {"category": "soker-jobb"}),
    ([*CLASSIFY, "looking for work"], {"category": "soker-jobb"}),
    ([*CLASSIFY, "Work placement"], {"category": "praktik"}),
    ([*CLASSIFY, "Annat"], {"category": "annat"}),
    ([*CLASSIFY, "studeir"], "CATEGORY 'studeir': did you mean 'studier'?"),
    ([*CLASSIFY, "arbete", "--extent", "heltd"], "--extent 'heltd': did you mean 'heltid'?"),
    ([*CLASSIFY, "arbete", "--school", "komvux"], "--school goes with the category studier"),
    ([*CLASSIFY, "semester"], "CATEGORY must be one of arbete, studier"),
    (["outcome", "set", "{contact}", "--category", "Jobbar", "--extent", "part time"],
     {"category": "arbete", "extent": "deltid"}),
    (["outcome", "set", "{contact}", "--category", "Studying", "--school", "sfi"],
     {"category": "studier", "school": "sfi"}),
    (["outcome", "set", "{contact}", "--category", "söker-jobb"], {"category": "soker-jobb"}),
    (["outcome", "set", "{contact}", "--category", "praktk"],
     "--category 'praktk': did you mean 'praktik'?"),
    (["outcome", "set", "{contact}", "--category", "arbete", "--employment", "visstd"],
     "--employment 'visstd': did you mean 'visstid'?"),
    (["survey", "list", "--status", "answerd"], "--status 'answerd': did you mean 'answered'?"),
]

GROUPS = ["groups", "set", "{contact}"]
GROUP_ROWS: list[Row] = [
    ([*GROUPS, "kaa", "nyanlända"], {"groups": ["kaa", "nyanland"]}),
    ([*GROUPS, "Nyanlanda"], {"groups": ["nyanland"]}),
    ([*GROUPS, "Newly arrived", "Income support"], {"groups": ["nyanland", "forsorjningsstod"]}),
    ([*GROUPS, "Ingång 20–29"], {"groups": ["ingang-20-29"]}),
    ([*GROUPS, "ingang 20-29", "FUNKTIONSNEDSATTNING"],
     {"groups": ["ingang-20-29", "funktionsnedsattning"]}),
    ([*GROUPS, "Kvinnor långt från arbetsmarknaden"],
     {"groups": ["kvinnor-langt-fran-arbetsmarknaden"]}),
    ([*GROUPS, "women far from the labour market"],
     {"groups": ["kvinnor-langt-fran-arbetsmarknaden"]}),
    ([*GROUPS, "försörjningsstöd"], {"groups": ["forsorjningsstod"]}),
    ([*GROUPS, "nyanlnda"], "GROUPS 'nyanlnda': did you mean 'nyanland'?"),
    ([*GROUPS, "pensionär"], "GROUPS must be one of kaa, ingang-20-29"),
]

PLACE_ROWS: list[Row] = [
    (["sources", "add", "--kind", "bibliotek", "--name", "Tensta bibliotek", "--district",
      "Spånga-Tensta"], {"district": "spanga-tensta"}),
    (["sources", "add", "--kind", "bibliotek", "--name", "Kista bibliotek", "--district",
      "rinkeby kista"], {"district": "rinkeby-kista"}),
    (["sources", "add", "--kind", "bibliotek", "--name", "Husby bibliotek", "--district",
      "rinkby-kista"], "--district 'rinkby-kista': did you mean 'rinkeby-kista'?"),
    (["move-person", "{contact}", "--unit", "Jarv"], "--unit 'Jarv': did you mean 'jarva'?"),
]


@pytest.mark.parametrize(("args", "meant"), REPORT_ROWS)
def test_report_dates_splits_and_languages_as_analysts_type_them(world, args, meant):
    check(world, args, meant)


@pytest.mark.parametrize(("args", "meant"), SURVEY_ROWS)
def test_survey_answers_and_outcomes_as_coaches_type_them(world, args, meant):
    check(world, args, meant)


@pytest.mark.parametrize(("typed", "status"), [
    ("Besvarad", "answered"), ("ANSWERED", "answered"), (" answered ", "answered")])
def test_a_survey_status_by_its_swedish_or_english_name(world, typed, status):
    runs = _json(world["url"], "survey", "list", "--status", typed)
    assert runs and all(run["status"] == status for run in runs)


@pytest.mark.parametrize(("args", "meant"), GROUP_ROWS)
def test_target_groups_as_coaches_type_them(world, args, meant):
    check(world, args, meant)


@pytest.mark.parametrize(("args", "meant"), PLACE_ROWS)
def test_districts_and_units_by_their_names(world, args, meant):
    check(world, args, meant)


@pytest.mark.parametrize(("typed", "name"), [
    ("Södermalm", "Jobbtorg Innerstaden"), ("sodermalm", "Jobbtorg Innerstaden"),
    ("JÄRVA", "Jobbtorg Järva"), ("Kista", "Jobbtorg Järva"), ("vallingby", "Jobbtorg Västerort")])
def test_a_person_moves_to_a_unit_named_any_way(world, typed, name):
    assert _run(world["url"], "move-person", world["contact"], "--unit", "sydost").returncode == 0
    result = _run(world["url"], "move-person", world["contact"], "--unit", typed)
    assert result.returncode == 0, result.stderr
    assert f"now belongs to {name}." in result.stderr


@pytest.mark.parametrize(("role", "meant"), [
    ("Coach", "coach"), ("analytiker", "analyst"), ("Administratör", "admin"),
    ("uppsokare", "outreach"), ("outreach worker", "outreach")])
def test_a_role_by_its_swedish_or_english_name(world, role, meant):
    result = _run(world["url"], "staff", "add", "--username", f"u-{role.split()[0]}",
                  "--role", role, "--unit", "Järva", stdin="a long secret\n")
    assert result.returncode == 0, result.stderr
    assert f"Added {meant} " in result.stderr


def test_a_role_near_miss_is_refused_on_one_line(world):
    check(world, ["staff", "add", "--username", "x", "--role", "analys", "--unit", "jarva"],
          "--role 'analys': did you mean 'analyst'?", stdin="a long secret\n")


def test_a_broadcast_segment_names_its_units_and_districts_any_way(world):
    made = _json(world["url"], "broadcast", "create", "--name", "Träff", "--sv", "Hej",
                 "--unit", "Järva", "--unit", "jarva", "--district", "rinkeby kista",
                 "--district", "Södermalm")
    assert (made["segment"]["units"], made["segment"]["districts"]) == (
        ["jarva"], ["rinkeby-kista", "sodermalm"])
    check(world, ["broadcast", "create", "--name", "X", "--sv", "Hej", "--district",
                  "sodermlm"], "--district 'sodermlm': did you mean 'sodermalm'?")


@pytest.mark.parametrize(("args", "meant"), [
    (["sources", "add", "--kind", "bibliotk", "--name", "Husby bibliotek"],
     "--kind 'bibliotk': did you mean 'bibliotek'?"),
    (["sources", "add", "--kind", "Oppen forskola", "--name", "Öppna förskolan Husby"],
     {"kind": "oppen-forskola"}),
    (["events", "add", "--kind", "mäsa", "--title", "Mässa", "--at", "torsdag 10:00",
      "--place", "Kista", "--seats", "20"], "--kind 'mäsa': did you mean 'massa'?"),
    (["events", "add", "--kind", "Öppet hus", "--title", "Öppet hus", "--at", "3/12 13:00",
      "--place", "Kista", "--seats", "20"], {"kind": "oppet-hus"}),
])
def test_source_and_event_kinds_by_name_and_near_misses_named(world, args, meant):
    check(world, args, meant)
