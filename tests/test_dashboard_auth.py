"""Dashboard sign-in: cookies, the login lock, logout, CSRF on the login form, redirects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import build_app
from bot.clock import FixedClock
from storage.models import AuditLog
from tests.conftest import start_services
from tests.staff_web import PASSWORDS, csrf_in, login, post


@pytest.fixture
async def web(sqlite_url):
    services = await start_services(sqlite_url)
    # Sign-in runs on real time; the test moves this stand-in instead.
    services.extras["security_clock"] = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    async with TestClient(TestServer(build_app(services))) as client:
        yield client, services
    await services.close()


def session_cookie(response: Any) -> Any:
    return response.cookies.get("jt_staff")


async def test_a_signed_out_visitor_is_sent_to_the_login_page(web):
    client, _ = web
    response = await client.get("/staff/handoffs", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/staff/login?next=%2Fstaff%2Fhandoffs"


async def test_the_right_password_signs_in_with_an_http_only_same_site_cookie(web):
    client, _ = web
    response = await login(client, "coach", follow=False)
    assert response.status == 303 and response.headers["Location"] == "/staff/"
    cookie = session_cookie(response)
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/staff"
    assert not cookie["secure"]  # the demo over plain http
    home = await client.get("/staff/")
    assert home.status == 200 and "coach" in await home.text()


async def test_the_cookie_is_secure_when_the_public_url_is_https(sqlite_url):
    services = await start_services(sqlite_url, public_url="https://bot.example.se")
    async with TestClient(TestServer(build_app(services))) as client:
        page = await client.get("/staff/login")
        assert page.cookies["jt_login"]["secure"]
        response = await client.post("/staff/login", allow_redirects=False, data={
            "csrf": csrf_in(await page.text()), "username": "coach",
            "password": PASSWORDS["coach"]}, cookies={"jt_login": page.cookies["jt_login"].value})
        assert response.status == 303 and session_cookie(response)["secure"]
    await services.close()


async def test_a_wrong_password_is_refused_and_audited(web):
    client, services = web
    response = await login(client, "coach", "not-the-password")
    assert response.status == 401
    assert "Fel användarnamn eller lösenord" in await response.text()
    async with services.db.transaction() as session:
        actions = list((await session.execute(select(AuditLog.action))).scalars())
    assert "staff.login_failed" in actions


async def test_five_failures_lock_that_user_from_that_address_for_fifteen_minutes(web):
    client, services = web
    for _ in range(5):
        assert (await login(client, "coach", "wrong-password")).status == 401
    locked = await login(client, "coach")  # even the right password
    assert locked.status == 429 and "15 minuter" in await locked.text()
    assert (await login(client, "analyst")).status == 200  # another user is not locked
    services.extras["security_clock"].advance(14 * 60)
    assert (await login(client, "coach", follow=False)).status == 429
    services.extras["security_clock"].advance(2 * 60)
    assert (await login(client, "coach", follow=False)).status == 303


async def test_failures_spread_over_fifteen_minutes_still_lock(web):
    client, services = web
    for _ in range(5):
        await login(client, "coach", "wrong-password")
        services.extras["security_clock"].advance(3 * 60 - 1)
    assert (await login(client, "coach", follow=False)).status == 429


async def test_a_success_clears_earlier_failures(web):
    client, _ = web
    for _ in range(4):
        await login(client, "coach", "wrong-password")
    assert (await login(client, "coach", follow=False)).status == 303
    for _ in range(4):
        await login(client, "coach", "wrong-password")
    assert (await login(client, "coach", follow=False)).status == 303


async def test_the_login_form_refuses_a_post_without_its_token(web):
    client, _ = web
    response = await client.post("/staff/login", data={
        "username": "coach", "password": PASSWORDS["coach"]}, allow_redirects=False)
    assert response.status == 403


async def test_logout_ends_the_session_on_the_server(web):
    client, _ = web
    await login(client, "coach")
    stolen = client.session.cookie_jar.filter_cookies(client.make_url("/staff/"))["jt_staff"].value
    assert (await post(client, "/staff/logout")).status == 303
    again = await client.get("/staff/", allow_redirects=False, cookies={"jt_staff": stolen})
    assert again.status == 303 and again.headers["Location"].startswith("/staff/login")


async def test_a_tampered_cookie_is_not_accepted(web):
    client, _ = web
    await login(client, "admin")
    value = client.session.cookie_jar.filter_cookies(client.make_url("/staff/"))["jt_staff"].value
    token, signature = value.rsplit(".", 1)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B") + "." + signature
    client.session.cookie_jar.clear()
    response = await client.get("/staff/", allow_redirects=False, cookies={"jt_staff": forged})
    assert response.status == 303


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/elsewhere"])
async def test_login_never_redirects_outside_the_dashboard(web, target):
    client, _ = web
    page = await client.get("/staff/login", params={"next": target})
    response = await client.post("/staff/login", allow_redirects=False, data={
        "csrf": csrf_in(await page.text()), "username": "coach", "password": PASSWORDS["coach"],
        "next": target})
    assert response.headers["Location"] == "/staff/"


async def test_the_language_switch_shows_the_pages_in_english(web):
    client, _ = web
    await login(client, "coach")
    response = await post(client, "/staff/lang", {"lang": "en", "next": "/staff/handoffs"})
    assert response.headers["Location"] == "/staff/handoffs"
    page = await client.get("/staff/handoffs")
    text = await page.text()
    assert 'lang="en"' in text and "Asked to talk to a person" in text


async def test_the_login_page_can_be_shown_in_english(web):
    client, _ = web
    page = await client.get("/staff/login", params={"lang": "en"})
    assert "Username" in await page.text()


async def test_staff_pages_forbid_framing_and_inline_script(web):
    client, _ = web
    response = await client.get("/staff/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_deactivated_user_is_signed_out_at_once(web):
    client, services = web
    await login(client, "coach")
    async with services.db.transaction() as session:
        from storage.staff import staff_by_username

        user = await staff_by_username(session, "coach")
        assert user is not None
        user.active = False
    response = await client.get("/staff/", allow_redirects=False)
    assert response.status == 303


async def test_moving_the_demo_clock_a_week_ahead_keeps_staff_signed_in(sqlite_url):
    services = await start_services(sqlite_url)
    async with TestClient(TestServer(build_app(services))) as client:
        await login(client, "coach")
        services.clock.advance(7 * 86400)
        assert (await client.get("/staff/", allow_redirects=False)).status == 200
    await services.close()
