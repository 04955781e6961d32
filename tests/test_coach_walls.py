"""Walls a coach hit in a week in the demo: an avslut before the enrolment, a changed
programme, a number of another unit, a cancelled visit in the day list, a second booking
before consent, and small wording slips."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.followup import Avslut
from storage.models import AuditLog, Contact
from tests.sim import SimPerson
from tests.staff_web import post
from tests.survey_helpers import contact_id_of, local_today
from tests.test_cli import jobbtorg
from tests.test_dashboard_visits import coach_booked_a_caller, web

__all__ = ["web"]  # the fixture


async def test_an_avslut_before_the_enrolment_is_refused_with_its_reason(web):
    client, services = web
    booking, contact = await coach_booked_a_caller(client, services)
    await post(client, f"{contact}/enrol")
    today = services.clock.now().astimezone(services.settings.zone).date()
    early = await post(client, f"{contact}/avslut", {
        "reason": "arbete", "ended_on": (today - timedelta(days=3)).isoformat()})
    location = early.headers["Location"]
    assert "error=staff.web.visits.error_avslut_before_enrolment" in location
    assert "före inskrivningen" in await (await client.get(location)).text()
    async with services.db.transaction() as session:
        assert (await session.execute(select(Avslut))).first() is None
    same_day = await post(client, f"{contact}/avslut", {"reason": "arbete",
                                                       "ended_on": today.isoformat()})
    assert "done=staff.web.done.avslut" in same_day.headers["Location"]


async def test_enrolling_again_with_another_programme_says_it_changed(web):
    client, services = web
    booking, contact = await coach_booked_a_caller(client, services)
    first = await post(client, f"{contact}/enrol", {"insats": "stockholmsjobb"})
    assert "done=staff.web.done.enrolled" in first.headers["Location"]
    again = await post(client, f"{contact}/enrol", {"insats": "ungdomsanstallning"})
    page = await (await client.get(again.headers["Location"])).text()
    assert "Programmet ändrades från Stockholmsjobb till Ungdomsanställning" in page
    same = await post(client, f"{contact}/enrol", {"insats": "ungdomsanstallning"})
    assert "done=staff.web.done.already_enrolled" in same.headers["Location"]
    async with services.db.transaction() as session:
        person = await session.get(Contact, booking.contact_id)
        logged = list((await session.execute(select(AuditLog.detail).where(
            AuditLog.action == "contact.programme"))).scalars())
    assert person is not None and person.programme == "ungdomsanstallning"
    assert logged == ["stockholmsjobb -> ungdomsanstallning"]


async def test_the_cli_says_a_changed_programme_and_refuses_an_avslut_before_enrolment(
        client, services):
    person = SimPerson(client, "walls")
    await person.onboard()
    contact_id = str(await contact_id_of(services, "walls"))
    url = str(services.settings.database_url)
    first = jobbtorg(url, "enrol", contact_id, "--insats", "stockholmsjobb")
    assert first.returncode == 0 and "is enrolled" in first.stderr, first.stderr
    again = jobbtorg(url, "enrol", contact_id, "--insats", "ungdomsanstallning")
    assert again.returncode == 0, again.stderr
    assert "the programme changed from Stockholmsjobb to Ungdomsanställning" in again.stderr
    early = (local_today(services) - timedelta(days=10)).isoformat()
    refused = jobbtorg(url, "avslut", contact_id, "--reason", "arbete", "--date", early)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "before the enrolment" in refused.stderr and len(refused.stderr.splitlines()) == 1
