"""The coach's day in the browser: visits, marking, enrolment, avslut, booking on behalf."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import build_app
from bot.clock import set_demo_now
from bot.passwords import hash_password
from storage.bookings import Booking
from storage.followup import Avslut, StaffOutcome
from storage.models import AuditLog, Contact, Outbox, StaffUser
from storage.places import unit_by_slug
from tests.conftest import start_services
from tests.staff_web import login, post

SLOT = re.compile(r'<option value="(\d{4}-\d\d-\d\dT[^"]+)"')
KIND = re.compile(r'<input type="hidden" name="kind" value="(\d+)">')


@pytest.fixture
async def web(database_url):
    services = await start_services(database_url)
    async with services.db.transaction() as session:
        other = await unit_by_slug(session, "sydost")
        assert other is not None
        session.add(StaffUser(username="coach2", password_hash=hash_password("demo-coach-2-pw"),
                              role="coach", unit_id=other.id, created_at=services.clock.now()))
    async with TestClient(TestServer(build_app(services))) as client:
        yield client, services
    await services.close()


async def book_on_behalf(client, phone="070-123 45 67", name="Amina") -> Booking:
    page = await client.get("/staff/visits/new")
    html = await page.text()
    start, kind = SLOT.search(html).group(1), KIND.search(html).group(1)
    response = await post(client, "/staff/visits/new", {
        "kind": kind, "start": start, "phone": phone, "first_name": name,
        "interpreter": "Somaliska", "accessibility": "on"})
    assert response.status == 303, await response.text()
    assert "done=staff.web.done.booked" in response.headers["Location"]
    return start


async def only_booking(services) -> Booking:
    async with services.db.transaction() as session:
        return (await session.execute(select(Booking))).scalar_one()


async def coach_booked_a_caller(client, services) -> tuple[Booking, str]:
    """A coach logged in who booked a caller: the booking, and the caller's page."""
    await login(client, "coach")
    await book_on_behalf(client)
    booking = await only_booking(services)
    return booking, f"/staff/contacts/{booking.contact_id}"


async def test_a_coach_books_for_a_caller_who_gets_an_sms_confirmation(web):
    client, services = web
    booking, _ = await coach_booked_a_caller(client, services)
    assert (booking.first_name, booking.interpreter_language, booking.accessibility) == (
        "Amina", "somaliska", True)
    assert booking.booked_by == "coach"
    async with services.db.transaction() as session:
        queued = list((await session.execute(select(Outbox))).scalars())
        actions = list((await session.execute(select(AuditLog.action))).scalars())
    assert any(row.to_address == "+46701234567" and booking.code in row.text for row in queued)
    assert "booking.added" in actions


@pytest.mark.parametrize("phone", ["12", "not a number", ""])
async def test_booking_on_behalf_refuses_a_bad_number(web, phone):
    client, services = web
    await login(client, "coach")
    page = await (await client.get("/staff/visits/new")).text()
    response = await post(client, "/staff/visits/new", {
        "kind": KIND.search(page).group(1), "start": SLOT.search(page).group(1), "phone": phone})
    assert "error=staff.web.book.error_phone" in response.headers["Location"]
    async with services.db.transaction() as session:
        assert (await session.execute(select(Booking))).first() is None


async def test_the_day_list_shows_the_visit_and_the_coach_marks_it_attended(web):
    client, services = web
    await login(client, "coach")
    start = await book_on_behalf(client)
    set_demo_now(services.clock, datetime.fromisoformat(start))
    page = await (await client.get("/staff/visits?day=today")).text()
    assert "Amina" in page and "somaliska" in page.lower()
    booking = await only_booking(services)
    response = await post(client, f"/staff/visits/{booking.id}/mark", {"outcome": "attended"})
    assert "done=staff.web.done.attended" in response.headers["Location"]
    assert (await only_booking(services)).status == "attended"


async def test_a_visit_cannot_be_marked_before_it_starts(web):
    client, services = web
    booking, _ = await coach_booked_a_caller(client, services)
    response = await post(client, f"/staff/visits/{booking.id}/mark", {"outcome": "no-show"})
    assert "error=staff.web.visits.error_not_started" in response.headers["Location"]
    assert (await only_booking(services)).status == "booked"


async def test_a_coach_of_another_unit_cannot_see_or_mark_the_visit(web):
    client, services = web
    await login(client, "coach")
    start = await book_on_behalf(client)
    set_demo_now(services.clock, datetime.fromisoformat(start))
    booking = await only_booking(services)
    await login(client, "coach2", "demo-coach-2-pw")
    page = await (await client.get("/staff/visits?day=today")).text()
    assert "Amina" not in page
    response = await post(client, f"/staff/visits/{booking.id}/mark", {"outcome": "attended"})
    assert response.status == 404
    assert (await client.get(f"/staff/contacts/{booking.contact_id}")).status == 404


async def test_enrol_and_avslut_with_a_required_reason(web):
    client, services = web
    booking, contact = await coach_booked_a_caller(client, services)
    assert "done=staff.web.done.enrolled" in (await post(client, f"{contact}/enrol")).headers["Location"]
    missing = await post(client, f"{contact}/avslut", {"reason": ""})
    assert "error=staff.web.visits.error_reason" in missing.headers["Location"]
    done = await post(client, f"{contact}/avslut", {"reason": "arbete"})
    assert "done=staff.web.done.avslut" in done.headers["Location"]
    async with services.db.transaction() as session:
        person = await session.get(Contact, booking.contact_id)
        endings = list((await session.execute(select(Avslut))).scalars())
    assert person is not None and person.enrolled_at is not None
    assert [a.reason for a in endings] == ["arbete"]


async def test_a_coach_records_an_outcome_for_someone_who_did_not_answer(web):
    client, services = web
    booking, contact = await coach_booked_a_caller(client, services)
    refused = await post(client, f"{contact}/outcome", {"category": "studier"})
    assert "error=staff.web.contact.error_no_avslut" in refused.headers["Location"]
    await post(client, f"{contact}/avslut", {"reason": "studier"})
    wrong = await post(client, f"{contact}/outcome", {"category": "studier", "extent": "heltid"})
    assert "error=staff.web.contact.error_outcome" in wrong.headers["Location"]
    saved = await post(client, f"{contact}/outcome", {"category": "studier", "school": "komvux"})
    assert "done=staff.web.done.outcome" in saved.headers["Location"]
    async with services.db.transaction() as session:
        row = (await session.execute(select(StaffOutcome))).scalar_one()
    assert (row.category, row.school, row.recorded_by) == ("studier", "komvux", "coach")


async def test_opening_a_person_writes_the_audit_log(web):
    client, services = web
    booking, _ = await coach_booked_a_caller(client, services)
    page = await client.get(f"/staff/contacts/{booking.contact_id}")
    assert page.status == 200 and "Amina" in await page.text()
    assert "+46701234567" not in await page.text()  # the number is masked
    async with services.db.transaction() as session:
        rows = list((await session.execute(select(AuditLog).where(
            AuditLog.action == "view.contact"))).scalars())
    assert [(r.actor, r.contact_id) for r in rows] == [("coach", booking.contact_id)]


async def test_an_unanswered_survey_appears_on_the_follow_up_list_until_an_outcome_is_recorded(web):
    from storage.followup import EXPIRED, SurveyRun

    client, services = web
    booking, contact = await coach_booked_a_caller(client, services)
    await post(client, f"{contact}/avslut", {"reason": "avbrutit"})
    async with services.db.transaction() as session:
        run = (await session.execute(select(SurveyRun))).scalar_one()
        run.status = EXPIRED  # as the survey.expire job leaves it after two weeks
    listed = await (await client.get("/staff/followup")).text()
    assert "Amina" in listed and f'href="{contact}#outcome-h"' in listed
    await post(client, f"{contact}/outcome", {"category": "arbete", "extent": "deltid"})
    assert "Amina" not in await (await client.get("/staff/followup")).text()


@pytest.mark.parametrize(("days_back", "done", "shown"), [
    (30, "staff.web.done.avslut", "Planerad, skickas"),
    (120, "staff.web.done.avslut_late", "skickas sent"),
    (181, "staff.web.done.avslut_too_old", "mer än 180 dagar sedan"),
])
async def test_an_avslut_dated_in_the_past_says_when_its_survey_goes_or_why_not(
        web, days_back, done, shown):
    client, services = web
    _booking, contact = await coach_booked_a_caller(client, services)
    today = services.clock.now().astimezone(services.settings.zone).date()
    ended = (today - timedelta(days=days_back)).isoformat()
    response = await post(client, f"{contact}/avslut", {"reason": "arbete", "ended_on": ended})
    assert f"done={done}" in response.headers["Location"]
    page = await (await client.get(response.headers["Location"])).text()
    assert shown in page


async def test_the_visits_page_shows_any_day_and_a_week_with_the_days_around(web):
    client, services = web
    await login(client, "coach")
    start = datetime.fromisoformat(await book_on_behalf(client))
    day = start.astimezone(services.settings.zone).date()
    page = await (await client.get(f"/staff/visits?date={day.isoformat()}")).text()
    assert "Amina" in page
    assert f'date={(day - timedelta(days=1)).isoformat()}' in page
    assert f'date={(day + timedelta(days=1)).isoformat()}' in page
    other = await (await client.get(f"/staff/visits?date={(day + timedelta(days=1))}")).text()
    assert "Amina" not in other
    week = await (await client.get(f"/staff/visits?date={day + timedelta(days=1)}&view=week")).text()
    assert "Amina" in week or day.weekday() == 6
    assert (await client.get("/staff/visits?date=2026-13-45")).status == 200  # today instead
    # Found by an attacker's check: the far ends of the calendar gave a 500.
    for far in ("9999-12-31", "0001-01-01", "9999-12-25&view=week", "9999-12-31&view=week"):
        assert (await client.get(f"/staff/visits?date={far}")).status == 200, far


async def test_a_coach_of_another_unit_can_neither_cancel_nor_move_the_visit(web):
    client, services = web
    booking, _contact = await coach_booked_a_caller(client, services)
    await login(client, "coach2", "demo-coach-2-pw")
    assert (await post(client, f"/staff/visits/{booking.id}/cancel", {"reason": "x"})).status == 404
    assert (await client.get(f"/staff/visits/{booking.id}/move")).status == 404
    moved = await post(client, f"/staff/visits/{booking.id}/move",
                       {"start": (booking.start + timedelta(days=1)).isoformat()})
    assert moved.status == 404
    assert (await only_booking(services)).status == "booked"
    await login(client, "coach")
    refused = await post(client, f"/staff/visits/{booking.id}/move", {"start": "not a time"})
    assert "error=staff.web.visits.error_time" in refused.headers["Location"]
    done = await post(client, f"/staff/visits/{booking.id}/cancel", {"reason": "Sjuk"})
    assert "done=staff.web.done.visit_cancelled" in done.headers["Location"]
    again = await post(client, f"/staff/visits/{booking.id}/cancel", {})
    assert "error=staff.web.visits.error_not_booked" in again.headers["Location"]
