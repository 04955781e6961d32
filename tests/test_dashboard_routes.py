"""The route x role matrix: every dashboard route refuses the wrong role and a missing token."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.root import DASHBOARD
from bot.web.dashboard.core import ALL_ROLES
from tests.conftest import start_services
from tests.staff_web import login, token

ROLE_USER = {"admin": "admin", "coach": "coach", "outreach": "outreach", "analyst": "analyst"}


def concrete(path: str) -> str:
    """A route path with its parameters filled in ({id} -> 1)."""
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture(scope="module")
def matrix_cases() -> list[tuple[str, str, str, bool]]:
    return [(route.method, concrete(route.path), role, role in route.roles)
            for route in DASHBOARD.routes for role in sorted(ALL_ROLES)]


@pytest.fixture
async def clients(sqlite_url):
    """One signed-in client per role, on one demo database."""
    services = await start_services(sqlite_url)
    app = build_app(services)
    server = TestServer(app)
    await server.start_server()
    signed_in = {}
    for role, username in ROLE_USER.items():
        client = TestClient(server)
        await client.start_server()
        assert (await login(client, username)).status == 200
        signed_in[role] = client
    yield signed_in
    for client in signed_in.values():
        await client.close()
    await server.close()
    await services.close()


def test_every_route_names_its_roles():
    assert DASHBOARD.routes, "no dashboard routes registered"
    for route in DASHBOARD.routes:
        assert route.roles <= ALL_ROLES and route.roles, route.path


async def test_every_route_refuses_every_wrong_role_on_the_server(clients):
    checked = 0
    for route in DASHBOARD.routes:
        path = concrete(route.path)
        for role in sorted(ALL_ROLES - route.roles):
            client = clients[role]
            if route.method == "GET":
                response = await client.get(path, allow_redirects=False)
            else:
                response = await client.post(path, data={"csrf": await token(client)},
                                             allow_redirects=False)
            assert response.status == 403, f"{role} {route.method} {path}: {response.status}"
            checked += 1
    assert checked > 0


async def test_every_route_lets_its_own_roles_past_the_guard(clients):
    for route in DASHBOARD.routes:
        if route.method != "GET":
            continue
        path = concrete(route.path)
        for role in sorted(route.roles):
            response = await clients[role].get(path, allow_redirects=False)
            # 404 for a record that does not exist is fine; refusal is not.
            assert response.status in (200, 303, 404), f"{role} GET {path}: {response.status}"


async def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(clients):
    for route in DASHBOARD.routes:
        if route.method != "POST":
            continue
        role = sorted(route.roles)[0]
        client = clients[role]
        path = concrete(route.path)
        missing = await client.post(path, data={}, allow_redirects=False)
        wrong = await client.post(path, data={"csrf": "not-the-token"}, allow_redirects=False)
        assert (missing.status, wrong.status) == (403, 403), f"{role} POST {path}"


async def test_a_signed_out_caller_reaches_no_route(sqlite_url):
    services = await start_services(sqlite_url)
    async with TestClient(TestServer(build_app(services))) as client:
        for route in DASHBOARD.routes:
            path = concrete(route.path)
            if route.method == "GET":
                response = await client.get(path, allow_redirects=False)
                assert response.status in (303, 401), path
            else:
                response = await client.post(path, data={}, allow_redirects=False)
                assert response.status == 401, path
    await services.close()
