"""What every Twilio channel shares: signed form webhooks, the status callback and the Messages API.

Every webhook is checked with twilio's RequestValidator against JOBBTORG_PUBLIC_URL plus
the path, so a forged or altered post is refused (403) before anything is stored. One
status callback serves every Twilio channel (SMS, WhatsApp): the Twilio channel modules
install it with `install_status`, and it finds the message among all their rows. Sends
go through twilio's own client (async) against JOBBTORG_TWILIO_API_URL when it is set.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web
from multidict import MultiDict
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.metrics import count_rejection
from bot.outbox import (
    FAILED,
    MAX_ATTEMPTS,
    OPTED_OUT,
    RATE_LIMITED,
    RETRY,
    SENT,
    UNREACHABLE,
    SendResult,
    backoff_seconds,
)
from bot.services import SERVICES
from bot.settings import Settings
from handlers.base import Inbound
from storage.models import DeliveryAttempt
from storage.queue import mark_address, sent_by_provider_id

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("jobbtorg.twilio")

STATUS_PATH = "/webhooks/twilio/status"
SIGNATURE_HEADER = "X-Twilio-Signature"
SEND_TIMEOUT = 15.0  # twilio's async client sets no time-out of its own

# Every MessageStatus Twilio documents; anything else is refused with 400.
STATUSES = frozenset({
    "accepted", "scheduled", "canceled", "queued", "sending", "sent", "delivered",
    "undelivered", "failed", "receiving", "received", "read", "partially_delivered",
})
PROGRESS = {"sent": 1, "delivered": 2, "read": 3}  # a late 'sent' never undoes 'delivered'
OPTED_OUT_CODES = frozenset({21610})  # the person replied STOP
UNREACHABLE_CODES = frozenset({21211, 21612, 21614, 30005, 30006})  # invalid, landline, unknown
RATE_LIMIT_CODES = frozenset({63018, 30022, 20429, 14107})
MAX_SID = 64  # Twilio's sids have 34 characters; the table keeps at most 80
# The form fields the bot reads; each may appear once in a post.
READ_FIELDS = ("From", "To", "Body", "NumMedia", "MessageSid", "SmsSid", "MessageStatus",
               "SmsStatus", "ErrorCode")
STATUS_METRIC = "twilio-status"  # the label refused status posts are counted under


def public_url_problem(settings: Settings, channel: str) -> str | None:
    """Twilio signs against the public URL and posts delivery status there."""
    if settings.public_url or settings.trust_proxy:
        return None
    return (f"{channel} is on but JOBBTORG_PUBLIC_URL is not set: Twilio signs every webhook "
            "against it. Set it (e.g. https://bot.example.se), or set "
            "JOBBTORG_TRUST_PROXY=1 behind a proxy that forwards the host.")


# -- the Messages API -------------------------------------------------------------------

class TwilioMessages:
    """twilio's REST client (async), made on first use, asking for status callbacks."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.timeout = SEND_TIMEOUT
        self._client: Client | None = None
        self._http: AsyncTwilioHttpClient | None = None

    def client(self) -> Client:
        """Created on first use, inside the running loop (its aiohttp session needs one)."""
        if self._client is None:
            self._http = AsyncTwilioHttpClient()
            client = Client(self.settings.twilio_account_sid, self.settings.twilio_auth_token,
                            http_client=self._http, environment={})
            if self.settings.twilio_api_url:
                # `environment={}` is falsy, so twilio still reads TWILIO_REGION/TWILIO_EDGE
                # from os.environ: clear them and pin the API roots ourselves.
                client.api.base_url = self.settings.twilio_api_url.rstrip("/")
                client.content.base_url = self.settings.twilio_api_url.rstrip("/")
                client.region = None
                client.edge = None
            self._client = client
        return self._client

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
        self._client = self._http = None

    def sender_options(self, sender: str) -> dict[str, Any]:
        """From (a number, or `whatsapp:+46...`) or the Messaging Service, and the callback."""
        options: dict[str, Any] = {}
        sender = sender.strip()
        if sender.startswith("MG"):
            options["messaging_service_sid"] = sender
        else:
            options["from_"] = sender
        if self.settings.public_url:
            options["status_callback"] = self.settings.public_url.rstrip("/") + STATUS_PATH
        return options

    async def content(self, sid: str) -> Any:
        """A Content template (Content API v1): its types hold the text the person sees."""
        async with asyncio.timeout(self.timeout):
            return await self.client().content.v1.contents(sid).fetch_async()

    async def create(self, options: dict[str, Any]) -> SendResult:
        """One Messages.create, as an outcome for the dispatcher."""
        try:
            async with asyncio.timeout(self.timeout):
                message = await self.client().messages.create_async(**options)
        except TwilioRestException as exc:
            return classify_error(exc.status, exc.code, exc.msg)
        except TimeoutError:
            return SendResult(RETRY, detail="timed out")
        except (aiohttp.ClientError, OSError) as exc:
            return SendResult(RETRY, detail=f"network: {type(exc).__name__}")
        return SendResult(SENT, provider_message_id=message.sid)


def classify_error(status: int, code: int | None, message: str | None) -> SendResult:
    """A Twilio REST error as an outcome: stop, retry later, or give up on this message.
    Any other 4xx code (e.g. 63016, outside WhatsApp's 24-hour window) fails the message
    only: the address stays usable."""
    detail = f"{status} twilio {code}: {message or ''}".strip()
    if code in OPTED_OUT_CODES:
        return SendResult(OPTED_OUT, detail=detail)
    if code in UNREACHABLE_CODES:
        return SendResult(UNREACHABLE, detail=detail)
    if status == 429 or code in RATE_LIMIT_CODES:
        return SendResult(RATE_LIMITED, retry_after=1.0, detail=detail)
    if status >= 500 or status in (401, 408):  # 401: credentials being rotated; log loudly
        if status == 401:
            log.error("twilio_credentials_rejected", extra={"event": "twilio_credentials_rejected"})
        return SendResult(RETRY, detail=detail)
    return SendResult(FAILED, detail=detail)


# -- signed form webhooks ---------------------------------------------------------------

def signed_url(request: web.Request, settings: Settings) -> str:
    """The URL Twilio signed: PUBLIC_URL + path, or (TRUST_PROXY) the forwarded one."""
    if settings.public_url:
        return settings.public_url.rstrip("/") + request.path_qs
    if settings.trust_proxy:
        proto = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
        host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
        return f"{proto}://{host}{request.path_qs}"
    return str(request.url)


def parsed_form(content_type: str, charset: str | None, body: bytes) -> MultiDict[str] | str:
    """The fields of a form post, every value of every key, or why it cannot be read."""
    if content_type != "application/x-www-form-urlencoded":
        return "a form post (application/x-www-form-urlencoded) is expected"
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        return "the form must be UTF-8"
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                          encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        return "the form is not valid UTF-8"
    return MultiDict(pairs)


async def signed_form(request: web.Request, channel: str) -> MultiDict[str] | web.Response:
    """The posted form when its signature is right, else the 4xx to answer (counted
    under `channel`).

    The signature is checked over every value of every key (the same multi-dict that is
    read), and a field the bot reads may appear once only: a forged field put in front of
    a captured signed body must not be what the bot reads."""
    services = request.app[SERVICES]
    form = parsed_form(request.content_type, request.charset, await request.read())
    if isinstance(form, str):
        count_rejection(channel, "malformed")
        return web.Response(status=400, text=form)
    signature = request.headers.get(SIGNATURE_HEADER, "")
    validator = RequestValidator(services.settings.twilio_auth_token)
    if not signature or not validator.validate(signed_url(request, services.settings), form, signature):
        log.warning("twilio_signature_refused", extra={"event": "twilio_signature_refused",
                                                       "path": request.path})
        count_rejection(channel, "signature")
        return web.Response(status=403, text="invalid signature")
    if any(len(form.getall(key)) > 1 for key in READ_FIELDS if key in form):
        count_rejection(channel, "malformed")
        return web.Response(status=400, text="a field appears more than once")
    return form


def inbound_of(form: MultiDict[str], max_length: int) -> Inbound:
    """What a person sent in a Twilio form post: the text, or a picture without words."""
    body = form.get("Body", "") or ""
    media = form.get("NumMedia", "0") or "0"
    if not body.strip() and media.isdecimal() and int(media) > 0:
        return Inbound(kind="media")  # a picture without words: say what we can read
    return Inbound(text=body[:max_length])


def message_sid(form: MultiDict[str]) -> str:
    return form.get("MessageSid") or form.get("SmsSid") or ""


def twiml() -> web.Response:
    """An empty TwiML answer: the reply, if any, goes through the outbox."""
    return web.Response(text=str(MessagingResponse()), content_type="text/xml")


# -- the status callback, for every Twilio channel ----------------------------------------

TWILIO_CHANNELS = web.AppKey("twilio_channels", list[str])  # whose rows the callback finds


def install_status(app: web.Application, channel: str) -> None:
    """Serve the status callback (once, whichever Twilio channel comes first) and let it
    find `channel`'s messages."""
    if TWILIO_CHANNELS not in app:
        app[TWILIO_CHANNELS] = []
        app.router.add_post(STATUS_PATH, status_webhook)
    app[TWILIO_CHANNELS].append(channel)


async def status_webhook(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    form = await signed_form(request, STATUS_METRIC)
    if isinstance(form, web.Response):
        return form
    status = form.get("MessageStatus") or form.get("SmsStatus") or ""
    sid = message_sid(form)
    if status not in STATUSES:
        count_rejection(STATUS_METRIC, "malformed")
        return web.Response(status=400, text="unknown MessageStatus")
    if not sid or len(sid) > MAX_SID:
        count_rejection(STATUS_METRIC, "malformed")
        return web.Response(status=400, text="MessageSid is required")
    code = form.get("ErrorCode", "")
    known = code.isdecimal() and len(code) <= 9  # Twilio's codes have five digits
    try:
        await apply_status(services, request.app[TWILIO_CHANNELS], sid, status,
                           int(code) if known else None)
    except Exception:
        log.exception("twilio_status_failed", extra={"event": "twilio_status_failed"})
        count_rejection(STATUS_METRIC, "error")
        return web.Response(status=500, text="not recorded; retry")
    return web.Response(status=200, text="")


async def apply_status(services: Services, channels: list[str], sid: str,
                       status: str, code: int | None) -> None:
    """Record what Twilio says became of a message we sent, on any Twilio channel.
    Unknown sids are ignored."""
    now = services.clock.now()
    async with services.db.transaction() as session:
        row = await sent_by_provider_id(session, channels, sid)
        if row is None or row.id is None:
            return
        if status in PROGRESS:
            if PROGRESS[status] > PROGRESS.get(row.status, 0) and row.status != "failed":
                row.status = status
            return
        if status == "canceled":
            row.status = "cancelled"
            return
        if status not in ("failed", "undelivered"):
            return  # accepted, queued, sending ...: nothing to record yet
        outcome = classify_error(400, code, f"status {status}").outcome
        session.add(DeliveryAttempt(outbox_id=row.id, at=now, outcome=outcome,
                                    detail=f"status callback: {status} {code or ''}".strip()))
        if outcome in (OPTED_OUT, UNREACHABLE) and row.to_address:
            flags = {"opted_out": True} if outcome == OPTED_OUT else {"unreachable": True}
            await mark_address(session, row.channel, row.to_address, **flags)
        if outcome == RATE_LIMITED and row.status == "sent" and row.attempts < MAX_ATTEMPTS:
            row.status = "queued"  # the carrier refused it for now: the dispatcher sends it again
            wait = backoff_seconds(max(row.attempts, 1), services.dispatcher.rng)
            row.next_attempt_at = now + timedelta(seconds=wait)
            row.lease_until = None
            row.error = f"twilio {code}: rate limited"
            return
        if row.status in ("sent", "queued", "delivered"):
            row.status = "failed"
            row.error = f"twilio {code}: {status}" if code else status
