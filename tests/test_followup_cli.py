"""The follow-up from end to end: `jobbtorg avslut`, the survey over both looks, the report.

The CLI runs as a real process against the demo database, so it shares the demo clock.
"""

from __future__ import annotations

import json

from openpyxl import load_workbook

from storage.outcome_report import figures, load_cases
from tests.sim import SimPerson, advance
from tests.survey_helpers import DAY, contact_id_of, local_today
from tests.test_cli import jobbtorg

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def unmasked_total(services, ended) -> dict:
    """The figures the report masks, counted from the same cases (to check the survey)."""
    async with services.db.transaction() as session:
        return figures("total", await load_cases(session, ended, ended))


def ok(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


async def test_avslut_by_cli_then_ninety_days_then_answers_over_both_looks_are_in_the_report(
        client, services, database_url, tmp_path):
    people = [SimPerson(client, f"tg{n}", "telegram") for n in range(3)] + [
        SimPerson(client, f"sms{n}", "sms") for n in range(2)]
    for index, person in enumerate(people):
        await person.onboard(gender="kvinna" if index < 3 else "man")
    ended = local_today(services)
    for person in people:
        contact_id = await contact_id_of(services, person.user, person.channel)
        made = json.loads(ok(jobbtorg(database_url, "avslut", str(contact_id), "--reason",
                                      "arbete", "--date", ended.isoformat(), "--json")))
        assert made["contact_id"] == contact_id and made["survey"]["status"] == "scheduled"
        assert made["unit"] == "jarva"
    await advance(client, 95 * DAY)
    for person in people:
        assert "Vad gör du nu?" in (await person.inbox())[-1]["text"]
        person.replies = [(await person.inbox())[-1]]
    woman, student, seeker, man, silent = people
    for key in ("arbete", "heltid", "tillsvidare", "ja", "skip"):  # buttons
        await woman.press(key)
    assert "Tack för dina svar" in woman.text
    for text in ("pluggar på komvux", "ja", "nej tack"):  # typed words
        await student.send(text)
    await seeker.press("soker-jobb")
    await seeker.press("nej")
    await seeker.send("Mer hjälp med CV tack")
    for number in ("1", "2", "4", "2", "1"):  # SMS numbers: arbete, deltid, tim, delvis
        await man.send(number)
    assert "Tack för dina svar" in man.text
    await advance(client, 15 * DAY)  # the silent one's survey expires
    window = ["--from", ended.isoformat(), "--to", ended.isoformat()]
    report = json.loads(ok(jobbtorg(database_url, "report", "outcomes", *window, "--json")))
    assert set(report) == {"cohort", "by", "rows", "total"}
    assert report["cohort"] == {"from": ended.isoformat(), "to": ended.isoformat()}
    # five people, two in work: every figure of 1-4 is masked, the total too
    assert report["total"]["masked"] is True and report["total"]["people"] is None
    assert [(r["group"], r["masked"], r["people"]) for r in report["rows"]] == [
        ("kvinna", True, None), ("man", True, None)]
    total = await unmasked_total(services, ended)
    assert {k: total[k] for k in ("people", "answered", "unanswered", "response_rate", "work",
                                  "studies", "work_or_studies_share",
                                  "better_chances_share")} == {
        "people": 5, "answered": 4, "unanswered": 1, "response_rate": 0.8, "work": 2,
        "studies": 1, "work_or_studies_share": 0.75, "better_chances_share": 0.5}
    lines = ok(jobbtorg(database_url, "report", "outcomes", *window, "--csv")).splitlines()
    assert lines[0].startswith("\ufeffIndelning;Grupp;Från;Till;Avslutade;Svarat")
    last = dict(zip(lines[0].removeprefix("\ufeff").split(";"), lines[-1].split(";"),
                    strict=True))
    assert (last["Grupp"], last["Avslutade"], last["Dolt"]) == ("Totalt", "", "ja")
    chart = tmp_path / "utfall.png"
    result = jobbtorg(database_url, "report", "outcomes", *window, "--by", "reason", "--png",
                      str(chart))
    assert result.returncode == 0 and "Wrote the chart" in result.stderr
    assert chart.read_bytes().startswith(PNG_MAGIC) and chart.stat().st_size > 10_000
    # a coach records what the silent one does; it is shown apart from the survey figures
    silent_id = await contact_id_of(services, silent.user, silent.channel)
    ok(jobbtorg(database_url, "outcome", "set", str(silent_id), "--category", "arbete",
                "--extent", "deltid"))
    total = await unmasked_total(services, ended)
    assert (total["answered"], total["work"], total["staff_recorded"], total["staff_work"]) == (
        4, 2, 1, 1)
    assert total["all_sources_work_or_studies_share"] == 0.8
    # the reporting year (September-August) that holds this avslut: masked, two genders
    year = ended.year if ended.month >= 9 else ended.year - 1
    cohort = json.loads(ok(jobbtorg(database_url, "report", "outcomes", "--cohort-year",
                                    str(year), "--json")))
    assert cohort["total"]["masked"] is True and len(cohort["rows"]) == 2


async def test_an_unclear_answer_is_listed_for_a_coach_and_classified_from_the_cli(
        client, services, database_url):
    person = SimPerson(client, "vague", "sms")
    await person.onboard()
    contact_id = await contact_id_of(services, "vague", "sms")
    ok(jobbtorg(database_url, "avslut", str(contact_id), "--reason", "annan-insats"))
    await advance(client, 95 * DAY)
    await person.send("lite av varje")
    await person.send("svårt att säga, lite av varje")
    listed = json.loads(ok(jobbtorg(database_url, "survey", "unclassified", "--json")))
    assert [(r["contact_id"], r["text"]) for r in listed] == [
        (contact_id, "svårt att säga, lite av varje")]
    bad = jobbtorg(database_url, "survey", "classify", str(listed[0]["id"]), "studier",
                   "--extent", "heltid")
    assert bad.returncode != 0 and "arbete only" in bad.stderr
    done = json.loads(ok(jobbtorg(database_url, "survey", "classify", str(listed[0]["id"]),
                                  "studier", "--school", "sfi", "--json")))
    assert (done["category"], done["school"]) == ("studier", "sfi")
    assert json.loads(ok(jobbtorg(database_url, "survey", "unclassified", "--json"))) == []
    runs = json.loads(ok(jobbtorg(database_url, "survey", "list", "--contact",
                                  str(contact_id), "--json")))
    assert [(r["status"], r["category"]) for r in runs] == [("answered", "studier")]


async def test_target_groups_are_set_shown_and_cleared(client, services, database_url):
    person = SimPerson(client, "grouped")
    await person.onboard()
    contact_id = str(await contact_id_of(services, "grouped"))
    set_ = json.loads(ok(jobbtorg(database_url, "groups", "set", contact_id, "KAA",
                                  "Ingång 20-29", "--json")))
    assert set_["groups"] == ["kaa", "ingang-20-29"]
    shown = json.loads(ok(jobbtorg(database_url, "groups", "show", contact_id, "--json")))
    assert shown["groups"] == ["kaa", "ingang-20-29"]
    ok(jobbtorg(database_url, "groups", "set", contact_id, "--clear"))
    assert json.loads(ok(jobbtorg(database_url, "groups", "show", contact_id, "--json"))
                      )["groups"] == []


BAD_COMMANDS = [
    (["avslut", "999", "--reason", "arbete"], "no person with id 999"),
    (["avslut", "{id}", "--reason", "semester"], "--reason must be one of"),
    (["avslut", "{id}"], "--reason"),
    (["avslut", "{id}", "--reason", "arbete", "--date", "2026-13-01"], "must be a date"),
    (["avslut", "{id}", "--reason", "arbete", "--date", "2999-01-01"], "in the future"),
    (["avslut", "{id}", "--reason", "arbete", "--unit", "mars"], "--unit must be one of"),
    (["outcome", "set", "{id}", "--category", "arbete"], "has no avslut"),
    (["outcome", "set", "{id}", "--category", "semester"], "--category must be one of"),
    (["groups", "set", "{id}"], "name at least one target group"),
    (["groups", "set", "{id}", "pensionär"], "GROUPS must be one of"),
    (["survey", "classify", "999", "arbete"], "no answered survey with id 999"),
    (["report", "outcomes", "--by", "shoe"], "--by must be one of"),
    (["report", "outcomes", "--from", "2026-09", "--to", "2025-08"], "is after --to"),
    (["report", "outcomes", "--from", "semester"], "--from must be a date"),
    (["report", "outcomes", "--json", "--csv"], "not both"),
    (["report", "outcomes", "--png", "/no/such/folder/x.png"], "does not exist"),
]


async def test_bad_follow_up_commands_exit_with_a_reason(client, services):
    person = SimPerson(client, "target")
    await person.onboard()
    contact_id = str(await contact_id_of(services, "target"))
    url = str(services.settings.database_url)
    for args, message in BAD_COMMANDS:
        result = jobbtorg(url, *[a.replace("{id}", contact_id) for a in args])
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)
        assert result.stdout == "", args


async def test_the_september_to_august_cohort_is_given_by_months(client, services,
                                                                 database_url, tmp_path):
    result = json.loads(ok(jobbtorg(database_url, "report", "outcomes", "--from", "2025-09",
                                    "--to", "2026-08", "--by", "age", "--json")))
    assert result["cohort"] == {"from": "2025-09-01", "to": "2026-08-31"}
    assert result["by"] == "age" and result["total"]["people"] == 0
    book = tmp_path / "utfall.xlsx"
    ok(jobbtorg(database_url, "report", "outcomes", "--cohort-year", "2025", "--xlsx", str(book)))
    sheets = load_workbook(book).sheetnames
    assert sheets[:3] == ["Totalt", "Ålder", "Stadsdel"] and "Heltid och deltid" in sheets


async def test_an_avslut_dated_long_ago_is_surveyed_late_or_not_at_all_and_counted_apart(
        client, services):
    from datetime import timedelta

    late, old = SimPerson(client, "late"), SimPerson(client, "old")
    for person in (late, old):
        await person.onboard()
    url = str(services.settings.database_url)
    today = local_today(services)
    made = {}
    for person, days_back in ((late, 120), (old, 200)):
        contact_id = await contact_id_of(services, person.user, person.channel)
        made[person.user] = json.loads(ok(jobbtorg(
            url, "avslut", str(contact_id), "--reason", "studier",
            "--date", (today - timedelta(days=days_back)).isoformat(), "--json")))["survey"]
    assert made["late"]["status"] == "scheduled" and made["late"]["late"] is True
    assert made["old"] == {"id": made["old"]["id"], "status": "too-old", "late": False,
                           "due_at": None}
    await advance(client, 4 * DAY)  # the late one's survey went at the next opening
    assert "Vad gör du nu?" in "\n".join(m["text"] for m in await late.inbox())
    assert "Vad gör du nu?" not in "\n".join(m["text"] for m in await old.inbox())
    listed = json.loads(ok(jobbtorg(url, "survey", "list", "--status", "too-old", "--json")))
    assert [row["id"] for row in listed] == [made["old"]["id"]]
