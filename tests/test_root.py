"""The composition root (bot/root.py) lists every part that exists, and the parts get
what they need from what the root builds, not from what happened to be imported."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, get_args

import typer

import bot
import handlers
from bot import root
from bot.commands import common
from bot.web.dashboard.core import Pages
from handlers.flow import Flow, FlowName
from handlers.jobs import Jobs
from handlers.staff import StaffCommands

ROOT = Path(__file__).resolve().parent.parent


def every_module(package: ModuleType) -> list[ModuleType]:
    return [importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
            if not info.name.endswith("__main__")]


found_values: dict[int, Any] = {}  # what `found` saw, by id


def found(kind: type) -> dict[int, str]:
    """Every instance of `kind` held at the top of a module in bot/ or handlers/, by id:
    where it is."""
    seen: dict[int, str] = {}
    for module in every_module(handlers) + every_module(bot):
        for name, value in vars(module).items():
            if isinstance(value, kind):
                seen.setdefault(id(value), f"{module.__name__}.{name}")
                found_values[id(value)] = value
    return seen


def test_every_flow_that_exists_is_listed_in_the_root_by_its_name():
    flows = found(Flow)
    listed = {id(flow) for flow in root.FLOWS}
    assert sorted(where for key, where in flows.items() if key not in listed) == []
    assert set(root.PARTS.flows) == set(get_args(FlowName)), "FlowName and the root differ"


def test_every_features_jobs_staff_commands_and_pages_are_listed_in_the_root():
    for kind, listed in ((Jobs, root.JOBS), (StaffCommands, root.STAFF_COMMANDS)):
        forgotten = [where for key, where in found(kind).items()
                     if key not in {id(each) for each in listed}]
        assert forgotten == [], f"not in bot/root.py: {forgotten}"
    assert "survey.send" in root.PARTS.contact_jobs and "retention" in root.PARTS.system_jobs
    assert {"/idag", "/imorgon", "/utskick"} <= set(root.PARTS.staff.commands)
    listed_routes = set(root.DASHBOARD.routes)
    forgotten = [where for key, where in found(Pages).items()
                 if not set(found_values[key].routes) <= listed_routes]
    assert forgotten == [], f"dashboard pages not in bot/root.py's DASHBOARD: {forgotten}"


def test_every_command_group_is_on_the_command_line():
    groups = {id(info.typer_instance) for info in root.cli.registered_groups}
    nested = {id(info.typer_instance) for module in every_module(bot)
              for value in vars(module).values() if isinstance(value, typer.Typer)
              for info in value.registered_groups}  # e.g. `units kinds`
    apps = {key: where for key, where in found(typer.Typer).items()
            if where.startswith("bot.commands.") or where.startswith("bot.cli.")}
    forgotten = [where for key, where in apps.items()
                 if key not in groups | nested and where != "bot.cli.app"]
    assert forgotten == [], f"command groups not in bot/root.py's CLI_GROUPS: {forgotten}"
    assert common.process is root.PROCESS


def test_a_name_listed_twice_is_refused():
    import pytest

    from handlers.parts import Parts

    with pytest.raises(ValueError, match="listed twice"):
        Parts.of(flows=[*root.FLOWS, root.FLOWS[0]], first_contact_hooks=(), answer_hooks=(),
                 data_sections=(), jobs=(), ensure_jobs=(), staff_commands=())
    with pytest.raises(ValueError, match="listed twice"):
        Parts.of(flows=(), first_contact_hooks=(), answer_hooks=(), data_sections=(),
                 jobs=[*root.JOBS, root.JOBS[0]], ensure_jobs=(), staff_commands=())


# Runs in a new interpreter, so only what each import pulls in is loaded.
SCRIPT = r'''
import asyncio, sys

import bot.engine, bot.runtime, bot.scheduler  # the parts, without the root

FEATURES = ("handlers.booking", "handlers.survey", "handlers.rsvp", "handlers.mybookings",
            "handlers.menu", "handlers.coach_telegram", "handlers.staff_broadcast",
            "handlers.retention", "bot.web.dashboard", "bot.commands.bookings")
loaded = [name for name in FEATURES if name in sys.modules]
assert not loaded, f"the engine pulled in {loaded}: something is found by importing it"

from bot.root import build_services  # everything comes from what the root builds
from bot.scheduler import ensure_daily_jobs
from bot.settings import load_settings
from handlers.base import Inbound
from sqlmodel import select
from storage.models import Job


async def main(url):
    services = await build_services(load_settings(database_url=url, demo=True), demo=True)
    try:
        handled = await services.engine.handle("sim-sms", "+46700000001", Inbound(text="hej"))
        assert handled.replies, "no reply: the onboarding flow was not found"
        await ensure_daily_jobs(services.engine)
        async with services.db.transaction() as session:
            kinds = (await session.execute(select(Job.kind))).scalars().all()
        assert kinds == ["retention"], kinds
    finally:
        await services.close()
    print("ok")


asyncio.run(main(sys.argv[1]))
'''


def test_the_engine_imported_alone_gets_its_flows_and_jobs_from_the_root(sqlite_url):
    result = subprocess.run([sys.executable, "-c", SCRIPT, sqlite_url], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
