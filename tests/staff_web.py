"""Helpers for dashboard tests: sign a demo staff member in and post forms with the token."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from bot.demo import DEMO_STAFF

PASSWORDS = {username: password for username, _, _, password in DEMO_STAFF}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_in(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def login(client: TestClient[Any, Any], username: str, password: str | None = None,
                follow: bool = True) -> Any:
    """Post the login form as a browser would (fetching the page and its token first).
    Any earlier sign-in of this client is forgotten first."""
    client.session.cookie_jar.clear()
    page = await client.get("/staff/login")
    token = csrf_in(await page.text())
    return await client.post("/staff/login", allow_redirects=follow, data={
        "csrf": token, "username": username,
        "password": PASSWORDS.get(username, "") if password is None else password})


async def token(client: TestClient[Any, Any], path: str = "/staff/") -> str:
    """The signed-in session's CSRF token, read from a page."""
    response = await client.get(path)
    assert response.status == 200, await response.text()
    return csrf_in(await response.text())


async def post(client: TestClient[Any, Any], path: str, data: dict[str, str] | None = None,
               csrf: str | None = None) -> Any:
    """Post a form with the session's CSRF token; do not follow the redirect."""
    fields = dict(data or {})
    fields["csrf"] = csrf if csrf is not None else await token(client)
    return await client.post(path, data=fields, allow_redirects=False)
