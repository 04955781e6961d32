"""The lived-in demo in a real browser: every role's pages show a service in use.

With JOBBTORG_SCREENSHOTS=1 this test takes every screenshot in docs/screenshots (and only
it does, so the order the browser tests run in does not matter): each role's pages, then
the pages a day leads to (a hand-off thread, a person, a broadcast being composed,
previewed and waiting for approval, an event with its waiting list)."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect
from sqlmodel import col, select

from bot.demo_history import QUESTIONS, coach_day
from storage.followup import SurveyRun
from storage.models import Contact
from storage.places import unit_by_slug
from tests.browser.conftest import Live, axe_problems, log_in, screenshot, serve_live
from tests.conftest import LivedIn

# (role, screenshot name, path, a text the page shows only when it has data)
PAGES = [
    ("coach", "home", "/staff/", None),
    ("coach", "visits", "/staff/visits", None),
    ("coach", "handoffs", "/staff/handoffs", None),
    ("coach", "followup", "/staff/followup", "Avslutsorsak"),
    ("outreach", "home", "/staff/", "1\nutskick väntar på godkännande"),
    ("outreach", "broadcasts", "/staff/outreach/broadcasts", "Sommarjobb 2026"),
    ("outreach", "events", "/staff/outreach/events", "Rekryteringsträff"),
    ("outreach", "sources", "/staff/outreach/sources", "Husby bibliotek"),
    ("analyst", "home", "/staff/", None),
    ("analyst", "outcomes", "/staff/reports/outcomes", None),
    ("analyst", "funnel", "/staff/reports/funnel", None),
    ("admin", "home", "/staff/", None),
    ("admin", "audit", "/staff/admin/audit", "visit.attended"),
    ("admin", "staff-users", "/staff/admin/staff", "coach"),
    ("admin", "units", "/staff/admin/units", "Jobbtorg Järva"),
    ("admin", "hours", "/staff/admin/hours", "Jobbtorg Järva"),
    ("coach", "book", "/staff/visits/new", None),
]


@pytest.fixture
async def lived(lived_in_db: LivedIn, tmp_path: Path) -> AsyncIterator[Live]:
    path = tmp_path / "lived.db"
    shutil.copy(lived_in_db.path, path)
    # An approval limit the lived-in demo's SMS broadcasts can reach (the default, 500 kr,
    # takes more SMS people than it has), so the admin has one to approve.
    async with serve_live(f"sqlite+aiosqlite:///{path}", sms_approval_sek=100) as running:
        yield running


async def _texts(page: Any) -> str:
    return str(await page.locator("main").inner_text())


async def test_every_role_sees_a_service_in_use(browser: Any, lived: Live,
                                                lived_in_db: LivedIn) -> None:
    context = await browser.new_context(base_url=lived.url, viewport={"width": 1280, "height": 900},
                                        locale="sv-SE")
    page = await context.new_page()
    page.set_default_timeout(15_000)
    # The report pages count a year of history: on two cores shared with the rest of the
    # suite (load 8-14) /staff/reports/outcomes once took over 15 s to load; alone, the
    # whole walk through every role's pages takes about 40 s.
    page.set_default_navigation_timeout(60_000)
    # Outreach is inviting to the rekryteringsträff today: the broadcast waits for an admin.
    problems = await _a_broadcast_is_composed(page)
    for role, name, path, wanted in PAGES:
        await log_in(page, role)
        response = await page.goto(path)
        assert response is not None and response.status == 200, (role, path)
        text = await _texts(page)
        if wanted is not None:
            assert wanted in text, (role, path, text[:400])
        problems += [f"{role} {name}: {p}" for p in await axe_problems(page)]
        await screenshot(page, f"{role}-{name}")
    # The coach's day: its visits are there (on the day the history was made for, should
    # the run have passed midnight since, or after a week-end the next working day), and
    # the report has figures, not dashes.
    await log_in(page, "coach")
    await page.goto(f"/staff/visits?date={coach_day(lived_in_db.day).isoformat()}")
    assert await page.locator("table tbody tr").count() >= 1
    await log_in(page, "analyst")
    await page.goto("/staff/reports/outcomes")
    assert await page.locator("table tbody tr").count() >= 2
    problems += await _pages_a_day_leads_to(page, lived)
    await context.close()
    assert not problems, "\n".join(problems)


async def _shown(page: Any, name: str) -> list[str]:
    """Check the page with axe and take its screenshot; the problems found."""
    await page.wait_for_load_state("networkidle")
    found = [f"{name}: {p}" for p in await axe_problems(page)]
    await screenshot(page, name)
    return found


async def _a_broadcast_is_composed(page: Any) -> list[str]:
    """Outreach narrows a segment, composes an invitation, previews it and sends it; it
    costs more than the approval limit, so it waits for an admin."""
    problems: list[str] = []
    await log_in(page, "outreach")
    await page.goto("/staff/outreach/segments")
    count = page.locator("output")
    await expect(count).to_contain_text("personer")
    everyone = await count.inner_text()
    await page.get_by_label("Kvinnor").check()
    await page.get_by_label("Jobbtorg Järva").check()
    await expect(count).not_to_have_text(everyone)
    problems += await _shown(page, "outreach-segments")
    await page.goto("/staff/outreach/broadcasts/new")
    await page.get_by_label("Namn").fill("Rekryteringsträff i Kista")
    await page.get_by_label("Text på svenska").fill(
        "Vi söker folk till lager och logistik i Kista. Kom och träffa arbetsgivarna!")
    await page.get_by_label("Text på engelska").fill(
        "We are looking for people for warehouse jobs in Kista. Come and meet the employers!")
    events = page.get_by_label("Inbjudan till")
    await events.select_option(await events.locator("option", has_text="Rekryteringsträff")
                               .get_attribute("value"))
    await expect(page.locator("output")).to_contain_text("personer")
    problems += await _shown(page, "outreach-broadcast-new")
    await page.get_by_role("button", name="Förhandsgranska").click()
    await expect(page.get_by_role("heading", name="Förhandsgranska")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("administratör måste godkänna")
    problems += await _shown(page, "outreach-broadcast")
    await page.get_by_role("button", name="Skicka utskicket").click()
    await expect(page.locator("main")).to_contain_text("godkänn")
    return problems


async def _pages_a_day_leads_to(page: Any, lived: Live) -> list[str]:
    """A hand-off thread, a person who came, left and answered the survey, the event with
    its waiting list, the broadcast waiting for approval, the login."""
    problems: list[str] = []
    await log_in(page, "coach")
    await page.goto("/staff/handoffs")
    await page.get_by_role("link", name=re.compile("Läs och svara")).first.click()
    thread = await _texts(page)
    assert any(question in thread for question in QUESTIONS), thread[:400]
    problems += await _shown(page, "coach-handoff")
    async with lived.services.db.transaction() as session:
        unit = await unit_by_slug(session, "jarva")
        answered = (await session.execute(select(SurveyRun.contact_id).join(
            Contact, col(Contact.id) == col(SurveyRun.contact_id)).where(
            col(SurveyRun.status) == "answered", col(Contact.unit_id) == unit.id)  # type: ignore[union-attr]
            .order_by(col(SurveyRun.id)))).scalars().first()
    assert answered is not None
    await page.goto(f"/staff/contacts/{answered}")
    problems += await _shown(page, "coach-contact")
    await log_in(page, "outreach")
    await page.goto("/staff/outreach/events")
    await page.locator("a[href^='/staff/outreach/events/']").first.click()
    await expect(page.locator("main")).to_contain_text("Väntelista")
    problems += await _shown(page, "outreach-event")
    await log_in(page, "admin")
    await page.goto("/staff/admin/approvals")
    await expect(page.locator("main")).to_contain_text("Rekryteringsträff i Kista")
    problems += await _shown(page, "admin-approvals")
    await page.context.clear_cookies()
    await page.goto("/staff/login")
    problems += await _shown(page, "login")
    return problems
