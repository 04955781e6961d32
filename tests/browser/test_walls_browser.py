"""Booking a number of another jobbtorg, and a cancelled visit, as a coach sees them."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_day_browser import PASSWORD, add_coach, book_walk_in, booking_of

pytestmark = pytest.mark.browser


async def test_another_units_number_is_said_and_a_cancelled_visit_stays_struck(page, live):
    await add_coach(live, "coach-sydost", "sydost")
    await log_in(page, "coach-sydost", PASSWORD)
    await book_walk_in(page, "070-555 77 88", "Sara")
    await log_in(page, "coach")
    code = await book_walk_in(page, "070-555 77 88", "Ali")
    booked = page.locator("#booked")
    await expect(booked).to_contain_text("för Ali på Jobbtorg Järva")
    await expect(booked).to_contain_text("Numret hör till en person på Jobbtorg Sydost")
    await expect(booked).not_to_contain_text("Sara")
    item = await booking_of(live, code)
    day = item.start.astimezone(live.services.settings.zone).date().isoformat()
    await page.goto(f"/staff/visits?date={day}")
    row = page.get_by_role("row").filter(has_text=code)
    await expect(row).to_contain_text("Personen hör till ett annat jobbtorg")
    await expect(row.get_by_role("button", name="Skriv in")).to_have_count(0)
    await expect(row.get_by_role("link", name="Ali", exact=True)).to_have_count(0)
    await row.locator("summary").filter(has_text="Avboka").click()
    await row.get_by_label("Skäl (personen får läsa det)").fill("Bokad på fel jobbtorg")
    await row.get_by_role("button", name="Avboka besöket").click()
    struck = page.locator("tr.cancelled").filter(has_text=code)
    await expect(struck).to_contain_text("Avbokad: Bokad på fel jobbtorg")
    await expect(struck.locator("s").filter(has_text="Ali")).to_be_visible()
