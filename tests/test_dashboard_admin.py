"""Admin pages: staff users, units, opening hours, closures, visit kinds and the audit log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import build_app
from bot.web.dashboard.units import parse_windows
from storage.bookings import Closure, VisitKind, kinds_of, opening_hours
from storage.models import StaffUser
from storage.places import unit_by_slug
from storage.staff import staff_by_username
from tests.conftest import start_services
from tests.staff_web import login, post


@pytest.fixture
async def web(sqlite_url):
    services = await start_services(sqlite_url)
    async with TestClient(TestServer(build_app(services))) as client:
        yield client, services
    await services.close()


async def jarva_id(services) -> int:
    async with services.db.transaction() as session:
        unit = await unit_by_slug(session, "jarva")
        assert unit is not None and unit.id is not None
        return unit.id


async def test_an_admin_adds_a_coach_who_can_then_sign_in(web):
    client, services = web
    await login(client, "admin")
    unit_id = await jarva_id(services)
    response = await post(client, "/staff/admin/staff", {
        "username": "sara.k", "role": "coach", "unit": str(unit_id),
        "password": "a-long-password-1"})
    assert "done=staff.web.done.saved" in response.headers["Location"]
    assert (await login(client, "sara.k", "a-long-password-1", follow=False)).status == 303


@pytest.mark.parametrize(("fields", "error"), [
    ({"username": "X!", "role": "coach", "password": "a-long-password-1"}, "error_username"),
    ({"username": "newbie", "role": "boss", "password": "a-long-password-1"}, "error_role"),
    ({"username": "newbie", "role": "coach", "password": "a-long-password-1"}, "error_unit"),
    ({"username": "newbie", "role": "analyst", "password": "short"}, "error_password"),
    ({"username": "coach", "role": "analyst", "password": "a-long-password-1"}, "error_taken"),
])
async def test_bad_staff_users_are_refused_with_the_reason(web, fields, error):
    client, _ = web
    await login(client, "admin")
    response = await post(client, "/staff/admin/staff", fields)
    assert f"error=staff.web.admin.{error}" in response.headers["Location"]


async def test_deactivating_a_user_signs_them_out_everywhere(web):
    client, services = web
    coach_client = TestClient(client.server)
    await coach_client.start_server()
    await login(coach_client, "coach")
    await login(client, "admin")
    async with services.db.transaction() as session:
        coach = await staff_by_username(session, "coach")
        assert coach is not None
    await post(client, f"/staff/admin/staff/{coach.id}", {
        "role": "coach", "unit": str(coach.unit_id)})  # "active" unchecked
    assert (await coach_client.get("/staff/", allow_redirects=False)).status == 303
    await coach_client.close()


async def test_an_admin_cannot_demote_themselves(web):
    client, services = web
    await login(client, "admin")
    async with services.db.transaction() as session:
        admin = await staff_by_username(session, "admin")
    response = await post(client, f"/staff/admin/staff/{admin.id}", {"role": "analyst", "active": "on"})
    assert "error=staff.web.admin.error_self" in response.headers["Location"]
    async with services.db.transaction() as session:
        assert (await session.get(StaffUser, admin.id)).role == "admin"


async def test_opening_hours_are_saved_and_bad_hours_refused(web):
    client, services = web
    await login(client, "admin")
    unit_id = await jarva_id(services)
    fields = {f"day-{d}": "09:00-12:00, 13:00-16:00" for d in range(5)}
    fields.update({"day-5": "", "day-6": ""})
    saved = await post(client, f"/staff/admin/hours/{unit_id}", fields)
    assert "done=staff.web.done.saved" in saved.headers["Location"]
    async with services.db.transaction() as session:
        hours = await opening_hours(session, unit_id)
    assert len(hours[0]) == 2 and 5 not in hours
    bad = await post(client, f"/staff/admin/hours/{unit_id}", {**fields, "day-0": "16:00-09:00"})
    assert "error=staff.web.hours.error_hours" in bad.headers["Location"]


@pytest.mark.parametrize(("text", "windows"), [
    ("", []), ("9:00-16:00", [(9, 16)]), ("13:00-16:00, 09:00-12:00", [(9, 12), (13, 16)]),
    ("16:00-09:00", None), ("nine to five", None), ("25:00-26:00", None),
])
def test_opening_hours_are_read_from_plain_text(text, windows):
    parsed = parse_windows(text)
    assert (None if parsed is None else [(a.hour, b.hour) for a, b in parsed]) == windows


async def test_closing_and_reopening_days(web):
    client, services = web
    await login(client, "admin")
    unit_id = await jarva_id(services)
    first = date.today() + timedelta(days=30)
    await post(client, f"/staff/admin/hours/{unit_id}/closures", {
        "first": first.isoformat(), "last": (first + timedelta(days=2)).isoformat(),
        "reason": "personaldag"})
    async with services.db.transaction() as session:
        days = list((await session.execute(select(Closure.day))).scalars())
    assert len(days) == 3
    await post(client, f"/staff/admin/hours/{unit_id}/reopen", {"day": first.isoformat()})
    async with services.db.transaction() as session:
        assert len(list((await session.execute(select(Closure))).scalars())) == 2


async def test_a_visit_kind_is_changed_and_a_new_one_added(web):
    client, services = web
    await login(client, "admin")
    unit_id = await jarva_id(services)
    async with services.db.transaction() as session:
        kind = (await kinds_of(session, unit_id))[0]
    rules = {"name": "Första besök", "duration_minutes": "30", "step_minutes": "30", "seats": "2",
             "min_notice_minutes": "60", "horizon_days": "14", "active": "on"}
    await post(client, f"/staff/admin/hours/{unit_id}/kinds", {"kind": str(kind.id), **rules})
    await post(client, f"/staff/admin/hours/{unit_id}/kinds", {"slug": "cv-verkstad", **rules,
                                                              "name": "CV-verkstad"})
    async with services.db.transaction() as session:
        changed = await session.get(VisitKind, kind.id)
        added = (await session.execute(select(VisitKind).where(
            VisitKind.slug == "cv-verkstad"))).scalar_one()
    assert (changed.duration_minutes, changed.seats) == (30, 2)
    assert added.unit_id == unit_id and added.active


async def test_the_audit_log_lists_who_did_what(web):
    client, _ = web
    await login(client, "coach")
    await client.get("/staff/contacts?q=1")
    await login(client, "admin")
    page = await (await client.get("/staff/admin/audit", params={"actor": "coach"})).text()
    assert "staff.login" in page
