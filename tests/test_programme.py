"""The programme (insats) a coach records at enrolment or avslut, and the report split by it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.survey import FollowupError, record_avslut
from storage.erasure import erase_contact
from storage.outcome_report import load_cases, outcome_report
from tests.test_cli import jobbtorg
from tests.test_followup_storage import add_person

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage


async def test_the_programme_comes_from_the_avslut_or_else_from_enrolment(services):
    now = services.clock.now()
    today = now.astimezone(services.settings.zone).date()
    policy = services.engine.policy
    async with services.db.transaction() as session:
        enrolled = await add_person(session, now, user="a")
        enrolled.programme = "ungdomsanstallning"  # recorded at enrolment
        told = await add_person(session, now, user="b")
        erased = await add_person(session, now, user="c", gender="man")
        await record_avslut(session, enrolled.id, today, "arbete", "kim", now, policy)
        await record_avslut(session, told.id, today, "studier", "kim", now, policy,
                            programme="stockholmsjobb")
        await record_avslut(session, erased.id, today, "arbete", "kim", now, policy,
                            programme="serviceassistent")
        with pytest.raises(FollowupError, match="insats"):
            await record_avslut(session, told.id, today - timedelta(days=1), "arbete", "kim",
                                now, policy, programme="sommarjobb")
        await erase_contact(session, erased, "asked", now)  # kept anonymously, with it
    async with services.db.transaction() as session:
        cases = await load_cases(session, today, today)
        report = await outcome_report(session, today, today, "programme")
    assert sorted(c.programme for c in cases) == ["serviceassistent", "stockholmsjobb",
                                                  "ungdomsanstallning"]
    assert [(r["group"], r["name"]) for r in report["rows"]] == [
        ("stockholmsjobb", "Stockholmsjobb"), ("ungdomsanstallning", "Ungdomsanställning"),
        ("serviceassistent", "Serviceassistent")]


def test_the_cli_refuses_an_unknown_programme(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'p.db'}"
    for args in (["avslut", "1", "--reason", "arbete", "--insats", "sommarjobb"],
                 ["enrol", "1", "--insats", "sommarjobb"]):
        result = jobbtorg(url, *args)
        assert result.returncode != 0 and "--insats must be one of" in result.stderr
