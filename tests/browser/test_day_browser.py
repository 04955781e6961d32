"""A coach's and an admin's real day in the browser: any day and week of visits, moving and
cancelling a visit, marking yesterday's, finding a person, the labels, the start page."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta

import pytest
from playwright.async_api import expect
from sqlalchemy import select

from bot.clock import set_demo_now
from bot.passwords import hash_password
from storage.bookings import Booking
from storage.models import StaffUser
from storage.places import unit_by_slug
from tests.browser.conftest import Live, log_in
from tests.browser.test_dashboard_browser import sim_person

pytestmark = pytest.mark.browser


async def book_walk_in(page, phone: str, name: str, option: int = 0) -> str:
    """Book on behalf through the form; returns the booking code the page shows."""
    await page.goto("/staff/visits/new")
    start = page.get_by_label("Tid")
    await start.select_option(index=option)
    await page.get_by_label("Mobilnummer").fill(phone)
    await page.get_by_label("Förnamn (valfritt)").fill(name)
    await page.get_by_role("button", name="Boka", exact=True).click()
    shown = await page.get_by_text(re.compile(r"Bokningskod: [A-Z0-9]{6}")).text_content()
    return re.search(r"[A-Z0-9]{6}", shown or "").group(0)  # type: ignore[union-attr]


PASSWORD = "a long enough password"


async def add_coach(live: Live, username: str, unit: str) -> None:
    async with live.services.db.transaction() as session:
        found = await unit_by_slug(session, unit)
        session.add(StaffUser(username=username, role="coach", unit_id=found.id,
                              password_hash=hash_password(PASSWORD),
                              created_at=live.services.clock.now()))


async def booking_of(live: Live, code: str) -> Booking:
    async with live.services.db.transaction() as session:
        return (await session.execute(select(Booking).where(Booking.code == code))).scalar_one()


async def test_the_walk_in_time_list_covers_the_whole_booking_horizon(page, live):
    await log_in(page, "coach")
    await page.goto("/staff/visits/new")
    options = await page.get_by_label("Tid").locator("option").count()
    assert options > 40  # four weeks of första besök, not the first 40 only
    groups = await page.get_by_label("Tid").locator("optgroup").count()
    assert groups >= 15  # by day


async def test_a_coach_walks_days_and_the_week_then_moves_and_cancels_a_visit(page, live):
    await log_in(page, "coach")
    code = await book_walk_in(page, "070-111 22 33", "Hodan", option=3)
    item = await booking_of(live, code)
    zone = live.services.settings.zone
    day = item.start.astimezone(zone).date()
    await page.goto(f"/staff/visits?date={day - timedelta(days=1)}")
    await page.get_by_role("link", name="Nästa dag").click()
    await expect(page).to_have_url(re.compile(f"date={day.isoformat()}"))
    row = page.get_by_role("row").filter(has_text="Hodan")
    await expect(row).to_contain_text(code)
    await page.get_by_role("link", name="Visa veckan").click()
    await expect(page.get_by_role("row").filter(has_text="Hodan")).to_be_visible()
    await page.get_by_role("link", name="Visa dagen").click()
    await page.get_by_role("row").filter(has_text="Hodan").get_by_role(
        "link", name="Flytta Hodan").click()
    new_time = page.get_by_label("Ny tid")
    await new_time.select_option(index=2)
    chosen = datetime.fromisoformat(await new_time.input_value())
    await page.get_by_role("button", name="Flytta besöket").click()
    await expect(page.get_by_role("status")).to_contain_text("Besöket är flyttat")
    moved = await booking_of(live, code)
    assert moved.start == chosen and moved.status == "booked"
    await page.goto(f"/staff/visits?date={chosen.astimezone(zone).date()}")
    row = page.get_by_role("row").filter(has_text="Hodan")
    await row.get_by_text("Avboka Hodan").click()
    await row.get_by_label("Skäl (personen får läsa det)").fill("Coachen är sjuk")
    await row.get_by_role("button", name="Avboka besöket").click()
    await expect(page.get_by_role("status")).to_contain_text("Besöket är avbokat")
    assert (await booking_of(live, code)).status == "cancelled"
    person, session = await sim_person(live, "+46701112233", "sms")
    try:
        for _ in range(150):  # 30 s: the outbox sends on its own beat; wait for the notice
            texts = [m["text"] for m in await person.inbox()]
            if any("tagit bort din tid" in t for t in texts):
                break
            await asyncio.sleep(0.2)
    finally:
        await session.close()
    assert any("har flyttat din tid" in t for t in texts)
    assert any("tagit bort din tid" in t for t in texts) and "Skäl: Coachen är sjuk" in texts


async def test_yesterdays_visit_is_marked_and_marked_again(page, live):
    await log_in(page, "coach")
    code = await book_walk_in(page, "070-222 33 44", "Farah")
    item = await booking_of(live, code)
    set_demo_now(live.services.clock, item.start + timedelta(days=1, hours=2))
    await page.goto("/staff/visits")
    await page.get_by_role("link", name="Föregående dag").click()
    row = page.get_by_role("row").filter(has_text="Farah")
    await row.get_by_role("button", name="Kom inte Farah").click()
    await expect(page.get_by_role("status")).to_contain_text("Markerat")
    row = page.get_by_role("row").filter(has_text="Farah")
    await expect(row).to_contain_text("Kom inte")
    await row.get_by_role("button", name="Kom Farah").click()
    await expect(page.get_by_role("row").filter(has_text="Farah")).to_contain_text("Kom")
    assert (await booking_of(live, code)).status == "attended"


@pytest.mark.parametrize("query", ["{code}", "{lower}", "leyla", "070-333 44 55",
                                   "+46 70 333 44 55", "0046703334455", "+46703334455"])
async def test_a_coach_finds_the_person_by_code_name_or_phone_in_any_form(page, live, query):
    await log_in(page, "coach")
    code = await book_walk_in(page, "070-333 44 55", "Leyla")
    await page.goto("/staff/contacts")
    await page.get_by_label(re.compile("Bokningskod")).fill(query.format(code=code,
                                                                        lower=code.lower()))
    await page.get_by_role("button", name="Sök").click()
    await expect(page.get_by_role("table")).to_contain_text("Leyla")
    assert await page.get_by_role("row").count() == 2  # the header and exactly one person
    await page.get_by_label(re.compile("Bokningskod")).fill("070-333 44 56")
    await page.get_by_role("button", name="Sök").click()
    await expect(page.get_by_text("Ingen")).to_be_visible()
    await add_coach(live, "coach-vasterort", "vasterort")
    await log_in(page, "coach-vasterort", PASSWORD)  # another unit's coach finds nobody
    await page.goto(f"/staff/contacts?q={code}")
    assert await page.get_by_role("table").count() == 0


async def test_every_label_on_the_hours_page_sits_beside_its_own_input(page, live):
    await log_in(page, "admin")
    await page.goto("/staff/admin/hours")
    pairs = await page.evaluate("""() => [...document.querySelectorAll('form.grid label[for]')]
        .map(label => {
          const input = document.getElementById(label.htmlFor);
          const a = label.getBoundingClientRect(), b = input.getBoundingClientRect();
          return {text: label.textContent.trim(), label: (a.top + a.bottom) / 2,
                  top: b.top, bottom: b.bottom, left: a.right <= b.left + 1};
        })""")
    assert len(pairs) > 20
    misplaced = [p["text"] for p in pairs if not (p["top"] - 2 <= p["label"] <= p["bottom"] + 2
                                                   and p["left"])]
    assert misplaced == []


async def test_the_start_page_shows_the_coachs_figures_for_today(page, live):
    await log_in(page, "coach")
    code = await book_walk_in(page, "070-444 55 66", "Sahra")
    item = await booking_of(live, code)
    set_demo_now(live.services.clock, item.start - timedelta(hours=1))
    await page.goto("/staff/")
    figures = page.get_by_role("list", name="Idag")
    await expect(figures.get_by_role("link", name=re.compile(r"^1 besök idag"))).to_be_visible()
    await expect(figures.get_by_role("link", name=re.compile(r"^\d+ öppna ärenden"))).to_be_visible()
    await log_in(page, "admin")
    figures = page.get_by_role("list", name="Idag")
    await expect(figures.get_by_role("link", name=re.compile(
        r"^\d+ utskick väntar på godkännande"))).to_be_visible()
    await expect(figures.get_by_role("link", name=re.compile(r"^\d+ utskick pågår"))).to_be_visible()


async def test_the_composer_cost_equals_the_preview_cost(page, live):
    for user in ("+46700000051", "+46700000052"):
        person, session = await sim_person(live, user, "sms")
        await person.onboard()
        await session.close()
    await log_in(page, "outreach")
    await page.goto("/staff/outreach/broadcasts/new")
    await page.get_by_label("Namn").fill("Kostnad")
    text = "Välkommen till jobbmässan i Kista! " * 4  # 140 characters: the STOP line tips it
    await page.get_by_label("Text på svenska").fill(text.strip())
    await expect(page.locator("output")).to_contain_text("2 personer")
    counter = page.locator("#bc-counter-sv")
    await expect(counter).to_contain_text("2 SMS per person")
    composed = re.search(r"ungefär ([\d.,]+) kr", await counter.text_content() or "").group(1)  # type: ignore[union-attr]
    await page.get_by_role("button", name="Förhandsgranska").click()
    shown = await page.get_by_text(re.compile("2 personer")).first.text_content()
    previewed = re.search(r"([\d.,]+) kr", shown or "").group(1)  # type: ignore[union-attr]
    assert composed == previewed == "2,20"


async def test_the_composer_counts_an_event_invitations_lines_as_the_preview_does(page, live):
    for user in ("+46700000053", "+46700000054"):
        person, session = await sim_person(live, user, "sms")
        await person.onboard()
        await session.close()
    await log_in(page, "outreach")
    await page.goto("/staff/outreach/broadcasts/new")
    await page.get_by_label("Namn").fill("Inbjudan")
    await page.get_by_label("Text på svenska").fill("Kom och träffa arbetsgivare som söker folk "
                                                    "till lager och logistik i Kista.")
    await expect(page.locator("output")).to_contain_text("2 personer")
    counter = page.locator("#bc-counter-sv")
    await expect(counter).to_contain_text("1 SMS per person")  # the text and the STOP line
    events = page.get_by_label("Inbjudan till")
    await events.select_option(await events.locator("option", has_text="Rekryteringsträff")
                               .get_attribute("value"))
    await expect(counter).to_contain_text("2 SMS per person")  # and the invitation's lines
    composed = re.search(r"ungefär ([\d.,]+) kr", await counter.text_content() or "").group(1)  # type: ignore[union-attr]
    await page.get_by_role("button", name="Förhandsgranska").click()
    shown = await page.get_by_text(re.compile("2 personer")).first.text_content()
    previewed = re.search(r"([\d.,]+) kr", shown or "").group(1)  # type: ignore[union-attr]
    assert composed == previewed == "2,20"
