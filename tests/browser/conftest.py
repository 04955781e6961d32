"""Browser tests: the demo app on a real aiohttp server, driven by Debian's Chromium (headless).

Never downloads a browser. Without /usr/bin/chromium the tests skip with the reason, or
fail when JOBBTORG_REQUIRE_BROWSER=1 (set by .ci/run).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import build_app
from bot.scheduler import run_scheduler
from bot.services import Services
from tests.conftest import start_services
from tests.staff_web import PASSWORDS

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _required() -> bool:
    return os.environ.get("JOBBTORG_REQUIRE_BROWSER", "") in ("1", "true", "yes")


@pytest.fixture
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if _required():
            pytest.fail(f"{message}, and JOBBTORG_REQUIRE_BROWSER=1")
        pytest.skip(message)
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        if _required():
            pytest.fail("the playwright package is missing (pip install -e '.[dev]')")
        pytest.skip("the playwright package is missing")
    return path


@dataclass
class Live:
    """The running demo: its address and its services (clock, database)."""

    url: str
    services: Services


@contextlib.asynccontextmanager
async def serve_live(database_url: str, **settings: Any) -> AsyncIterator[Live]:
    """The demo app on a database, served on 127.0.0.1 with its dispatcher and scheduler
    (`settings`: JOBBTORG_* values other than the tests' defaults)."""
    services = await start_services(database_url, **settings)
    runner = web.AppRunner(build_app(services), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    stop = asyncio.Event()
    workers = [asyncio.create_task(services.dispatcher.run(stop)),
               asyncio.create_task(run_scheduler(services.engine, stop, interval=0.2))]
    try:
        yield Live(f"http://127.0.0.1:{port}", services)
    finally:
        stop.set()
        for task in workers:
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*workers, return_exceptions=True)
        await runner.cleanup()
        await services.close()


@pytest.fixture
async def live(sqlite_url: str) -> AsyncIterator[Live]:
    """The demo app served on 127.0.0.1 with its dispatcher and scheduler running."""
    async with serve_live(sqlite_url) as running:
        yield running


@pytest.fixture
async def browser(chromium: str) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, headless=True,
                                                    args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Any, live: Live) -> AsyncIterator[Any]:
    context = await browser.new_context(base_url=live.url, viewport={"width": 1280, "height": 900},
                                        accept_downloads=True, locale="sv-SE")
    opened = await context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    await context.close()


async def log_in(page: Any, username: str, password: str | None = None) -> None:
    """Sign in through the form, as a person would (forgetting any earlier sign-in)."""
    await page.context.clear_cookies()
    await page.goto("/staff/login")
    await page.get_by_label("Användarnamn").fill(username)
    await page.get_by_label("Lösenord").fill(password or PASSWORDS[username])
    await page.get_by_role("button", name="Logga in").click()
    await page.wait_for_url("**/staff/")


AXE_SOURCE = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8") \
    if files("axe_playwright_python").joinpath("axe.min.js").is_file() else ""


async def axe_problems(page: Any) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the current page."""
    assert AXE_SOURCE, "axe-core is missing (pip install axe-playwright-python)"
    await page.evaluate(AXE_SOURCE + "\n;void 0")
    result = await page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    assert result["passes"], "axe-core ran no checks"
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


async def screenshot(page: Any, name: str) -> None:
    """Save a screenshot for the README when JOBBTORG_SCREENSHOTS=1."""
    if os.environ.get("JOBBTORG_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
