"""SMS over Twilio: the signed inbound webhook, the sender, and what SMS can do.

Numbers are kept in E.164 form (default region SE). WhatsApp posts that reach this
webhook are acknowledged and dropped (WhatsApp has a webhook of its own). Options were
already rendered as a numbered list in the text by the engine, so a send is just the
text; attachments are not sent by SMS. Signatures, the status callback and the Messages
API client are shared with the other Twilio channels (bot/channels/twilio_common.py).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from aiohttp import web

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
from bot.outbox import SKIPPED, ChannelPace, SendResult
from bot.services import SERVICES
from bot.settings import Settings
from handlers.phone import e164
from storage.capabilities import Capabilities, Medium
from storage.models import Outbox

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.services import Services
    from storage.db import Database

log = logging.getLogger("jobbtorg.sms")

NAME = "sms"
INBOUND_PATH = "/webhooks/twilio/sms"
MAX_LENGTH = 1600  # Twilio refuses a longer body (21617)
_ALPHANUMERIC = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")


# -- what SMS is to the rest of the program ---------------------------------------------

def capabilities(settings: Settings) -> list[Capabilities]:
    # Six choices (plus "fler") fit a message a person can read on a small screen.
    return [Capabilities(NAME, kind=NAME, label="SMS",
                         medium=Medium(buttons=False, max_options=6, gsm7=True, phone=True),
                         max_length=MAX_LENGTH, price_sek=settings.sms_price_sek, segmented=True,
                         quiet_hours=True, stop_hint=True, rank=30)]


def enabled(settings: Settings) -> bool:
    return settings.sms_enabled


def sender(settings: Settings, db: Database, clock: Clock) -> SmsSender:
    return SmsSender(settings)


def pace(settings: Settings) -> ChannelPace:
    return ChannelPace(settings.sms_mps, max_in_flight=64)


async def startup_problem(settings: Settings) -> str | None:
    """A TWILIO_FROM people cannot answer, or no public URL to sign against."""
    return sender_problem(settings.twilio_from) or public_url_problem(settings, "SMS")


def endpoints(settings: Settings, base: str) -> list[str]:
    return [f"Twilio SMS webhook: {base}{INBOUND_PATH}",
            f"Twilio status callback: {base}{STATUS_PATH}"]


# -- numbers and senders ----------------------------------------------------------------

def sender_problem(twilio_from: str) -> str | None:
    """Why TWILIO_FROM cannot be used, or None. An alphanumeric sender cannot get replies."""
    value = twilio_from.strip()
    if not value:
        return None
    if re.fullmatch(r"MG[0-9a-fA-F]{32}", value):
        return None
    if _ALPHANUMERIC.match(value) and not value.replace(" ", "").isdigit():
        return (f"JOBBTORG_TWILIO_FROM={value!r} is an alphanumeric sender ID: people cannot "
                "reply to it. Use a phone number (+46...) or a Messaging Service SID (MG...).")
    if value.isdigit() and 3 <= len(value) <= 8:
        return None  # a short code
    if e164(value) is None:
        return (f"JOBBTORG_TWILIO_FROM={value!r} is neither an E.164 phone number, a short code "
                "nor a Messaging Service SID (MG...).")
    return None


class SmsSender(TwilioMessages):
    """Sends outbox rows as SMS through the Messages API, asking for status callbacks."""

    def message_options(self, row: Outbox) -> dict[str, object]:
        return {"to": row.to_address, "body": row.text,
                **self.sender_options(self.settings.twilio_from)}

    async def send(self, row: Outbox) -> SendResult:
        if not row.text:
            return SendResult(SKIPPED, detail="attachments are not sent by SMS")
        return await self.create(self.message_options(row))


# -- the inbound webhook ----------------------------------------------------------------

async def inbound_webhook(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    form = await signed_form(request, NAME)
    if isinstance(form, web.Response):
        return form
    sender_address, sid = form.get("From", ""), message_sid(form)
    if not sender_address or not sid or len(sid) > MAX_SID or len(sender_address) > MAX_SID:
        count_rejection(NAME, "malformed")
        return web.Response(status=400, text="From and MessageSid are required")
    if sender_address.startswith("whatsapp:") or form.get("To", "").startswith("whatsapp:"):
        log.info("whatsapp_ignored", extra={"event": "whatsapp_ignored"})
        return twiml()
    number = e164(sender_address)
    if number is None:
        log.warning("sms_sender_invalid", extra={"event": "sms_sender_invalid"})  # no number logged
        return twiml()
    try:
        handled = await services.engine.handle(NAME, number, inbound_of(form, MAX_LENGTH), provider_id=sid)
    except Exception:
        log.exception("sms_inbound_failed", extra={"event": "sms_inbound_failed"})
        count_rejection(NAME, "error")
        return web.Response(status=500, text="not handled; retry")
    if not handled.duplicate:
        services.dispatcher.wake()
    return twiml()


def install(app: web.Application, services: Services) -> None:
    if enabled(services.settings):
        app.router.add_post(INBOUND_PATH, inbound_webhook)
        install_status(app, NAME)
