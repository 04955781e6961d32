"""A coach sees only their own unit's people, whatever they book on someone's behalf."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import build_app
from storage.followup import TargetGroupMembership
from storage.models import Contact
from storage.people import address_for
from storage.places import unit_by_slug
from tests.conftest import start_services
from tests.staff_web import login, post
from tests.test_dashboard_visits import book_on_behalf

pytestmark = pytest.mark.storage  # on SQLite and PostgreSQL alike

NUMBER = "+46701234567"


@pytest.fixture
async def web(database_url):
    services = await start_services(database_url)
    async with TestClient(TestServer(build_app(services))) as client:
        yield client, services
    await services.close()


async def test_booking_on_behalf_of_another_units_person_does_not_open_their_page(web):
    client, services = web
    async with services.db.transaction() as session:
        other = await unit_by_slug(session, "sydost")
        address, _ = await address_for(session, "sim-sms", NUMBER, services.clock.now())
        person = await session.get(Contact, address.contact_id)
        person.unit_id, person.first_name = other.id, "Hemlig"
        contact_id = person.id
    await login(client, "coach")  # a Järva coach
    await book_on_behalf(client, phone=NUMBER, name="Amina")
    page = await client.get(f"/staff/contacts/{contact_id}")
    assert page.status == 404 and "Hemlig" not in await page.text()
    response = await post(client, f"/staff/contacts/{contact_id}/groups", {"group-kaa": "on"})
    assert response.status == 404
    async with services.db.transaction() as session:
        assert (await session.execute(select(TargetGroupMembership))).first() is None
        assert (await session.get(Contact, contact_id)).first_name == "Hemlig"
