"""`jobbtorg demo`: the whole bot on SQLite with the simulator, seeded and ready to try."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncSession

from bot.logs import setup_logging
from bot.passwords import hash_password
from bot.process import Process
from bot.runtime import build_services
from bot.settings import Settings
from bot.workers import run_until_stopped
from storage.bookings import seed_booking_demo
from storage.migrate import upgrade
from storage.models import StaffUser
from storage.outreach import seed_outreach_demo
from storage.places import seed_stockholm, unit_by_slug
from storage.staff import staff_by_telegram, staff_by_username

# (username, role, unit slug, password): printed at start so anyone can log in.
DEMO_STAFF = [
    ("admin", "admin", None, "demo-admin-1"),
    ("coach", "coach", "jarva", "demo-coach-1"),
    ("outreach", "outreach", None, "demo-outreach-1"),
    ("analyst", "analyst", None, "demo-analyst-1"),
]

# Demo staff who use the staff Telegram commands (/idag, /imorgon, /avboka, /flytta,
# /utskick): their Telegram user id, which is also the simulator user name to write as
# (on the simulator's Telegram look), e.g. user "9001" typing /idag is the demo coach.
DEMO_TELEGRAM = {"coach": 9001, "outreach": 9002, "admin": 9003}

# Feature modules add seed data for the demo (opening hours, visit kinds, sources ...).
DemoSeeder = Callable[[AsyncSession, datetime], Awaitable[None]]
demo_seeders: list[DemoSeeder] = []
demo_seeders.append(seed_booking_demo)
demo_seeders.append(seed_outreach_demo)


@cache
def demo_hash(password: str) -> str:
    """Hash each demo password once per process (argon2 is slow on purpose)."""
    return hash_password(password)


async def seed_demo(session: AsyncSession, now: datetime) -> None:
    await seed_stockholm(session)
    for username, role, unit_slug, password in DEMO_STAFF:
        telegram_id = DEMO_TELEGRAM.get(username)
        if found := await staff_by_username(session, username):
            if found.telegram_user_id is None and telegram_id is not None \
                    and await staff_by_telegram(session, telegram_id) is None:
                found.telegram_user_id = telegram_id  # a demo database kept from before
            continue
        unit = await unit_by_slug(session, unit_slug) if unit_slug else None
        session.add(StaffUser(username=username, password_hash=demo_hash(password), role=role,
                              unit_id=unit.id if unit else None, telegram_user_id=telegram_id,
                              created_at=now))
    for seeder in demo_seeders:
        await seeder(session, now)


async def run_demo(settings: Settings, host: str, port: int, process: Process,
                   history: bool = True) -> None:
    await upgrade(settings.database_url)  # a kept demo database gets the new schema
    setup_logging(settings.log_level)  # JSON lines with an event, no numbers
    console = Console()
    if history:
        from bot.demo_history import cache_file, prepare_history

        if not cache_file(settings.database_url, ZoneInfo(settings.timezone)).exists():
            console.print("Making a year of demo history (once a day; about half a minute) ...")
        await prepare_history(settings, seed_demo, process)
    services = await build_services(settings, process, demo=True)
    async with services.db.transaction() as session:
        await seed_demo(session, services.clock.now())

    def started() -> None:
        console.print(f"[bold]Jobbtorg demo[/bold] on http://{host}:{port}/")
        console.print(f"  Simulator (a web phone):  http://{host}:{port}/sim/")
        console.print(f"  Staff dashboard:          http://{host}:{port}/staff/")
        console.print(f"  Database:                 {settings.database_url}")
        console.print("  Demo staff logins (username / password):")
        for username, role, unit, password in DEMO_STAFF:
            where = f" at {unit}" if unit else ""
            console.print(f"    {username:9} / {password:16} {role}{where}")
        console.print("  Staff Telegram commands: in the simulator, on Telegram, write as user "
                      + ", ".join(f"{tid} ({name})" for name, tid in DEMO_TELEGRAM.items())
                      + ", e.g. /idag")
        console.print("Press Ctrl+C to stop.")

    await run_until_stopped(services, host, port, on_started=started)
