"""Report pages in a real browser: uppsökta recorded at a source, the funnel drawn as a chart."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.conftest import Live, axe_problems, log_in

pytestmark = pytest.mark.browser


async def test_uppsokta_recorded_on_the_sources_page_stand_beside_the_funnel_and_its_chart(
        page, live: Live):
    await log_in(page, "outreach")
    await page.goto("/staff/outreach/sources")
    source = await page.get_by_label("Källa", exact=True).locator("option").first.inner_text()
    await page.get_by_label("Antal personer ni mötte").fill("35")
    await page.get_by_role("button", name="Spara uppsökta").click()
    await expect(page.get_by_role("status")).to_contain_text("Uppsökta sparade")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=source, exact=True))
    await expect(row).to_contain_text("35")
    problems = [f"sources: {p}" for p in await axe_problems(page)]

    await log_in(page, "analyst")
    await page.goto("/staff/reports/funnel")
    await page.get_by_label("Dela upp på").select_option("source")
    await page.get_by_role("button", name="Visa").first.click()
    await expect(page.get_by_role("table").first).to_contain_text("Uppsökta")
    chart = page.get_by_role("img", name="Tratten som stapeldiagram")
    await expect(chart).to_be_visible()
    width = await chart.evaluate("img => img.complete ? img.naturalWidth : new Promise("
                                 "done => img.addEventListener('load', () => done(img.naturalWidth)))")
    assert width and width > 1000  # a panel for the source beside the total, side by side
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Ladda ner diagrammet (PNG)").click()
    assert (await waiting.value).suggested_filename == "tratt-source.png"
    problems += [f"funnel: {p}" for p in await axe_problems(page)]
    assert not problems, "\n".join(problems)
