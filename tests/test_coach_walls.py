"""Walls a coach hit in a week in the demo: an avslut before the enrolment, a changed
programme, a number of another unit, a cancelled visit in the day list, a second booking
before consent, and small wording slips."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.clock import set_demo_now
from bot.web.dashboard.core import _formatters
from handlers.actions.bookings import Actor, book_on_behalf
from storage.bookings import Booking
from storage.followup import Avslut
from storage.models import AuditLog, Contact, HandoffRequest, InboundMessage, Outbox
from storage.outreach import Broadcast
from storage.places import unit_by_slug
from tests.booking_helpers import app_at, local
from tests.sim import SimPerson
from tests.staff_web import login, post
from tests.survey_helpers import contact_id_of, local_today
from tests.test_bookings_cli import db, run_json
from tests.test_bookings_cli import jobbtorg as cli
from tests.test_cli import jobbtorg
from tests.test_dashboard_visits import KIND, SLOT, coach_booked_a_caller, web

__all__ = ["db", "web"]  # the fixtures

MONDAY_MORNING = local(2026, 11, 30, 8)


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


async def test_a_second_staff_booking_before_consent_sends_only_its_confirmation(database_url):
    async with app_at(database_url, MONDAY_MORNING) as (services, client):
        texts = []
        for hour in (10, 11):
            async with services.db.transaction() as session:
                jarva = await unit_by_slug(session, "jarva")
                done = await book_on_behalf(
                    session, services.engine.policy, Actor("coach", jarva.id),
                    services.clock.now(), channel="sim-sms", phone="+46701234567",
                    kind="forsta-besok", start=local(2026, 12, 1, hour), unit_id=jarva.id)
            await services.engine.run_due_jobs()
            async with services.db.transaction() as session:
                rows = (await session.execute(select(Outbox).order_by(Outbox.id))).scalars()
                sent = " ".join(r.text for r in rows)
            texts.append(sent[len(" ".join(texts)):])
            assert done.booking.code in texts[-1]
        first, second = texts
        assert "Vi har bokat en tid åt dig" in first and "Är det okej?" in first
        assert "Vi har bokat en tid åt dig" not in second and "Är det okej?" not in second
        person = SimPerson(client, "+46701234567", "sms")
        await person.send("ja")  # the question asked with the first booking is still open
        async with services.db.transaction() as session:
            contact = await session.get(Contact, done.contact.id)
        assert contact is not None and contact.consented_at is not None


async def book_as(client, username, password, phone, name):
    await login(client, username, password)
    html = await (await client.get("/staff/visits/new")).text()
    response = await post(client, "/staff/visits/new", {
        "kind": KIND.search(html).group(1), "start": SLOT.search(html).group(1),
        "phone": phone, "first_name": name})
    assert response.status == 303 and "done=staff.web.done.booked" in response.headers["Location"]
    return response.headers["Location"]


async def test_a_number_of_another_unit_is_booked_here_and_said_so_without_their_data(web):
    client, services = web
    await book_as(client, "coach2", "demo-coach-2-pw", "070-555 12 34", "Sara")
    result = await book_as(client, "coach", None, "070-555 12 34", "Ali")
    page = await (await client.get(result)).text()
    assert "Numret hör till en person på Jobbtorg Sydost" in page  # the unit's name, nothing else
    assert "Besöket är bokat här på Jobbtorg Järva" in page and "Be en administratör flytta" in page
    assert "för Ali på Jobbtorg Järva" in page and "Bokningskod:" in page and "Sara" not in page
    async with services.db.transaction() as session:
        booking = (await session.execute(select(Booking).where(
            Booking.first_name == "Ali"))).scalar_one()
    set_demo_now(services.clock, booking.start)
    day = await (await client.get("/staff/visits")).text()
    assert "Ali" in day and "Personen hör till ett annat jobbtorg" in day
    assert f"/staff/contacts/{booking.contact_id}/enrol" not in day
    assert f"/staff/contacts/{booking.contact_id}/avslut" not in day
    assert f'href="/staff/contacts/{booking.contact_id}"' not in day
    await login(client, "admin")
    moved = await post(client, f"/staff/contacts/{booking.contact_id}/unit",
                       {"unit": str(booking.unit_id)})
    assert "done=staff.web.done.moved_unit" in moved.headers["Location"]
    await login(client, "coach")
    assert (await client.get(f"/staff/contacts/{booking.contact_id}")).status == 200
    day = await (await client.get("/staff/visits")).text()
    assert f"/staff/contacts/{booking.contact_id}/enrol" in day


async def test_a_cancelled_visit_stays_in_the_day_list_struck_through_with_its_reason(web):
    client, services = web
    result = await book_as(client, "coach", None, "070-123 45 67", "Amina")
    page = await (await client.get(result)).text()
    assert re.search(r"Bokat: Första besök \w+ \d+ \w+ \d\d:\d\d för Amina på Jobbtorg Järva", page), page
    async with services.db.transaction() as session:
        booking = (await session.execute(select(Booking))).scalar_one()
    response = await post(client, f"/staff/visits/{booking.id}/cancel",
                          {"reason": "Hon är sjuk", "back": "/staff/visits"})
    assert "done=staff.web.done.visit_cancelled" in response.headers["Location"]
    day = booking.start.astimezone(services.settings.zone).date().isoformat()
    listed = await (await client.get(f"/staff/visits?date={day}")).text()
    row = listed[listed.index('<tr class="cancelled">'):]
    row = row[:row.index("</tr>")]
    assert "<s>Amina</s>" in row and "Avbokad: Hon är sjuk" in row and "<form" not in row


def test_the_cli_books_a_number_of_another_unit_says_so_and_an_admin_moves_the_person(db):
    first = ("bookings", "add", "--phone", "070-555 12 34", "--kind", "forsta-besok")
    run_json(db, *first, "--start", "2026-12-01 10:00", "--unit", "sydost")
    code, out = cli(db, *first, "--start", "2026-12-01 11:00", "--unit", "jarva")
    assert code == 0, out
    assert "belongs to a person at another jobbtorg (sydost)" in out
    assert "jobbtorg move-person 1 --unit jarva" in " ".join(out.split())
    row = run_json(db, *first, "--start", "2026-12-01 12:00", "--unit", "jarva")
    assert row["person_unit"] == "sydost"
    code, out = cli(db, "move-person", "1", "--unit", "jarva")
    assert code == 0 and "now belongs to Jobbtorg Järva" in out, out
    code, out = cli(db, "move-person", "1", "--unit", "jarva")
    assert code == 2 and "already belongs" in out
    row = run_json(db, *first, "--start", "2026-12-01 13:00", "--unit", "jarva")
    assert row["person_unit"] is None


async def test_a_first_name_with_a_typo_is_found_in_the_coachs_unit_only(web):
    client, services = web
    await book_as(client, "coach", None, "070-123 45 67", "Ibrahim")
    await book_as(client, "coach", None, "070-123 45 68", "Hodan")
    await login(client, "coach")
    page = await (await client.get("/staff/contacts?q=ibrahm")).text()
    assert "Ibrahim" in page and "1 träff<" in page and "1 träffar" not in page
    assert "Hodan" not in await (await client.get("/staff/contacts?q=hoda")).text()
    await login(client, "coach2", "demo-coach-2-pw")
    assert "Ibrahim" not in await (await client.get("/staff/contacts?q=ibrahm")).text()


async def test_the_broadcast_page_says_its_audience_and_cost_in_swedish(web):
    client, services = web
    async with services.db.transaction() as session:
        draft = Broadcast(name="Vår", texts={"sv": "Hej"}, segment={}, status="draft",
                          created_at=services.clock.now(), created_by="outreach")
        session.add(draft)
    await login(client, "outreach")
    page = await (await client.get(f"/staff/outreach/broadcasts/{draft.id}")).text()
    assert "Alla som har sagt ja till utskick" in page and "everyone" not in page
    assert re.search(r"\d+,\d\d kr", page) and not re.search(r"\d+\.\d\d kr", page)
    assert _formatters("sv", services.settings.zone)["money"](62.15) == "62,15"
    assert _formatters("en", services.settings.zone)["money"](62.15) == "62.15"


async def test_the_thread_opens_with_the_request_and_the_reply_box_and_folds_older_history(web):
    client, services = web
    await login(client, "coach")
    person = SimPerson(client, "h-long", "sms")
    await person.onboard()
    await person.send("Jag letar efter jobb i lager")  # months of history, before the request
    await person.press("human")
    await person.press("yes")
    page = await (await client.get("/staff/handoffs")).text()
    handoff_id = int(re.search(r'href="/staff/handoffs/(\d+)"', page).group(1))
    async with services.db.transaction() as session:
        handoff = await session.get(HandoffRequest, handoff_id)
        session.add(InboundMessage(channel="sim-sms", provider_id="p-after",
                                   contact_id=handoff.contact_id, text="Hallå? Jag väntar",
                                   received_at=handoff.created_at + timedelta(minutes=5)))
    page = await (await client.get(f"/staff/handoffs/{handoff_id}")).text()
    since, box = page.index("Frågan och det som kom efter"), page.index('id="answer-text"')
    folded = page.index("<details class=\"older\">")
    assert since < page.index("Hallå? Jag väntar") < box < folded
    assert box < page.index("Jag letar efter jobb i lager")  # older history, folded away
    assert ", skickat" not in page and "delivery-sent" not in page
