"""The broadcast composer prices each language's text for its own recipients, as the
preview does: the live figures add up to the preview's cost."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_dashboard_browser import sim_person

pytestmark = pytest.mark.browser

KRONOR = re.compile(r"ungefär (\d+,\d\d) kr")


def kronor(text: str) -> float:
    match = KRONOR.search(text)
    assert match, text
    return float(match.group(1).replace(",", "."))


async def test_the_composers_cost_equals_the_previews(page, live):
    for user, language in (("cost-sv-1", "sv"), ("cost-sv-2", "sv"), ("cost-en", "en")):
        person, session = await sim_person(live, user, "sms")
        await person.onboard(language=language)
        await session.close()
    await log_in(page, "outreach")
    await page.goto(live.url + "/staff/outreach/broadcasts/new")
    swedish, english = page.locator("#bc-counter-sv"), page.locator("#bc-counter-en")
    await expect(swedish).to_contain_text("0 SMS per person, ungefär 0,00 kr")  # nothing yet
    await page.get_by_label("Namn").fill("Kostnad")
    await page.get_by_label("Text på svenska").fill(
        "Nu öppnar vi en ny kurs för dig som vill jobba inom vården. " * 4)
    await page.get_by_label("Text på engelska").fill("A new course in care work opens.")
    await expect(page.locator("output")).to_contain_text("3 personer")
    await expect(swedish).to_contain_text("2 SMS per person, ungefär 2,20 kr")
    await expect(english).to_contain_text("1 SMS per person")
    composer = kronor(await swedish.text_content() or "") + kronor(
        await english.text_content() or "")
    assert composer == pytest.approx(2 * 2 * 0.55 + 1 * 1 * 0.55)  # not 3 × 2 + 3 × 1
    await page.get_by_role("button", name="Förhandsgranska").click()
    total = page.get_by_text(re.compile(r"3 personer: .* Kostar ungefär"))
    await expect(total).to_be_visible()
    shown = re.search(r"Kostar ungefär (\d+,\d\d) kr", await total.text_content() or "")
    assert shown and float(shown.group(1).replace(",", ".")) == pytest.approx(composer)
