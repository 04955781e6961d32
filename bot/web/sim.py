"""The simulator: a web phone and its JSON API, so a browser or a test can play a person."""

from __future__ import annotations

import math
import uuid
from datetime import timedelta
from importlib.resources import files
from typing import Any

from aiohttp import web

from bot.channels.sim import LOOKS
from bot.clock import DemoClock, set_demo_now
from bot.media import is_unicode
from bot.services import SERVICES, Services
from handlers.base import Inbound
from storage.capabilities import CHANNELS
from storage.jobs import next_due
from storage.people import find_address
from storage.queue import messages_to

MAX_TEXT = 10_000
MAX_USER_ID_DIGITS = 15  # a Telegram user id fits; a longer name stays a participant


def _services(request: web.Request) -> Services:
    return request.app[SERVICES]


def _bad(message: str) -> web.Response:
    return web.json_response({"error": message}, status=400)


def _person(values: Any) -> tuple[str, str] | str:
    """(user, channel) from a request, or an error message."""
    user, look = values.get("user"), values.get("channel", "telegram")
    if not isinstance(user, str) or not user.strip() or len(user) > 64 or not is_unicode(user):
        return "user must be a non-empty string of at most 64 characters"
    if look not in LOOKS:
        return "channel must be 'telegram' or 'sms'"
    return user.strip(), LOOKS[look]


def sender_id(channel: str, user: str) -> int | None:
    """On a look of a channel that carries staff commands (Telegram), a user name of digits
    is that provider user id, so staff linked to it (demo: 9001, the coach) are staff here."""
    digits = user.isascii() and user.isdigit() and len(user) <= MAX_USER_ID_DIGITS
    if CHANNELS.of(channel).staff and digits:
        return int(user)
    return None


async def post_message(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # RecursionError: brackets nested too deep
        return _bad("the body must be JSON")
    if not isinstance(body, dict):
        return _bad("the body must be a JSON object")
    person = _person(body)
    if isinstance(person, str):
        return _bad(person)
    text, choice = body.get("text"), body.get("choice")
    if text is None and choice is None:
        return _bad("give 'text' or 'choice': the body has neither")
    if text is not None and choice is not None:
        return _bad("give 'text' or 'choice', not both")
    if (text is not None and not isinstance(text, str)) or (
            choice is not None and not isinstance(choice, str)):
        return _bad("'text' and 'choice' must be strings")
    if text is not None and len(text) > MAX_TEXT:
        return _bad(f"'text' may be at most {MAX_TEXT} characters")
    services = _services(request)
    user, channel = person
    # A simulator message has no provider id; a fresh one keeps it in the history.
    inbound = Inbound(text=text, choice=choice, sender_id=sender_id(channel, user))
    handled = await services.engine.handle(channel, user, inbound,
                                           provider_id=f"sim-{uuid.uuid4().hex}")
    await services.dispatcher.drain(list(LOOKS.values()))
    return web.json_response({"replies": [r.as_dict() for r in handled.replies]})


async def get_messages(request: web.Request) -> web.Response:
    person = _person(request.query)
    if isinstance(person, str):
        return _bad(person)
    user, channel = person
    services = _services(request)
    async with services.db.transaction() as session:
        address = await find_address(session, channel, user)
        rows = [] if address is None or address.id is None else await messages_to(session, address.id)
    zone = services.settings.zone
    messages = [{
        "text": row.text,
        "options": row.options,
        "attachments": [{"filename": row.attachment_name, "content_type": row.attachment_type}]
        if row.attachment_name else [],
        "at": (row.sent_at or row.created_at).astimezone(zone).isoformat(),
    } for row in rows]
    return web.json_response({"messages": messages})


async def advance_clock(services: Services, seconds: float) -> None:
    """Move the demo clock, running each job that falls due at its own due time, in order."""
    clock = services.clock
    assert isinstance(clock, DemoClock)
    target = clock.now() + timedelta(seconds=seconds)
    while True:
        async with services.db.transaction() as session:
            due = await next_due(session)
        if due is None or due > target:
            break
        set_demo_now(clock, due)
        await services.save_clock()
        await services.engine.run_due_jobs()
        await services.dispatcher.drain()
    set_demo_now(clock, target)
    await services.save_clock()
    await services.engine.run_due_jobs()
    await services.dispatcher.drain()


async def post_clock(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # RecursionError: brackets nested too deep
        return _bad("the body must be JSON")
    seconds = body.get("advance_seconds") if isinstance(body, dict) else None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) \
            or not math.isfinite(seconds) or seconds < 0:
        return _bad("advance_seconds must be a number of seconds, 0 or more")
    if seconds > 3650 * 86400:
        return _bad("advance_seconds may be at most ten years")
    services = _services(request)
    await advance_clock(services, float(seconds))
    return web.json_response({"now": services.clock.now().astimezone(services.settings.zone)
                              .isoformat()})


async def get_clock(request: web.Request) -> web.Response:
    services = _services(request)
    return web.json_response({"now": services.clock.now().astimezone(services.settings.zone)
                              .isoformat()})


async def page(request: web.Request) -> web.Response:
    html = (files("bot") / "web" / "templates" / "sim.html").read_text(encoding="utf-8")
    return web.Response(text=html, content_type="text/html")


async def to_page(request: web.Request) -> web.Response:
    raise web.HTTPFound("/sim/")


def install(app: web.Application) -> None:
    app.router.add_get("/sim", to_page)
    app.router.add_get("/sim/", page)
    app.router.add_post("/sim/api/messages", post_message)
    app.router.add_get("/sim/api/messages", get_messages)
    app.router.add_post("/sim/api/clock", post_clock)
    app.router.add_get("/sim/api/clock", get_clock)
