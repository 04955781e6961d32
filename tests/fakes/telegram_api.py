"""A fake Telegram Bot API server that the real python-telegram-bot client can talk to."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from multidict import MultiMapping

from tests.fakes._server import ANY, SENDS, FakeServer, busiest_window

__all__ = ["ANY", "SENDS", "FakeTelegram", "SentMessage", "TelegramCall", "UploadedFile"]

JsonDict = dict[str, Any]

BLOCKED = "Forbidden: bot was blocked by the user"
_JSON_KEYS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "allowed_updates",
        "media",
        "commands",
        "scope",
    }
)
_INT_KEYS = frozenset({"message_id", "offset", "limit", "timeout", "message_thread_id"})
_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: BLOCKED,
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(slots=True)
class UploadedFile:
    """A file part of a multipart request (e.g. the `.ics` of sendDocument)."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass(slots=True)
class TelegramCall:
    """One request the fake received; `status` is the HTTP status it was answered with."""

    method: str
    chat_id: int | str | None
    params: JsonDict
    at: float
    status: int = 0


@dataclass(slots=True)
class SentMessage:
    """One accepted send: the request's parameters and the Message the fake returned."""

    method: str
    chat_id: int | str
    params: JsonDict
    message: JsonDict
    at: float
    text: str | None = field(default=None)


def _coerce(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key == "chat_id":
        return int(value) if value.lstrip("-").isdigit() else value
    if key in _INT_KEYS and value.lstrip("-").isdigit():
        return int(value)
    if key in _JSON_KEYS and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if value in ("true", "false") and key not in ("text", "caption"):
        return value == "true"
    return value


def _chat(chat_id: int | str) -> JsonDict:
    if isinstance(chat_id, str):
        name = chat_id.lstrip("@")
        return {"id": -1001000000000, "title": name, "username": name, "type": "channel"}
    if chat_id > 0:
        return {"id": chat_id, "first_name": "Test", "type": "private"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "title": "Test group", "type": kind}


def _answer(status: int, payload: JsonDict) -> web.Response:
    return web.Response(status=status, body=json.dumps(payload).encode(), content_type="application/json")


class FakeTelegram(FakeServer):
    """Speaks the Bot API at `{root_url}/bot{token}/{method}`.

    Point python-telegram-bot at it with ``telegram.Bot(token, base_url=f"{fake.base_url}/bot")``
    (PTB appends the token, then ``/{method}``); our app takes ``fake.root_url`` as
    ``JOBBTORG_TELEGRAM_API_URL``. Sends (``send*``, ``copyMessage``, ``forwardMessage``) are
    rate limited by ``overall_limit`` and ``per_chat_limit`` (per sliding second, 429 with
    ``retry_after``), fail for blocked chats (403) and take the scripted faults of
    ``fail_next``/``timeout_next`` and the random ``error_ratio``/``timeout_ratio``.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_username: str = "jobbtorg_test_bot",
        overall_limit: int | None = None,
        per_chat_limit: int | None = None,
        error_ratio: float = 0.0,
        error_status: int = 500,
        timeout_ratio: float = 0.0,
        timeout_seconds: float = 10.0,
        seed: int | None = None,
        max_poll_seconds: float = 1.0,
    ) -> None:
        super().__init__(
            overall_limit=overall_limit,
            per_key_limit=per_chat_limit,
            error_ratio=error_ratio,
            error_status=error_status,
            timeout_ratio=timeout_ratio,
            timeout_seconds=timeout_seconds,
            seed=seed,
        )
        self.token = token
        self.bot_username = bot_username
        self.max_poll_seconds = max_poll_seconds
        self.requests: list[TelegramCall] = []
        self.sent: list[SentMessage] = []
        self.blocked: set[int | str] = set()
        self.messages: dict[tuple[int | str, int], JsonDict] = {}
        self.updates: list[JsonDict] = []
        self.webhook: JsonDict = {}
        self._next_message_id = 0
        self._next_update_id = 1
        self._update_arrived = asyncio.Event()

    # -- set-up for tests ------------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        return app

    @property
    def bot_base_url(self) -> str:
        """The value for PTB's ``Bot(base_url=...)``."""
        return f"{self.root_url}/bot"

    def block_chat(self, chat_id: int | str) -> None:
        """Sends to `chat_id` now fail with 403 "Forbidden: bot was blocked by the user"."""
        self.blocked.add(chat_id)

    def unblock_chat(self, chat_id: int | str) -> None:
        self.blocked.discard(chat_id)

    def queue_update(self, update: JsonDict) -> JsonDict:
        """Queue an Update for getUpdates; an `update_id` is assigned when missing."""
        update = dict(update)
        update.setdefault("update_id", self._next_update_id)
        self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        self.updates.append(update)
        self._update_arrived.set()
        return update

    def texts(self, chat_id: int | str | None = None) -> list[str | None]:
        """Texts (or captions) of accepted sends, oldest first, optionally to one chat."""
        return [s.text for s in self.sent if chat_id is None or s.chat_id == chat_id]

    def calls(self, method: str) -> list[TelegramCall]:
        return [r for r in self.requests if r.method == method]

    def max_window_count(self, window: float = 1.0, chat_id: int | str | None = None) -> int:
        """The most sends accepted in any `window` seconds, overall or to one chat."""
        if chat_id is None:
            return super().max_window_count(window)
        return busiest_window(sorted(s.at for s in self.sent if s.chat_id == chat_id), window)

    def reset(self) -> None:
        """Forget calls, sends, windows and faults (not blocks, updates or the webhook)."""
        self.requests.clear()
        self.sent.clear()
        self.accepted_at.clear()
        self.rates.clear()
        self._plan.clear()

    # -- the HTTP side ---------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        chat_id = params.get("chat_id")
        call = TelegramCall(method, chat_id, params, time.monotonic())
        self.requests.append(call)
        if self.token is not None and request.match_info["token"] != self.token:
            return self._fail(call, 401, "Unauthorized")
        is_send = method.startswith("send") or method in ("copyMessage", "forwardMessage")
        fault = self.take_fault(method, is_send)
        if fault is not None:
            if fault.kind == "timeout":
                await self.hold(fault.seconds)
                if not fault.deliver:
                    return self._fail(call, 504)
            else:
                retry = fault.retry_after or (1 if fault.status == 429 else None)
                return self._fail(call, fault.status, fault.description, retry)
        if is_send:
            return self._send(call, request.match_info["token"])
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._ok(call, True)
        result: web.Response = await handler(call, request.match_info["token"])
        return result

    async def _params(self, request: web.Request) -> JsonDict:
        raw: dict[str, Any] = dict(request.query)
        if request.body_exists:
            if request.content_type == "application/json":
                raw.update(await request.json())
            elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form: MultiMapping[Any] = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        data = value.file.read()
                        raw[key] = UploadedFile(value.filename, value.content_type, data)
                    else:
                        raw[key] = value
        for key, value in list(raw.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                raw[key] = raw.get(value[len("attach://") :], value)
        return {key: _coerce(key, value) for key, value in raw.items()}

    def _ok(self, call: TelegramCall, result: Any) -> web.Response:
        call.status = 200
        return _answer(200, {"ok": True, "result": result})

    def _fail(
        self,
        call: TelegramCall,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> web.Response:
        call.status = status
        if description is None:
            description = _DESCRIPTIONS.get(status, "Error")
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after or 1}"
        payload: JsonDict = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            payload["parameters"] = {"retry_after": retry_after}
        return _answer(status, payload)

    def _bot_user(self, token: str) -> JsonDict:
        prefix = token.split(":", 1)[0]
        return {
            "id": int(prefix) if prefix.isdigit() else 7000000001,
            "is_bot": True,
            "first_name": "Jobbtorg",
            "username": self.bot_username,
        }

    def _message(self, chat_id: int | str, token: str, **extra: Any) -> JsonDict:
        self._next_message_id += 1
        message: JsonDict = {
            "message_id": self._next_message_id,
            "from": self._bot_user(token),
            "chat": _chat(chat_id),
            "date": int(time.time()),
        }
        message.update(extra)
        return message

    def _send(self, call: TelegramCall, token: str) -> web.Response:
        params, chat_id, method = call.params, call.chat_id, call.method
        if chat_id is None or chat_id == "":
            return self._fail(call, 400, "Bad Request: chat_id is empty")
        extra: JsonDict = {}
        text: str | None = None
        if method == "sendMessage":
            text = params.get("text")
            if not text:
                return self._fail(call, 400, "Bad Request: message text is empty")
            if len(text) > 4096:
                return self._fail(call, 400, "Bad Request: message is too long")
            extra["text"] = text
        else:
            text = params.get("caption")
            if text:
                extra["caption"] = text
            for kind in ("document", "photo", "audio", "video", "voice", "animation"):
                if kind in params:
                    extra[kind] = self._file_object(kind, params[kind])
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            extra["reply_markup"] = markup
        if chat_id in self.blocked:
            return self._fail(call, 403, BLOCKED)
        now = time.monotonic()
        wait = self.rates.refuse(chat_id, now)
        if wait is not None:
            return self._fail(call, 429, retry_after=wait)
        message = self._message(chat_id, token, **extra)
        self.messages[(chat_id, message["message_id"])] = message
        self.record_accepted(now)
        self.sent.append(SentMessage(method, chat_id, params, message, now, text))
        return self._ok(call, message)

    @staticmethod
    def _file_object(kind: str, value: Any) -> Any:
        file_id = uuid.uuid4().hex
        meta: JsonDict = {"file_id": file_id, "file_unique_id": file_id[:16]}
        if isinstance(value, UploadedFile):
            meta["file_size"] = len(value.data)
            if kind == "document":
                meta["file_name"] = value.filename or "file"
                meta["mime_type"] = value.content_type
        if kind == "photo":
            return [{**meta, "width": 90, "height": 90}]
        return meta

    # -- other methods: `_m_<method>(call, token)` -----------------------------------------

    async def _m_getMe(self, call: TelegramCall, token: str) -> web.Response:  # noqa: N802
        user = self._bot_user(token)
        user.update(
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
        return self._ok(call, user)

    async def _m_answerCallbackQuery(  # noqa: N802
        self, call: TelegramCall, token: str
    ) -> web.Response:
        if not call.params.get("callback_query_id"):
            return self._fail(
                call, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        return self._ok(call, True)

    async def _edit(self, call: TelegramCall, token: str, **changes: Any) -> web.Response:
        params = call.params
        if params.get("inline_message_id"):
            return self._ok(call, True)
        chat_id, message_id = call.chat_id, params.get("message_id")
        if chat_id is None or not isinstance(message_id, int):
            return self._fail(call, 400, "Bad Request: message identifier is not specified")
        message = self.messages.get((chat_id, message_id))
        if message is None:  # pressed on a message this fake never sent: make one up
            message = self._message(chat_id, token, message_id=message_id)
        message = {**message, "edit_date": int(time.time()), **changes}
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        self.messages[(chat_id, message_id)] = message
        return self._ok(call, message)

    async def _m_editMessageReplyMarkup(  # noqa: N802
        self, call: TelegramCall, token: str
    ) -> web.Response:
        return await self._edit(call, token)

    async def _m_editMessageText(self, call: TelegramCall, token: str) -> web.Response:  # noqa: N802
        return await self._edit(call, token, text=call.params.get("text", ""))

    async def _m_setWebhook(self, call: TelegramCall, token: str) -> web.Response:  # noqa: N802
        url = call.params.get("url", "")
        self.webhook = {key: value for key, value in call.params.items() if key != "certificate"}
        if not url:
            self.webhook = {}
        return self._ok(call, True)

    async def _m_deleteWebhook(self, call: TelegramCall, token: str) -> web.Response:  # noqa: N802
        self.webhook = {}
        if call.params.get("drop_pending_updates"):
            self.updates.clear()
        return self._ok(call, True)

    async def _m_getWebhookInfo(self, call: TelegramCall, token: str) -> web.Response:  # noqa: N802
        info: JsonDict = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        for key in ("max_connections", "allowed_updates", "ip_address"):
            if key in self.webhook:
                info[key] = self.webhook[key]
        return self._ok(call, info)

    async def _m_getUpdates(self, call: TelegramCall, token: str) -> web.Response:  # noqa: N802
        if self.webhook.get("url"):
            return self._fail(
                call,
                409,
                "Conflict: can't use getUpdates method while webhook "
                "is active; use deleteWebhook to delete the webhook first",
            )
        offset = int(call.params.get("offset") or 0)
        limit = int(call.params.get("limit") or 100)
        timeout = min(float(call.params.get("timeout") or 0), self.max_poll_seconds)
        if offset > 0:
            self.updates = [u for u in self.updates if int(u["update_id"]) >= offset]
        deadline = time.monotonic() + timeout
        while not self.updates and (left := deadline - time.monotonic()) > 0:
            self._update_arrived.clear()
            try:
                await asyncio.wait_for(self._update_arrived.wait(), left)
            except TimeoutError:
                break
        batch = self.updates[offset:] if offset < 0 else self.updates[:limit]
        return self._ok(call, batch[:limit])
