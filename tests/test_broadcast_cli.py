"""`jobbtorg broadcast ...` and `jobbtorg events ...` as an operator uses them, bad input included."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest

from bot.root import build_services
from bot.settings import load_settings
from storage.db import Database
from tests.conftest import seed_places
from tests.outreach_helpers import person
from tests.test_cli import jobbtorg


async def add_people(url: str) -> None:
    db = Database(url)
    now = datetime.now(UTC)
    async with db.transaction() as session:
        await person(session, now, "anna")
        await person(session, now, "bea", channels=("sim-telegram",), language="en")
        await person(session, now, "carl", gender="man")
    await db.dispose()


async def work_once(url: str) -> None:
    """What the worker does: run due jobs and send (the simulator's channels)."""
    services = await build_services(load_settings(database_url=url), demo=True)
    try:
        while await services.engine.run_due_jobs():
            pass
        await services.dispatcher.drain()
    finally:
        await services.close()


@pytest.fixture
def url(sqlite_url: str) -> str:
    """A migrated, seeded database (`db upgrade` and `seed stockholm` are tested in test_cli)."""
    asyncio.run(seed_places(sqlite_url))
    asyncio.run(add_people(sqlite_url))
    return sqlite_url


NO_QUIET_HOURS = {"JOBBTORG_QUIET_HOURS": "00:00-00:00"}  # SMS go out whatever the hour


def run_json(url: str, *args: str) -> dict:
    result = jobbtorg(url, *args, "--json", env=NO_QUIET_HOURS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_create_preview_send_and_follow_a_broadcast_with_an_event(url):
    event = run_json(url, "events", "add", "--kind", "rekryteringsträff", "--title", "Lager",
                     "--at", "2099-12-01 10:00", "--place", "Kistagången 12", "--seats", "10")
    created = run_json(url, "broadcast", "create", "--name", "Lager", "--sv", "Kom på träff!",
                       "--en", "Come along!", "--gender", "kvinna", "--event", str(event["id"]))
    assert created["status"] == "draft" and created["segment"] == {"genders": ["kvinna"]}
    shown = run_json(url, "broadcast", "preview", str(created["id"]))
    assert shown["total"] == 2 and shown["by_channel"] == {"sms": 1, "telegram": 1}
    assert shown["cost_sek"] > 0 and shown["needs_approval"] is False
    sent = run_json(url, "broadcast", "send", str(created["id"]))
    assert sent["status"] == "scheduled"
    asyncio.run(work_once(url))
    status = run_json(url, "broadcast", "status", str(created["id"]))
    assert status["status"] == "sent" and status["progress"]["sent"] == 2
    finished = jobbtorg(url, "broadcast", "cancel", str(created["id"]))
    assert finished.returncode == 2 and "has finished" in finished.stderr
    assert run_json(url, "broadcast", "status", str(created["id"]))["status"] == "sent"
    watched = run_json(url, "broadcast", "status", str(created["id"]), "--watch")
    assert watched["progress"]["sent"] == 2  # --watch returns at once when it is done
    rows = run_json(url, "broadcast", "recipients", str(created["id"]))
    assert sorted(r["channel"] for r in rows) == ["sim-sms", "sim-telegram"]
    assert all("address" not in r for r in rows)
    events = run_json(url, "events", "list")
    assert events[0]["invited"] == 2 and events[0]["seats"] == 10


def test_an_expensive_broadcast_waits_for_approval_and_can_be_cancelled(url):
    created = run_json(url, "broadcast", "create", "--name", "Dyrt", "--sv", "Hej!")
    env = {"JOBBTORG_SMS_APPROVAL_SEK": "0.5"}
    waiting = json.loads(jobbtorg(url, "broadcast", "send", str(created["id"]), "--json", env=env).stdout)
    assert waiting["status"] == "awaiting-approval" and waiting["estimate_sek"] == 1.1
    for username, role in (("admin", "admin"), ("outreach", "outreach")):
        assert jobbtorg(url, "staff", "add", "--username", username, "--role", role,
                        stdin="a long enough password\n").returncode == 0
    for by in (["--by", "nobody"], ["--by", "outreach"], []):
        refused = jobbtorg(url, "broadcast", "approve", str(created["id"]), *by)
        assert refused.returncode == 2, by
        assert ("not an active admin" if by else "name the approving admin") in refused.stderr
    assert run_json(url, "broadcast", "status", str(created["id"]))["status"] == "awaiting-approval"
    approved = run_json(url, "broadcast", "approve", str(created["id"]), "--by", "admin")
    assert approved["status"] == "scheduled" and approved["approved_by"] == "admin"
    cancelled = run_json(url, "broadcast", "cancel", str(created["id"]))
    assert cancelled["status"] == "cancelled"
    asyncio.run(work_once(url))
    assert run_json(url, "broadcast", "status", str(created["id"]))["progress"]["sent"] == 0


@pytest.mark.parametrize(("args", "message"), [
    (["create", "--name", "X"], "give the Swedish text"),
    (["create", "--name", "X", "--sv", "Hej", "--age", "12-15"], "--age 12-15"),
    (["create", "--name", "X", "--sv", "Hej", "--unit", "narnia"], "--unit must be one of"),
    (["create", "--name", "X", "--sv", "Hej", "--source", "nowhere"], "no such source"),
    (["create", "--name", "X", "--sv", "Hej", "--booked", "maybe"], "--booked must be"),
    (["create", "--name", "X", "--sv", "Hej", "--event", "99"], "no event 99"),
    (["create", "--name", "X", "--sv", "Hej", "--text-file", "fr=x.txt"], "LANG=PATH"),
    (["send", "99"], "no broadcast 99"),
    (["status", "99"], "no broadcast 99"),
])
def test_bad_input_is_refused_with_a_clear_message(url, args, message):
    result = jobbtorg(url, "broadcast", *args)
    assert result.returncode != 0 and message in result.stderr, result.stderr


def test_sending_twice_or_in_the_past_is_refused(url):
    created = run_json(url, "broadcast", "create", "--name", "X", "--sv", "Hej")
    past = jobbtorg(url, "broadcast", "send", str(created["id"]), "--at", "2001-01-01 10:00")
    assert past.returncode != 0 and "--at must be in the future" in past.stderr
    assert jobbtorg(url, "broadcast", "send", str(created["id"])).returncode == 0
    again = jobbtorg(url, "broadcast", "send", str(created["id"]))
    assert again.returncode != 0 and "only a draft can be sent" in again.stderr
