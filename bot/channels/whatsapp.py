"""WhatsApp through Twilio: the signed inbound webhook, the sender, and what WhatsApp can do.

Twilio posts to /webhooks/twilio/whatsapp, signed like SMS, with From and To as
`whatsapp:+46...`; the address kept is the E.164 number. Options are a numbered list in
the text, as over SMS. WhatsApp lets a business write freely only within 24 hours of the
person's last message: a message the bot starts (a reminder, a survey, a broadcast: an
outbox row with a `kind`) to someone silent for longer goes as an approved Content
template, `ContentSid` + `ContentVariables` (the message's catalog fields), mapped by
JOBBTORG_WHATSAPP_TEMPLATES; never as the template's words in `Body`, which Twilio refuses
outside the window (error 63016). A kind with no template is not sent. Signatures, the
status callback and the Messages API client are shared (bot/channels/twilio_common.py).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from twilio.base.exceptions import TwilioRestException

from bot.channels.twilio_common import (
    MAX_SID,
    STATUS_PATH,
    TwilioMessages,
    inbound_of,
    install_status,
    message_sid,
    public_url_problem,
    signed_form,
    twiml,
)
from bot.metrics import count_rejection
from bot.outbox import FAILED, SKIPPED, ChannelPace, SendResult
from bot.services import SERVICES
from bot.settings import Settings
from handlers.broadcasts import INVITATION_KIND, TEMPLATE_KIND
from handlers.phone import e164
from messages import Texts
from storage.capabilities import Capabilities, Medium
from storage.models import Outbox
from storage.people import last_inbound_at

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.services import Services
    from storage.db import Database

log = logging.getLogger("jobbtorg.whatsapp")

NAME = "whatsapp"
PREFIX = "whatsapp:"
INBOUND_PATH = "/webhooks/twilio/whatsapp"
MAX_LENGTH = 1600  # a Twilio WhatsApp body
WINDOW = timedelta(hours=24)  # WhatsApp's customer service window
TEMPLATES_VARIABLE = "JOBBTORG_WHATSAPP_TEMPLATES"
_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
_SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")
_EDGE_VARIABLE = re.compile(r"^\s*\{\{[^}]*\}\}|\{\{[^}]*\}\}\s*$")


# -- what WhatsApp is to the rest of the program ------------------------------------------

def capabilities(settings: Settings) -> list[Capabilities]:
    """A numbered list like SMS, but any script and no segments; priced per message; may
    write first after a day of silence only with an approved template."""
    templates = templates_of(settings.whatsapp_templates)
    return [Capabilities(NAME, kind=NAME, label="WhatsApp",
                         medium=Medium(buttons=False, max_options=10, phone=True),
                         max_length=MAX_LENGTH, price_sek=settings.whatsapp_price_sek,
                         writes_first_freely=False,
                         templates=frozenset(templates if isinstance(templates, dict) else ()),
                         quiet_hours=True, stop_hint=True, rank=20)]


def enabled(settings: Settings) -> bool:
    return bool(settings.twilio_account_sid and settings.twilio_auth_token
                and settings.twilio_whatsapp_from)


def sender(settings: Settings, db: Database, clock: Clock) -> WhatsAppSender:
    return WhatsAppSender(settings, db, clock)


def pace(settings: Settings) -> ChannelPace:
    return ChannelPace(settings.whatsapp_mps, max_in_flight=64)


def endpoints(settings: Settings, base: str) -> list[str]:
    return [f"Twilio WhatsApp webhook: {base}{INBOUND_PATH}",
            f"Twilio status callback: {base}{STATUS_PATH}"]


# -- settings -------------------------------------------------------------------------------

def templates_of(text: str) -> dict[str, str] | str:
    """JOBBTORG_WHATSAPP_TEMPLATES as {message kind: ContentSid}, or what is wrong with it."""
    fix = (f"{TEMPLATES_VARIABLE} must be a JSON object of message kind to ContentSid, e.g. "
           '{"booking.reminder": "HX...", "broadcast": "HX..."}')
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"{TEMPLATES_VARIABLE} is not valid JSON ({exc.msg} at character {exc.pos}): {fix}"
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return fix
    for kind, sid in value.items():
        if not _CONTENT_SID.match(sid):
            return f"{TEMPLATES_VARIABLE}: {sid!r} for {kind} is no ContentSid (HX and 32 hex digits)"
        if kind not in (TEMPLATE_KIND, INVITATION_KIND) and not Texts("sv").has(kind):
            return (f"{TEMPLATES_VARIABLE}: {kind!r} is no message kind: use a catalog key the bot "
                    f"sends by itself (e.g. booking.reminder, survey.reminder), {TEMPLATE_KIND} "
                    f"or {INVITATION_KIND}")
    return value


def edge_variable(body: str) -> str | None:
    """Where a template starts or ends with a variable ('starts', 'ends'), or None."""
    match = _EDGE_VARIABLE.search(body.strip())
    if match is None:
        return None
    return "starts" if match.start() == 0 else "ends"


def template_body(content: Any) -> str:
    """The text of a Content resource: its twilio/text body (or the first body it has)."""
    types = getattr(content, "types", None) or {}
    for kind in ("twilio/text", *types):
        body = (types.get(kind) or {}).get("body")
        if isinstance(body, str):
            return body
    return ""


async def startup_problem(settings: Settings) -> str | None:
    """A sender that is no WhatsApp number, no public URL, bad templates JSON, or a
    template WhatsApp would not approve (a variable first or last)."""
    sender_value = settings.twilio_whatsapp_from.strip()
    if not _SERVICE_SID.match(sender_value) and (
            not sender_value.startswith(PREFIX) or e164(sender_value[len(PREFIX):]) is None):
        return (f"JOBBTORG_TWILIO_WHATSAPP_FROM={sender_value!r} must be whatsapp:+46... (the "
                "WhatsApp sender's number) or a Messaging Service SID (MG...).")
    if problem := public_url_problem(settings, "WhatsApp"):
        return problem
    templates = templates_of(settings.whatsapp_templates)
    if isinstance(templates, str):
        return templates
    if templates:
        return await _template_problem(settings, templates)
    return None


async def _template_problem(settings: Settings, templates: dict[str, str]) -> str | None:
    """Read each template from Twilio's Content API and check where its variables are."""
    messages = TwilioMessages(settings)
    try:
        for kind, sid in templates.items():
            try:
                content = await messages.content(sid)
            except TwilioRestException as exc:
                if exc.status == 404:
                    return f"{TEMPLATES_VARIABLE}: template {sid} for {kind} does not exist in this account"
                log.warning("whatsapp_template_unchecked", extra={"event": "whatsapp_template_unchecked",
                                                                  "status": exc.status})
                continue
            where = edge_variable(template_body(content))
            if where is not None:
                return (f"{TEMPLATES_VARIABLE}: template {sid} for {kind} {where} with a variable, "
                        "which WhatsApp does not approve: put words before the first and after "
                        "the last variable, then map the new ContentSid")
    finally:
        await messages.close()
    return None


# -- sending ----------------------------------------------------------------------------------

def variables(fields: dict[str, Any]) -> str:
    """ContentVariables: the message's fields by name, on one line each (WhatsApp refuses
    line breaks in a template's values)."""
    return json.dumps({key: " ".join(str(value).split()) for key, value in fields.items()},
                      ensure_ascii=False)


class WhatsAppSender(TwilioMessages):
    """Sends outbox rows to `whatsapp:` numbers: free text within the 24-hour window, an
    approved template for a message the bot starts after it."""

    def __init__(self, settings: Settings, db: Database, clock: Clock) -> None:
        super().__init__(settings)
        self.db = db
        self.clock = clock
        found = templates_of(settings.whatsapp_templates)
        self.templates = found if isinstance(found, dict) else {}

    async def window_closed(self, row: Outbox) -> bool:
        """Whether the person last wrote on WhatsApp more than 24 hours ago (or never)."""
        if row.contact_id is None:
            return True
        async with self.db.transaction() as session:
            last = await last_inbound_at(session, NAME, row.contact_id)
        return last is None or self.clock.now() - last >= WINDOW

    async def message_options(self, row: Outbox) -> dict[str, Any] | SendResult:
        options: dict[str, Any] = {"to": PREFIX + row.to_address,
                                   **self.sender_options(self.settings.twilio_whatsapp_from)}
        if row.kind is None or not await self.window_closed(row):
            return {**options, "body": row.text}
        sid = self.templates.get(row.kind)
        if sid is None:
            return SendResult(FAILED, detail=f"outside WhatsApp's 24-hour window and no approved "
                                             f"template for {row.kind} ({TEMPLATES_VARIABLE})")
        return {**options, "content_sid": sid, "content_variables": variables(row.fields or {})}

    async def send(self, row: Outbox) -> SendResult:
        if not row.text:
            return SendResult(SKIPPED, detail="attachments are not sent by WhatsApp")
        options = await self.message_options(row)
        if isinstance(options, SendResult):
            return options
        return await self.create(options)


# -- the inbound webhook --------------------------------------------------------------------

async def inbound_webhook(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    form = await signed_form(request, NAME)
    if isinstance(form, web.Response):
        return form
    sender_address, sid = form.get("From", ""), message_sid(form)
    if not sender_address or not sid or len(sid) > MAX_SID or len(sender_address) > MAX_SID:
        count_rejection(NAME, "malformed")
        return web.Response(status=400, text="From and MessageSid are required")
    if not sender_address.startswith(PREFIX):
        log.info("not_whatsapp_ignored", extra={"event": "not_whatsapp_ignored"})
        return twiml()  # an SMS posted here: the SMS webhook is where it belongs
    number = e164(sender_address[len(PREFIX):])
    if number is None:
        log.warning("whatsapp_sender_invalid", extra={"event": "whatsapp_sender_invalid"})
        return twiml()
    try:
        handled = await services.engine.handle(NAME, number, inbound_of(form, MAX_LENGTH),
                                               provider_id=sid)
    except Exception:
        log.exception("whatsapp_inbound_failed", extra={"event": "whatsapp_inbound_failed"})
        count_rejection(NAME, "error")
        return web.Response(status=500, text="not handled; retry")
    if not handled.duplicate:
        services.dispatcher.wake()
    return twiml()


def install(app: web.Application, services: Services) -> None:
    if enabled(services.settings):
        app.router.add_post(INBOUND_PATH, inbound_webhook)
        install_status(app, NAME)
