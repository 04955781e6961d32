"""Telegram: the webhook (and development polling) in, python-telegram-bot out.

Updates are read tolerantly from the raw JSON, because real payloads are not always what
`Update.de_json` expects (no `is_bot`, no `file_unique_id`). We keep the chat id and what
was written, never names or usernames. Sending happens only in the dispatcher, through
`TelegramSender`; the webhook itself only answers button presses and removes the pressed
keyboard.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import telegram
from aiohttp import web
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channels.telegram_request import AiohttpRequest
from bot.media import is_unicode
from bot.metrics import count_rejection
from bot.outbox import (
    BLOCKED,
    FAILED,
    RATE_LIMITED,
    RETRY,
    SENT,
    SKIPPED,
    UNREACHABLE,
    ChannelPace,
    SendResult,
)
from bot.services import SERVICES
from bot.settings import Settings
from handlers.base import Inbound
from storage.capabilities import Capabilities, Medium
from storage.models import Outbox
from storage.queue import mark_address

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.services import Services
    from storage.db import Database

log = logging.getLogger("jobbtorg.telegram")

TELEGRAM = "telegram"  # the channel's name on addresses and outbox rows
MAX_TEXT = 4096  # characters in one message
IN_FLIGHT = 48  # requests in flight at once: more only adds contention (measured)
WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
CALLBACK_DATA_BYTES = 64  # Telegram's limit on a button's callback_data
PAIR_LABEL_CHARS = 14  # two buttons this short share a row

# Message content we cannot read, by the field Telegram puts it in. Order matters: an
# animation also carries a document, a venue also a location.
CONTENT_KINDS = (
    "sticker", "animation", "photo", "video", "video_note", "voice", "audio", "document",
    "venue", "location", "contact", "poll", "dice", "game", "web_app_data", "story",
    "paid_media", "invoice", "giveaway", "checklist",
)


class NotAnUpdate(ValueError):
    """The body is JSON but not a Telegram Update."""


@dataclass(frozen=True)
class TelegramEvent:
    """What one update means to us."""

    update_id: int
    action: str  # "message", "member", "ignore"
    chat_id: str = ""
    inbound: Inbound | None = None
    callback_id: str | None = None
    pressed_message_id: int | None = None  # the message whose keyboard was pressed
    reachable: bool | None = None  # for "member": blocked (False) or back (True)
    reason: str = ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    """An id as Telegram sends it: a signed 64-bit integer (longer ones are not ids)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.lstrip("-").isdecimal() and len(value) <= 20:
        value = int(value)
    if isinstance(value, int) and -(2 ** 63) <= value < 2 ** 63:
        return value
    return None


def _private_chat(chat: dict[str, Any]) -> int | None:
    """The chat id when the chat is a private one (older payloads may lack `type`)."""
    chat_id = _int(chat.get("id"))
    if chat_id is None:
        return None
    kind = chat.get("type")
    if kind == "private" or (kind is None and chat_id > 0):
        return chat_id
    return None


def split_start(text: str) -> tuple[str, str | None]:
    """'/start src-bibliotek' -> ('/start', 'src-bibliotek'); other text is unchanged."""
    command, _, rest = text.strip().partition(" ")
    if command.split("@", 1)[0].lower() != "/start":
        return text, None
    return "/start", rest.strip()[:64] or None


def parse_update(data: Any) -> TelegramEvent:
    """Read one Update from decoded JSON. Raises NotAnUpdate when it is not one."""
    if not isinstance(data, dict):
        raise NotAnUpdate("an update is a JSON object")
    update_id = _int(data.get("update_id"))
    if update_id is None:
        raise NotAnUpdate("an update has an integer update_id")
    if "message" in data:
        return _message_event(update_id, _dict(data["message"]))
    if "callback_query" in data:
        return _callback_event(update_id, _dict(data["callback_query"]))
    if "my_chat_member" in data:
        return _member_event(update_id, _dict(data["my_chat_member"]))
    kinds = [key for key in data if key != "update_id"]
    return TelegramEvent(update_id, "ignore", reason=kinds[0] if kinds else "empty")


def _message_event(update_id: int, message: dict[str, Any]) -> TelegramEvent:
    chat_id = _private_chat(_dict(message.get("chat")))
    if chat_id is None:
        return TelegramEvent(update_id, "ignore", reason="not a private chat")
    sender_id = _int(_dict(message.get("from")).get("id"))
    text = message.get("text")
    if isinstance(text, str):
        text, payload = split_start(text)
        inbound = Inbound(text=text[:MAX_TEXT], start_payload=payload, sender_id=sender_id)
    else:
        kind = next((k for k in CONTENT_KINDS if k in message), None)
        if kind is None:
            return TelegramEvent(update_id, "ignore", reason="service message")
        inbound = Inbound(kind=kind, sender_id=sender_id)
    return TelegramEvent(update_id, "message", str(chat_id), inbound)


def _callback_event(update_id: int, query: dict[str, Any]) -> TelegramEvent:
    message = _dict(query.get("message"))
    sender_id = _int(_dict(query.get("from")).get("id"))
    chat_id = _private_chat(_dict(message.get("chat"))) if message else sender_id
    callback_id = query.get("id") if isinstance(query.get("id"), str) else None
    if callback_id is not None and (len(callback_id) > 64 or not is_unicode(callback_id)):
        callback_id = None
    data = query.get("data")
    if chat_id is None or not isinstance(data, str):
        return TelegramEvent(update_id, "ignore", callback_id=callback_id, reason="no usable button")
    return TelegramEvent(update_id, "message", str(chat_id),
                         Inbound(choice=data, sender_id=sender_id), callback_id=callback_id,
                         pressed_message_id=_int(message.get("message_id")))


def _member_event(update_id: int, change: dict[str, Any]) -> TelegramEvent:
    chat_id = _private_chat(_dict(change.get("chat")))
    status = _dict(change.get("new_chat_member")).get("status")
    if chat_id is None or status not in ("kicked", "member"):
        return TelegramEvent(update_id, "ignore", reason="membership elsewhere")
    return TelegramEvent(update_id, "member", str(chat_id), reachable=status == "member")


# -- rendering --------------------------------------------------------------------------

def keyboard(options: list[dict[str, str]]) -> telegram.InlineKeyboardMarkup | None:
    """Options as inline buttons: one per row, or two short ones side by side."""
    buttons = []
    for option in options:
        key = option.get("key", "")
        if not key or len(key.encode()) > CALLBACK_DATA_BYTES:
            log.error("option_key_unusable", extra={"event": "option_key_unusable"})
            continue
        buttons.append(telegram.InlineKeyboardButton(option.get("label") or key, callback_data=key))
    if not buttons:
        return None
    rows: list[list[telegram.InlineKeyboardButton]] = []
    for button in buttons:
        last = rows[-1] if rows else None
        if (last is not None and len(last) == 1 and len(last[0].text) <= PAIR_LABEL_CHARS
                and len(button.text) <= PAIR_LABEL_CHARS):
            last.append(button)
        else:
            rows.append([button])
    return telegram.InlineKeyboardMarkup(rows)


def chat_id_of(address: str) -> int | str:
    return int(address) if address.lstrip("-").isdigit() else address


# -- sending ----------------------------------------------------------------------------

def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns while it moves from int to timedelta
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    """Sends outbox rows with python-telegram-bot: text with an inline keyboard, or a
    document (e.g. the .ics of a booking) with the text as its caption."""

    def __init__(self, settings: Settings, max_in_flight: int = 64, read_timeout: float = 10.0) -> None:
        self.settings = settings
        self.max_in_flight = max_in_flight
        self.read_timeout = read_timeout  # an answer slower than this is retried later
        self._bot: telegram.Bot | None = None
        self._ready = asyncio.Lock()

    async def bot(self) -> telegram.Bot:
        """The Bot, created and initialised (getMe) on first use in the running loop."""
        async with self._ready:
            if self._bot is None:
                request = AiohttpRequest(self.max_in_flight + 8, read_timeout=self.read_timeout)
                bot = telegram.Bot(self.settings.telegram_token,
                                   base_url=f"{self.settings.telegram_api_url.rstrip('/')}/bot",
                                   base_file_url=f"{self.settings.telegram_api_url.rstrip('/')}/file/bot",
                                   request=request)
                try:
                    await bot.initialize()
                except BaseException:  # Telegram unreachable: close this try's connections
                    await request.shutdown()
                    raise
                self._bot = bot
            return self._bot

    async def close(self) -> None:
        if self._bot is not None:
            await self._bot.shutdown()
            self._bot = None

    async def send(self, row: Outbox) -> SendResult:
        if not row.text and row.attachment is None:
            return SendResult(SKIPPED, detail="nothing to send")
        try:
            bot = await self.bot()
            chat_id = chat_id_of(row.to_address)
            if row.attachment is not None:
                document = telegram.InputFile(row.attachment, filename=row.attachment_name or "file",
                                              attach=True)
                message = await bot.send_document(chat_id, document, caption=row.text or None)
            else:
                message = await bot.send_message(chat_id, row.text,
                                                 reply_markup=keyboard(row.options or []))
        except RetryAfter as exc:
            return SendResult(RATE_LIMITED, retry_after=_retry_seconds(exc), detail="429 flood control")
        except Forbidden as exc:  # blocked by the user, or the account is deactivated
            return SendResult(BLOCKED, detail=f"403 {exc.message}")
        except BadRequest as exc:
            gone = "chat not found" in exc.message.lower() or "user not found" in exc.message.lower()
            return SendResult(UNREACHABLE if gone else FAILED, detail=f"400 {exc.message}")
        except InvalidToken:
            log.error("telegram_token_rejected", extra={"event": "telegram_token_rejected"})
            return SendResult(RETRY, detail="the bot token was rejected")
        except TimedOut:
            return SendResult(RETRY, detail="timed out")
        except NetworkError as exc:  # 5xx and connection errors
            return SendResult(RETRY, detail=f"network: {exc.message}")
        except TelegramError as exc:
            return SendResult(FAILED, detail=exc.message)
        return SendResult(SENT, provider_message_id=str(message.message_id))


# -- receiving --------------------------------------------------------------------------

async def handle_event(services: Services, event: TelegramEvent) -> None:
    """Run one update: the engine for a message or press, the address flag for a block."""
    if event.action == "member":
        async with services.db.transaction() as session:
            await mark_address(session, TELEGRAM, event.chat_id, unreachable=not event.reachable)
        return
    if event.action != "message" or event.inbound is None:
        return
    handled = await services.engine.handle(TELEGRAM, event.chat_id, event.inbound,
                                           provider_id=str(event.update_id))
    if not handled.duplicate:
        services.dispatcher.wake()


async def acknowledge_press(services: Services, event: TelegramEvent) -> None:
    """Answer the button press and take its keyboard away, so it cannot be pressed twice."""
    sender = services.dispatcher.senders.get(TELEGRAM)
    if event.callback_id is None or not isinstance(sender, TelegramSender):
        return
    try:
        bot = await sender.bot()
        async with asyncio.timeout(10):
            await bot.answer_callback_query(event.callback_id)
            if event.pressed_message_id is not None:
                await bot.edit_message_reply_markup(chat_id_of(event.chat_id),
                                                    event.pressed_message_id, reply_markup=None)
    except (TelegramError, TimeoutError) as exc:  # the press was handled; this is cosmetic
        log.warning("press_ack_failed", extra={"event": "press_ack_failed", "error": type(exc).__name__})


async def webhook(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    expected = services.settings.telegram_webhook_secret.encode()
    given = request.headers.get(SECRET_HEADER, "").encode()
    if not expected or not hmac.compare_digest(given, expected):
        count_rejection(TELEGRAM, "secret")
        return web.json_response({"error": "wrong secret token"}, status=403)
    try:
        event = parse_update(json.loads(await request.read()))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # NotAnUpdate: a ValueError
        count_rejection(TELEGRAM, "malformed")
        return web.json_response({"error": f"not a Telegram update: {exc}"[:200]}, status=400)
    try:
        await handle_event(services, event)
    except Exception:
        log.exception("telegram_update_failed", extra={"event": "telegram_update_failed",
                                                       "update_id": event.update_id})
        count_rejection(TELEGRAM, "error")
        return web.json_response({"error": "not handled; retry"}, status=500)
    await acknowledge_press(services, event)
    return web.json_response({"ok": True})


def install(app: web.Application, services: Services) -> None:
    if enabled(services.settings):
        app.router.add_post(WEBHOOK_PATH, webhook)


# -- what Telegram is to the rest of the program ----------------------------------------

def capabilities(settings: Settings) -> list[Capabilities]:
    """Buttons, free to send, and the channel staff use (commands, hand-off notices)."""
    return [Capabilities(TELEGRAM, kind=TELEGRAM, label="Telegram",
                         medium=Medium(buttons=True, max_options=16), max_length=MAX_TEXT,
                         staff=True, rank=10)]


def enabled(settings: Settings) -> bool:
    return settings.telegram_enabled


def sender(settings: Settings, db: Database, clock: Clock) -> TelegramSender:
    return TelegramSender(settings, IN_FLIGHT)


def pace(settings: Settings) -> ChannelPace:
    """Telegram's limits: `telegram_rate` overall and one message per chat per second."""
    return ChannelPace(settings.telegram_rate, per_recipient_gap=1.0, max_in_flight=IN_FLIGHT)


async def startup_problem(settings: Settings) -> str | None:
    return None  # the webhook secret depends on --telegram-polling: check_telegram_secret


def endpoints(settings: Settings, base: str) -> list[str]:
    return [f"Telegram webhook: {base}{WEBHOOK_PATH} (register with `jobbtorg telegram "
            "set-webhook`; not used with --telegram-polling)"]


# -- development: getUpdates instead of a webhook ----------------------------------------

async def poll_updates(services: Services, stop: asyncio.Event, long_poll: int = 25) -> None:
    """Fetch updates with getUpdates until stopped (for development without a public URL)."""
    sender = services.dispatcher.senders.get(TELEGRAM)
    if not isinstance(sender, TelegramSender):
        return
    bot = await sender.bot()
    await bot.delete_webhook()
    offset = 0
    while not stop.is_set():
        try:
            updates = await bot.do_api_request(
                "getUpdates", api_kwargs={"offset": offset, "timeout": long_poll,
                                          "allowed_updates": ALLOWED_UPDATES},
                read_timeout=long_poll + 10)
        except TelegramError as exc:
            log.warning("poll_failed", extra={"event": "poll_failed", "error": type(exc).__name__})
            await _pause(stop, 2.0)
            continue
        for data in updates if isinstance(updates, list) else []:
            try:
                event = parse_update(data)
            except NotAnUpdate:
                continue
            try:
                await handle_event(services, event)
            except Exception:
                log.exception("telegram_update_failed", extra={"event": "telegram_update_failed"})
                await _pause(stop, 2.0)
                break  # not acknowledged: fetched again from this offset
            await acknowledge_press(services, event)
            offset = event.update_id + 1


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass


_TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def check_telegram_secret(settings: Settings, polling: bool) -> None:
    """A webhook without a secret would accept anyone's updates."""
    if not settings.telegram_enabled or polling:
        return
    if not _TELEGRAM_SECRET.match(settings.telegram_webhook_secret):
        raise SystemExit("Telegram is on but JOBBTORG_TELEGRAM_WEBHOOK_SECRET is missing or not "
                         "1-256 characters of A-Z, a-z, 0-9, _ and -. Set one (or use "
                         "--telegram-polling for development).")
