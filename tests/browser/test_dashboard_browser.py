"""The staff dashboard in a real browser: each role's day, the guards, and accessibility."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from playwright.async_api import expect

from bot.clock import set_demo_now
from bot.root import DASHBOARD
from bot.web.dashboard.core import ALL_ROLES
from storage.bookings import Booking
from tests.browser.conftest import Live, axe_problems, log_in
from tests.sim import SimPerson
from tests.staff_web import PASSWORDS

pytestmark = pytest.mark.browser


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


async def sim_person(live: Live, user: str, look: str = "sms") -> tuple[SimPerson, Any]:
    session = aiohttp.ClientSession(base_url=live.url)
    return SimPerson(session, user, look), session  # type: ignore[arg-type]


async def ask_for_a_human(live: Live, user: str) -> None:
    person, session = await sim_person(live, user)
    try:
        await person.onboard(gender="kvinna")
        await person.press("human")
        await person.press("yes")
    finally:
        await session.close()


async def test_keyboard_alone_signs_in_and_reaches_the_skip_link(page):
    await page.goto("/staff/login")
    # The username field takes focus by itself (autofocus, applied after the page has
    # loaded: on a busy machine a moment later), as a person would see before typing.
    await expect(page.locator("#username")).to_be_focused()
    await page.keyboard.type("coach")
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORDS["coach"])
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/staff/")
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Hoppa till innehållet"


async def test_a_coach_books_on_behalf_then_marks_the_visit_attended(page, live):
    await log_in(page, "coach")
    await page.get_by_role("link", name="Besök").first.click()
    await page.get_by_role("link", name="Boka åt någon").click()
    start = await page.get_by_label("Tid").input_value()
    await page.get_by_label("Mobilnummer").fill("070-123 45 67")
    await page.get_by_label("Förnamn (valfritt)").fill("Amina")
    await page.get_by_label("Behöver hjälp att ta sig in").check()
    await page.get_by_role("button", name="Boka", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("Besöket är bokat")
    await expect(page.get_by_text(re.compile(r"Bokningskod: [A-Z0-9]{6}"))).to_be_visible()
    set_demo_now(live.services.clock, datetime.fromisoformat(start))
    await page.goto("/staff/visits?day=today")
    row = page.get_by_role("row").filter(has_text="Amina")
    await expect(row).to_contain_text("Bokad")
    await row.get_by_role("button", name="Kom Amina").click()
    await expect(page.get_by_role("status")).to_contain_text("Markerat: kom")
    await expect(page.get_by_role("row").filter(has_text="Amina")).to_contain_text("Kom")
    async with live.services.db.transaction() as session:
        from sqlalchemy import select

        booking = (await session.execute(select(Booking))).scalar_one()
    assert booking.status == "attended" and booking.marked_by == "coach"


async def test_a_coach_answers_a_hand_off_by_sms_with_a_live_segment_count(page, live):
    await ask_for_a_human(live, "+46700000001")
    await log_in(page, "coach")
    await expect(page.get_by_text("Väntar på svar: 1.")).to_be_visible()
    await page.get_by_role("link", name="Ärenden").first.click()
    await page.get_by_role("link", name=re.compile("Läs och svara")).first.click()
    await expect(page.get_by_role("heading", name="Meddelanden")).to_be_visible()
    answer = page.get_by_label(re.compile("Ditt svar"))
    counter = page.locator("#answer-counter")
    await answer.fill("Hej 🙂")
    await expect(counter).to_contain_text("finns inte i GSM-7")
    await answer.fill("x" * 161)
    await expect(counter).to_contain_text("2 SMS")
    await answer.fill("Hej! Välkommen in på måndag kl. 10, fråga efter Sara.")
    await expect(counter).to_contain_text("1 SMS")
    await page.get_by_role("button", name="Skicka svaret").click()
    await expect(page.get_by_role("status")).to_contain_text("Svaret är på väg")
    person, session = await sim_person(live, "+46700000001")
    try:
        for _ in range(150):  # 30 s: the outbox sends on its own beat
            inbox = await person.inbox()
            if any("fråga efter Sara" in m["text"] for m in inbox):
                break
            await page.wait_for_timeout(200)
        else:
            pytest.fail("the answer never reached the person's SMS inbox")
    finally:
        await session.close()


async def test_a_coach_sees_the_persons_new_message_unread_first_with_a_count(page, live):
    await ask_for_a_human(live, "+46700000002")
    await ask_for_a_human(live, "+46700000003")
    await log_in(page, "coach")
    nav = page.get_by_role("navigation", name=re.compile("."))
    await expect(nav.get_by_role("link", name=re.compile(r"Ärenden 2 olästa"))).to_be_visible()
    await page.get_by_role("link", name=re.compile("Ärenden")).first.click()
    await page.get_by_role("link", name=re.compile("Läs och svara")).first.click()
    await expect(page.get_by_role("heading", name="Meddelanden")).to_be_visible()
    await expect(nav.get_by_role("link", name=re.compile(r"Ärenden 1 olästa"))).to_be_visible()
    await page.get_by_role("link", name=re.compile("Ärenden")).first.click()
    rows = page.get_by_role("row")
    await expect(rows.nth(1)).to_contain_text("Oläst")  # the thread not yet opened
    await expect(rows.nth(2)).not_to_contain_text("Oläst")
    person, session = await sim_person(live, "+46700000002")
    try:
        await person.send("Kan ni hjälpa mig med CV:t?")
        assert "Coachen ser ditt meddelande" in person.text
    finally:
        await session.close()
    await page.reload()
    await expect(nav.get_by_role("link", name=re.compile(r"Ärenden 2 olästa"))).to_be_visible()
    await page.get_by_role("link", name=re.compile("Läs och svara")).first.click()
    await expect(page.get_by_text("Kan ni hjälpa mig med CV:t?")).to_be_visible()
    await expect(page.get_by_text("1 (Ja)").first).to_be_visible()  # what the number chose


async def test_an_outreach_worker_sends_a_broadcast_and_watches_it_finish(page, live):
    for user in ("bc-1", "bc-2"):  # Telegram: no quiet hours hold the messages back
        person, session = await sim_person(live, user, "telegram")
        await person.onboard()
        await session.close()
    await log_in(page, "outreach")
    await page.get_by_role("link", name="Utskick").first.click()
    await page.get_by_role("link", name="Nytt utskick").click()
    await page.get_by_label("Namn").fill("Jobbmässa i Kista")
    text = page.get_by_label("Text på svenska")
    await text.fill("Välkommen till jobbmässan i Kista på fredag kl. 10!")
    await expect(page.locator("output")).to_contain_text("2 personer")
    await expect(page.locator("#bc-counter-sv")).to_contain_text("1 SMS per person")
    await page.get_by_role("button", name="Förhandsgranska").click()
    await expect(page.get_by_text(re.compile(r"2 personer: 2 via Telegram\."))).to_be_visible()
    await page.get_by_role("button", name="Skicka utskicket").click()
    await expect(page.get_by_role("status")).to_contain_text("skickas nu")
    await expect(page.locator("[data-progress-text]")).to_contain_text(
        "Skickat: 2 av 2 skickade", timeout=20_000)


async def test_an_analyst_downloads_the_outcome_csv(page):
    await log_in(page, "analyst")
    await page.get_by_role("link", name="Utfall").first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("arbete eller studier")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Ladda ner CSV").click()
    download = await waiting.value
    assert download.suggested_filename.endswith(".csv")
    content = await asyncio.to_thread(read_text, await download.path())
    # The Swedish CSV the city pastes: a BOM for Excel, ';' between cells, Swedish headers.
    assert content.startswith("\ufeff")
    assert content.splitlines()[0].lstrip("\ufeff").startswith("Indelning;Grupp;Från;Till;Avslutade")


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
async def test_every_route_refuses_the_wrong_role_in_the_browser(page, role):
    await log_in(page, role)
    token = await page.locator("input[name=csrf]").first.get_attribute("value")
    for route in DASHBOARD.routes:
        if role in route.roles:
            continue
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        if route.method == "GET":
            response = await page.request.get(path, max_redirects=0)
        else:
            response = await page.request.post(path, form={"csrf": token}, max_redirects=0)
        assert response.status == 403, f"{role} {route.method} {path} -> {response.status}"
    await page.goto("/staff/admin/audit" if role != "admin" else "/staff/reports/outcomes")
    if role != "admin":
        await expect(page.get_by_role("alert")).to_contain_text("Din roll har inte tillgång")


async def test_a_form_with_a_wrong_csrf_token_is_refused(page):
    await log_in(page, "coach")
    await page.evaluate("document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'forged')")
    await page.get_by_role("button", name="Logga ut").click()
    await expect(page.get_by_role("alert")).to_contain_text("Formuläret har gått ut")
    await page.goto("/staff/")
    await expect(page.get_by_role("heading", name="Start")).to_be_visible()  # still signed in


async def test_five_wrong_passwords_lock_the_login(page):
    await page.goto("/staff/login")
    for _ in range(5):
        await page.get_by_label("Användarnamn").fill("coach")
        await page.get_by_label("Lösenord").fill("not-the-password")
        await page.get_by_role("button", name="Logga in").click()
        await expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")
    await page.get_by_label("Lösenord").fill(PASSWORDS["coach"])
    await page.get_by_role("button", name="Logga in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Vänta 15 minuter")


# Pages each role works in; every one must pass axe-core with no serious or critical issue.
TOUR = {
    "coach": [("visits", "/staff/visits?day=today"), ("book", "/staff/visits/new"),
              ("handoffs", "/staff/handoffs"), ("handoff", "handoff"), ("contact", "contact"),
              ("followup", "/staff/followup")],
    "outreach": [("sources", "/staff/outreach/sources"), ("segments", "/staff/outreach/segments"),
                 ("broadcast-new", "/staff/outreach/broadcasts/new"), ("broadcast", "broadcast"),
                 ("events", "/staff/outreach/events"), ("event", "event")],
    "analyst": [("outcomes", "/staff/reports/outcomes"), ("funnel", "/staff/reports/funnel")],
    "admin": [("staff-users", "/staff/admin/staff"), ("units", "/staff/admin/units"),
              ("hours", "/staff/admin/hours"),
              ("approvals", "/staff/admin/approvals"), ("audit", "/staff/admin/audit"),
              ("home", "/staff/")],
}


async def _tour_paths(page: Any, live: Live) -> dict[str, str]:
    """Detail pages that need data: a hand-off, a booked person, a broadcast, an event."""
    await ask_for_a_human(live, "+46700000021")
    await log_in(page, "coach")
    await page.goto("/staff/visits/new")
    await page.get_by_label("Mobilnummer").fill("070-765 43 21")
    await page.get_by_label("Förnamn (valfritt)").fill("Leyla")
    await page.get_by_label(re.compile("Tolk")).fill("arabiska")
    await page.get_by_role("button", name="Boka", exact=True).click()
    await page.goto("/staff/handoffs")
    handoff = await page.get_by_role("link", name=re.compile("Läs och svara")).first.get_attribute("href")
    async with live.services.db.transaction() as session:
        from sqlalchemy import select

        booking = (await session.execute(select(Booking))).scalars().first()
        assert booking is not None
        set_demo_now(live.services.clock, booking.start + timedelta(minutes=5))
    await log_in(page, "outreach")
    await page.goto("/staff/outreach/broadcasts/new")
    await page.get_by_label("Text på svenska").fill("Välkommen till rekryteringsträffen!")
    await page.get_by_role("button", name="Förhandsgranska").click()
    broadcast = page.url.replace(live.url, "")
    await page.goto("/staff/outreach/events")
    event = await page.locator("a[href^='/staff/outreach/events/']").first.get_attribute("href")
    return {"handoff": handoff, "contact": f"/staff/contacts/{booking.contact_id}",
            "broadcast": broadcast, "event": event}


async def test_every_page_passes_axe_with_no_serious_or_critical_violation(page, live):
    details = await _tour_paths(page, live)
    problems: list[str] = []
    for role, pages in TOUR.items():
        await log_in(page, role)
        for name, path in pages:
            await page.goto(details.get(path, path))
            await page.wait_for_load_state("networkidle")
            problems += [f"{role} {name}: {p}" for p in await axe_problems(page)]
    await page.context.clear_cookies()
    await page.goto("/staff/login")
    problems += [f"login: {p}" for p in await axe_problems(page)]
    assert not problems, "\n".join(problems)  # screenshots: test_lived_in_browser.py


SMS_SAMPLES = ["", "Hej", "a" * 160, "a" * 161, "å" * 153 * 2, "€" * 80, "[x]" * 60,
               "Välkommen 🙂", "é", "e\u0301", "🙂" * 34, "x" * 66 + "🙂"]


async def test_the_browser_sms_counter_agrees_with_the_server(page):
    from handlers.gsm7 import is_gsm7, sms_segments

    await page.goto("/staff/login")
    for text in SMS_SAMPLES:
        info = await page.evaluate("text => smsInfo(text)", text)
        assert (info["gsm7"], info["segments"]) == (is_gsm7(text), sms_segments(text)), repr(text)
