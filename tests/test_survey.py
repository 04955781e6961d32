"""The three-month follow-up survey over the simulator: timing, questions, answers, report."""

from __future__ import annotations

from datetime import timedelta

from storage.outcome_report import outcome_report
from tests.sim import SimPerson, advance
from tests.survey_helpers import (
    DAY,
    contact_id_of,
    end_programme,
    local_today,
    survey_run,
)


async def test_an_avslut_and_ninety_days_bring_the_survey_and_the_report_counts_the_answer(
        client, services):
    person = SimPerson(client, "ended", "sms")
    await person.onboard()
    contact_id = await contact_id_of(services, "ended", "sms")
    ended_on = local_today(services)
    run_id = await end_programme(services, contact_id, ended_on)
    await advance(client, 95 * DAY)
    inbox = await person.inbox()
    assert any("tre månader" in m["text"] for m in inbox), inbox[-1]
    assert "Vad gör du nu?" in inbox[-1]["text"] and "1. Jobbar" in inbox[-1]["text"]
    await person.send("jobbar deltid på ICA")
    assert "anställning" in person.text
    await person.send("timmis")
    assert "lättare" in person.text
    await person.send("1")
    await person.send("Nej tack")
    assert "Tack för dina svar" in person.text
    run = await survey_run(services, run_id)
    assert (run.status, run.category, run.extent, run.employment, run.better_chances) == (
        "answered", "arbete", "deltid", "timanstallning", "ja")
    async with services.db.transaction() as session:
        report = await outcome_report(session, ended_on - timedelta(days=1), ended_on)
    assert report["total"]["people"] is None  # one person: masked
    assert report["total"]["masked"] is True
