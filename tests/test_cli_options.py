"""A busy coach's input on the command line: Swedish days and times, keys by their names
without case or accents, and near misses refused with what was probably meant."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest
import typer

from bot.commands.common import output
from bot.commands.options import read_day, read_key, read_start
from storage.followup import AVSLUT_REASONS, PROGRAMMES
from tests.booking_helpers import local
from tests.test_bookings_cli import at, jobbtorg, run_json

TUESDAY = date(2026, 12, 1)


@pytest.mark.parametrize(("typed", "meant"), [
    ("2026-12-03 10:00", (date(2026, 12, 3), time(10, 0))),
    ("2026-12-03 9:00", (date(2026, 12, 3), time(9, 0))),
    ("3/12 10:00", (date(2026, 12, 3), time(10, 0))),  # day first: 3 December
    ("onsdag 14:00", (date(2026, 12, 2), time(14, 0))),  # the next Wednesday
    ("Onsdag kl 14", (date(2026, 12, 2), time(14, 0))),
    ("imorgon 9.30", (date(2026, 12, 2), time(9, 30))),
    ("2/1 10:00", (date(2027, 1, 2), time(10, 0))),  # a date without a year: the next one
])
def test_a_start_is_read_as_the_participant_side_reads_it(typed, meant):
    assert read_start(typed, TUESDAY) == meant


@pytest.mark.parametrize("typed", ["30/11 10:00", "onsdag", "banana 10:00", "2026-12-03 25:00"])
def test_a_start_in_the_past_or_without_a_time_is_refused(typed):
    with pytest.raises(typer.Exit) as refused:
        read_start(typed, TUESDAY)
    assert refused.value.exit_code == 2


@pytest.mark.parametrize(("typed", "meant"), [
    ("20/5", date(2026, 5, 20)),  # past-facing: the last 20 May
    ("24/12", date(2025, 12, 24)),
    ("2026-11-30", date(2026, 11, 30)),
    ("igår", date(2026, 11, 30)),
    ("fredag", date(2026, 11, 27)),  # the last Friday
    ("idag", TUESDAY),
])
def test_a_past_facing_day_is_the_last_such_day(typed, meant):
    assert read_day(typed, TUESDAY, "--date", past=True) == meant


def test_a_future_day_for_a_past_facing_option_is_refused_as_in_the_future(capsys):
    with pytest.raises(typer.Exit):
        read_day("2999-01-01", TUESDAY, "--date", past=True)
    assert "in the future" in capsys.readouterr().err


@pytest.mark.parametrize(("typed", "choices", "key"), [
    ("Stockholmsjobb", PROGRAMMES, "stockholmsjobb"),
    ("Ungdomsanställning", PROGRAMMES, "ungdomsanstallning"),
    ("ANNAN INSATS", PROGRAMMES, "annan"),
    ("Studier", dict(zip(AVSLUT_REASONS, AVSLUT_REASONS, strict=True)), "studier"),
    ("annan insats", dict(zip(AVSLUT_REASONS, AVSLUT_REASONS, strict=True)), "annan-insats"),
])
def test_keys_match_without_case_or_accents_and_by_display_name(typed, choices, key):
    assert read_key(typed, choices, "--x") == key


def test_a_near_miss_is_refused_with_what_was_meant_never_guessed(capsys):
    reasons = dict(zip(AVSLUT_REASONS, AVSLUT_REASONS, strict=True))
    with pytest.raises(typer.Exit) as refused:
        read_key("studeir", reasons, "--reason")
    assert refused.value.exit_code == 2
    assert "did you mean 'studier'?" in capsys.readouterr().err
    with pytest.raises(typer.Exit):
        read_key("semester", reasons, "--reason")
    assert "did you mean" not in capsys.readouterr().err


@pytest.fixture
def db(database_url):
    at(database_url, local(2026, 12, 1, 8))  # a Tuesday morning
    return database_url


def test_a_coach_books_moves_and_marks_in_swedish_style_on_the_cli(db):
    row = run_json(db, "bookings", "add", "--phone", "070-123 45 67", "--kind", "Första besök",
                   "--start", "onsdag 10:00", "--unit", "Järva")
    assert (row["unit"], row["kind"], row["start"]) == (
        "jarva", "forsta-besok", "2026-12-02T10:00:00+01:00")
    moved = run_json(db, "bookings", "move", str(row["id"]), "--start", "3/12 10:00")
    assert moved["start"] == "2026-12-03T10:00:00+01:00"
    moved = run_json(db, "bookings", "move", str(row["id"]), "--start", "2026-12-03 9:00")
    assert moved["start"] == "2026-12-03T09:00:00+01:00"
    other = run_json(db, "bookings", "add", "--phone", "070-123 45 68", "--kind", "vägledning",
                     "--start", "torsdag 13:00", "--unit", "jarva")
    assert other["kind"] == "vagledning"
    at(db, local(2026, 12, 3, 12))
    code, out = jobbtorg(db, "visits", "mark", str(row["id"]), "atended")
    assert code == 2 and "did you mean 'attended'?" in out
    assert run_json(db, "bookings", "list", "--date", "idag")[0]["status"] == "booked"
    assert jobbtorg(db, "visits", "mark", str(row["id"]), "Attended")[0] == 0
    assert run_json(db, "bookings", "list", "--date", "3/12")[0]["status"] == "attended"


def test_avslut_reads_a_day_first_date_a_programme_by_name_and_refuses_a_typo(db):
    row = run_json(db, "bookings", "add", "--phone", "070-123 45 67", "--kind", "forsta-besok",
                   "--start", "2026-12-01 11:00", "--unit", "jarva")
    contact = str(row["contact_id"])
    code, out = jobbtorg(db, "avslut", contact, "--reason", "studeir", "--date", "20/5")
    assert code == 2 and "did you mean 'studier'?" in out
    code, out = jobbtorg(db, "avslut", contact, "--reason", "arbete", "--unit", "Järvaa")
    assert code == 2 and "did you mean 'jarva'?" in out
    done = run_json(db, "avslut", contact, "--reason", "Studier", "--date", "20/5",
                    "--insats", "Stockholmsjobb", "--unit", "Järva")
    assert (done["ended_on"], done["reason"], done["programme"], done["unit"]) == (
        "2026-05-20", "studier", "stockholmsjobb", "jarva")
    code, out = jobbtorg(db, "avslut", contact, "--reason", "arbete", "--date", "igår")
    assert code == 0 and "ended_on" in out and "2026-11-30" in out and "due_at" in out
    with pytest.raises(json.JSONDecodeError):  # a table to read, JSON only with --json
        json.loads(out)


def test_one_object_prints_as_a_table_without_json_and_as_json_with_it(capsys):
    status = {"id": 3, "status": "sending", "progress": {"queued": 2, "sent": 5}}
    output(status, False, "Broadcast")
    shown = capsys.readouterr().out
    assert "queued 2, sent 5" in shown and "{" not in shown
    output(status, True, "Broadcast")
    assert json.loads(capsys.readouterr().out) == status


def test_a_moment_for_broadcasts_and_events_is_read_the_same_way():
    from zoneinfo import ZoneInfo

    from bot.commands.options import read_moment

    zone = ZoneInfo("Europe/Stockholm")
    now = datetime(2026, 12, 1, 8, tzinfo=zone)
    assert read_moment("onsdag 14:00", now, zone) == datetime(2026, 12, 2, 14, tzinfo=zone)
    assert read_moment("3/12 10:00", now, zone) == datetime(2026, 12, 3, 10, tzinfo=zone)
    assert read_moment("2026-12-03T10:00:00+00:00", now, zone).hour == 10
    with pytest.raises(typer.Exit):
        read_moment("2001-01-01 10:00", now, zone)
