"""The lived-in demo in a real browser: every role's pages show a service in use.

Runs after the other browser tests, so with JOBBTORG_SCREENSHOTS=1 the README's
screenshots are taken from the lived-in demo."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Live, axe_problems, log_in, screenshot, serve_live

# (role, screenshot name, path, a text the page shows only when it has data)
PAGES = [
    ("coach", "home", "/staff/", None),
    ("coach", "visits", "/staff/visits", None),
    ("coach", "handoffs", "/staff/handoffs", None),
    ("coach", "followup", "/staff/followup", None),
    ("outreach", "home", "/staff/", None),
    ("outreach", "broadcasts", "/staff/outreach/broadcasts", "Sommarjobb 2026"),
    ("outreach", "events", "/staff/outreach/events", "Rekryteringsträff"),
    ("outreach", "sources", "/staff/outreach/sources", "Husby bibliotek"),
    ("analyst", "home", "/staff/", None),
    ("analyst", "outcomes", "/staff/reports/outcomes", None),
    ("analyst", "funnel", "/staff/reports/funnel", None),
    ("admin", "home", "/staff/", None),
    ("admin", "audit", "/staff/admin/audit", "visit.attended"),
]


@pytest.fixture
async def lived(lived_in_db: tuple[Path, float], tmp_path: Path) -> AsyncIterator[Live]:
    path = tmp_path / "lived.db"
    shutil.copy(lived_in_db[0], path)
    async with serve_live(f"sqlite+aiosqlite:///{path}") as running:
        yield running


async def _texts(page: Any) -> str:
    return str(await page.locator("main").inner_text())


async def test_every_role_sees_a_service_in_use(browser: Any, lived: Live) -> None:
    context = await browser.new_context(base_url=lived.url, viewport={"width": 1280, "height": 900},
                                        locale="sv-SE")
    page = await context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    for role, name, path, wanted in PAGES:
        await log_in(page, role)
        response = await page.goto(path)
        assert response is not None and response.status == 200, (role, path)
        text = await _texts(page)
        if wanted is not None:
            assert wanted in text, (role, path, text[:400])
        problems += [f"{role} {name}: {p}" for p in await axe_problems(page)]
        await screenshot(page, f"{role}-{name}")
    # The coach's day: today's visits are there, and the report has figures, not dashes.
    await log_in(page, "coach")
    await page.goto("/staff/visits")
    assert await page.locator("table tbody tr").count() >= 1
    await log_in(page, "analyst")
    await page.goto("/staff/reports/outcomes")
    assert await page.locator("table tbody tr").count() >= 2
    await context.close()
    assert not problems, "\n".join(problems)
