"""A fake Twilio REST API (Messages, and Content templates) that twilio's own Python client
can talk to, for SMS and for WhatsApp (`whatsapp:+46...` addresses, ContentSid sends)."""

from __future__ import annotations

import base64
import json
import math
import re
import time
import uuid
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any

from aiohttp import web
from twilio.rest import Client

from tests.fakes._server import ANY, SENDS, FakeServer, busiest_window

__all__ = ["ANY", "SENDS", "FakeTwilio", "SentSms", "TwilioCall", "point_client_at"]

JsonDict = dict[str, Any]
CREATE = "Messages.create"
FETCH = "Messages.fetch"
CONTENT = "Content.fetch"
WHATSAPP = "whatsapp:"
OUTSIDE_WINDOW = 63016  # a free-form WhatsApp message more than 24 hours after the person wrote

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXT = set("^{}\\[~]|€\f")
_ERRORS: dict[int, tuple[int, str]] = {
    400: (21211, "Invalid 'To' Phone Number"),
    401: (20003, "Authenticate"),
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


def point_client_at(client: Client, root: str) -> Client:
    """Make `client` send its api.twilio.com calls to `root` (e.g. ``fake.base_url``).

    twilio 9 builds every Messages URL from the ``api`` domain's ``base_url`` attribute
    (``twilio.base.domain.Domain.absolute_url``); ``client.api`` is created once and cached,
    so setting ``client.api.base_url`` sticks. Region and edge must be cleared too:
    ``ClientBase.get_hostname`` rewrites the host when either is set, and
    ``Client(..., environment={})`` does *not* shield them, because twilio reads
    ``environment or os.environ`` and an empty dict is falsy, so ``TWILIO_REGION`` and
    ``TWILIO_EDGE`` still come from ``os.environ``.
    """
    client.api.base_url = root.rstrip("/")
    client.content.base_url = root.rstrip("/")  # Content templates (content.twilio.com)
    client.region = None
    client.edge = None
    return client


def segments(body: str) -> int:
    """How many SMS segments `body` takes: GSM-7 (160/153) or UCS-2 (70/67)."""
    if all(ch in _GSM7 or ch in _GSM7_EXT for ch in body):
        units = sum(2 if ch in _GSM7_EXT else 1 for ch in body)
        return 1 if units <= 160 else math.ceil(units / 153)
    units = len(body.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


@dataclass(slots=True)
class TwilioCall:
    """One request the fake received; `status` is the HTTP status it was answered with."""

    method: str
    to: str | None
    params: dict[str, str]
    at: float
    status: int = 0


@dataclass(slots=True)
class SentSms:
    """One accepted Messages.create: the form it got and the resource it returned. A
    template send has `content_sid` and `body` is the template filled with its variables;
    `error_code` is what the status callback will report (63016 outside WhatsApp's window)."""

    sid: str
    to: str
    from_: str | None
    body: str
    status_callback: str | None
    params: dict[str, str]
    resource: JsonDict
    at: float
    content_sid: str | None = None
    error_code: int | None = None


class FakeTwilio(FakeServer):
    """Speaks ``/2010-04-01/Accounts/{AccountSid}/Messages.json`` with HTTP basic auth.

    ``base_url`` is the root that replaces ``https://api.twilio.com``; see
    :func:`point_client_at` for pointing a real ``twilio.rest.Client`` there. Sends are rate
    limited by ``overall_limit`` and ``per_number_limit`` (per sliding second, 429 code
    20429), refused for ``unsubscribe``-d numbers (400 code 21610) and ``mark_not_mobile``
    numbers (400 code 21614), and take the scripted and random faults of the base class.
    """

    def __init__(
        self,
        account_sid: str = "AC" + "0" * 32,
        auth_token: str = "test-auth-token",
        *,
        overall_limit: int | None = None,
        per_number_limit: int | None = None,
        error_ratio: float = 0.0,
        error_status: int = 500,
        timeout_ratio: float = 0.0,
        timeout_seconds: float = 10.0,
        seed: int | None = None,
    ) -> None:
        super().__init__(
            overall_limit=overall_limit,
            per_key_limit=per_number_limit,
            error_ratio=error_ratio,
            error_status=error_status,
            timeout_ratio=timeout_ratio,
            timeout_seconds=timeout_seconds,
            seed=seed,
        )
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.requests: list[TwilioCall] = []
        self.sent: list[SentSms] = []
        self.unsubscribed: set[str] = set()
        self.not_mobile: set[str] = set()
        self.resources: dict[str, JsonDict] = {}
        self.templates: dict[str, JsonDict] = {}  # ContentSid -> Content resource
        self.closed_windows: set[str] = set()  # whatsapp: numbers silent for over 24 hours
        credentials = f"{account_sid}:{auth_token}".encode()
        self._authorization = "Basic " + base64.b64encode(credentials).decode()

    def build_app(self) -> web.Application:
        app = web.Application()
        prefix = "/2010-04-01/Accounts/{account}/Messages"
        app.router.add_post(prefix + ".json", self._create)
        app.router.add_get(prefix + "/{sid}.json", self._fetch)
        app.router.add_get("/v1/Content/{sid}", self._content)
        return app

    # -- set-up and inspection for tests ---------------------------------------------------

    def unsubscribe(self, number: str) -> None:
        """Sends to `number` fail with 21610, as after the person texted STOP."""
        self.unsubscribed.add(number)

    def mark_not_mobile(self, number: str) -> None:
        """Sends to `number` fail with 21614 (a landline or otherwise not a mobile number)."""
        self.not_mobile.add(number)

    def add_template(self, body: str, language: str = "sv") -> str:
        """A twilio/text Content template WhatsApp approved; returns its ContentSid."""
        sid = "HX" + uuid.uuid4().hex
        stamp = "2026-01-01T00:00:00Z"
        self.templates[sid] = {
            "sid": sid, "account_sid": self.account_sid, "friendly_name": f"template {sid[-6:]}",
            "language": language, "date_created": stamp, "date_updated": stamp,
            "variables": {name: name for name in _VARIABLE.findall(body)},
            "types": {"twilio/text": {"body": body}},
            "url": f"https://content.twilio.com/v1/Content/{sid}",
            "links": {"approval_fetch": f"https://content.twilio.com/v1/Content/{sid}/ApprovalRequests"},
        }
        return sid

    def close_window(self, number: str) -> None:
        """`whatsapp:+46...` last wrote over 24 hours ago: a free-form message to it is
        accepted, then fails with 63016 in the status callback, as Twilio does."""
        self.closed_windows.add(number)

    def callback_form(self, sid: str, status: str | None = None) -> dict[str, str]:
        """The status callback Twilio posts for message `sid`: delivered, or failed with
        the send's error code."""
        sent = next(s for s in self.sent if s.sid == sid)
        status = status or ("failed" if sent.error_code else "delivered")
        form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": self.account_sid,
                "From": sent.from_ or "", "To": sent.to, "MessageStatus": status,
                "SmsStatus": status, "ApiVersion": "2010-04-01"}
        if sent.to.startswith(WHATSAPP):
            form["ChannelPrefix"] = "whatsapp"
        if sent.error_code and status in ("failed", "undelivered"):
            form["ErrorCode"] = str(sent.error_code)
        return form

    @property
    def status_callbacks(self) -> list[tuple[str, str]]:
        """(message sid, StatusCallback URL) of every accepted send that asked for one."""
        return [(s.sid, s.status_callback) for s in self.sent if s.status_callback]

    def bodies(self, to: str | None = None) -> list[str]:
        return [s.body for s in self.sent if to is None or s.to == to]

    def max_window_count(self, window: float = 1.0, to: str | None = None) -> int:
        """The most sends accepted in any `window` seconds, overall or to one number."""
        if to is None:
            return super().max_window_count(window)
        return busiest_window(sorted(s.at for s in self.sent if s.to == to), window)

    def reset(self) -> None:
        """Forget calls, sends, windows and faults (not unsubscribed or landline numbers)."""
        self.requests.clear()
        self.sent.clear()
        self.accepted_at.clear()
        self.rates.clear()
        self._plan.clear()

    # -- the HTTP side ---------------------------------------------------------------------

    def _fail(
        self,
        call: TwilioCall,
        status: int,
        code: int | None = None,
        message: str | None = None,
        retry_after: int | None = None,
    ) -> web.Response:
        call.status = status
        default_code, default_message = _ERRORS.get(status, (status, "Error"))
        code = code or default_code
        payload = {
            "code": code,
            "message": message or default_message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        return web.Response(
            status=status,
            body=json.dumps(payload).encode(),
            content_type="application/json",
            headers=headers,
        )

    def _ok(self, call: TwilioCall, status: int, resource: JsonDict) -> web.Response:
        call.status = status
        return web.Response(
            status=status, body=json.dumps(resource).encode(), content_type="application/json"
        )

    def _refused(self, request: web.Request, call: TwilioCall) -> web.Response | None:
        if request.headers.get("Authorization") != self._authorization:
            return self._fail(call, 401)
        if request.match_info["account"] != self.account_sid:
            return self._fail(call, 404)
        return None

    async def _fault(self, call: TwilioCall) -> web.Response | None:
        fault = self.take_fault(call.method, call.method == CREATE)
        if fault is None:
            return None
        if fault.kind == "timeout":
            await self.hold(fault.seconds)
            return None if fault.deliver else self._fail(call, 504, 20504, "Gateway Timeout")
        retry_after = fault.retry_after or (1 if fault.status == 429 else None)
        return self._fail(call, fault.status, fault.code, fault.description, retry_after)

    async def _create(self, request: web.Request) -> web.Response:
        form = await request.post()
        params = {key: str(value) for key, value in form.items()}
        to = params.get("To")
        call = TwilioCall(CREATE, to, params, time.monotonic())
        self.requests.append(call)
        refused = self._refused(request, call)
        if refused is None:
            refused = await self._fault(call)
        if refused is not None:
            return refused
        sender, service = params.get("From"), params.get("MessagingServiceSid")
        body = params.get("Body", "")
        content_sid, variables = params.get("ContentSid"), params.get("ContentVariables")
        if not to:
            return self._fail(call, 400, 21604, "A 'To' phone number is required.")
        if not sender and not service:
            return self._fail(call, 400, 21603, "A 'From' phone number is required.")
        if variables is not None and not content_sid:
            return self._fail(call, 400, 21654, "ContentSid Required")
        if content_sid:
            filled = self._fill(content_sid, variables)
            if isinstance(filled, tuple):
                return self._fail(call, 400, *filled)
            body = filled
        elif not body and "MediaUrl" not in params:
            return self._fail(call, 400, 21602, "Message body is required.")
        if len(body) > 1600:
            return self._fail(
                call, 400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        whatsapp = to.startswith(WHATSAPP)
        if sender and whatsapp != sender.startswith(WHATSAPP):
            return self._fail(call, 400, 21910, "Invalid From and To pair. From and To should be "
                                                "of the same channel")
        if not _E164.match(to.removeprefix(WHATSAPP)):
            return self._fail(call, 400, 21211, f"Invalid 'To' Phone Number: {to}")
        if to in self.unsubscribed:
            return self._fail(call, 400, 21610, "Attempt to send to unsubscribed recipient")
        if to in self.not_mobile:
            return self._fail(call, 400, 21614, "'To' number is not a valid mobile number")
        now = time.monotonic()
        wait = self.rates.refuse(to, now)
        if wait is not None:
            return self._fail(call, 429, retry_after=wait)
        media = len(form.getall("MediaUrl", []))
        resource = self._resource(to, sender or None, service, body, media)
        self.resources[resource["sid"]] = resource
        self.record_accepted(now)
        late = whatsapp and not content_sid and to in self.closed_windows
        self.sent.append(
            SentSms(resource["sid"], to, sender, body, params.get("StatusCallback"), params,
                    resource, now, content_sid, OUTSIDE_WINDOW if late else None)
        )
        return self._ok(call, 201, resource)

    def _fill(self, content_sid: str, variables: str | None) -> str | tuple[int, str]:
        """The template's text with the variables filled in, or (code, message) refusing it."""
        template = self.templates.get(content_sid)
        if template is None:
            return 21655, "The ContentSid is Invalid."
        try:
            values = json.loads(variables) if variables else {}
        except json.JSONDecodeError:
            return 21656, "The ContentVariables Parameter is invalid."
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            return 21656, "The ContentVariables Parameter is invalid."
        body = template["types"]["twilio/text"]["body"]
        defaults = template["variables"]
        return _VARIABLE.sub(lambda m: values.get(m.group(1), defaults.get(m.group(1), "")), body)

    async def _content(self, request: web.Request) -> web.Response:
        sid = request.match_info["sid"]
        call = TwilioCall(CONTENT, None, {"Sid": sid}, time.monotonic())
        self.requests.append(call)
        if request.headers.get("Authorization") != self._authorization:
            return self._fail(call, 401)
        template = self.templates.get(sid)
        if template is None:
            return self._fail(call, 404, 20404, f"The requested resource {request.path} was not found")
        return self._ok(call, 200, template)

    def _resource(self, to: str, sender: str | None, service: str | None, body: str, media: int) -> JsonDict:
        sid = "SM" + uuid.uuid4().hex
        stamp = formatdate(usegmt=False)
        base = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": body,
            "date_created": stamp,
            "date_sent": None,
            "date_updated": stamp,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender,
            "messaging_service_sid": service,
            "num_media": str(media),
            "num_segments": str(segments(body)),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued" if sender else "accepted",
            "subresource_uris": {"media": f"{base}/Media.json"},
            "to": to,
            "uri": f"{base}.json",
        }

    async def _fetch(self, request: web.Request) -> web.Response:
        sid = request.match_info["sid"]
        call = TwilioCall(FETCH, None, {"Sid": sid}, time.monotonic())
        self.requests.append(call)
        refused = self._refused(request, call)
        if refused is None:
            refused = await self._fault(call)
        if refused is not None:
            return refused
        resource = self.resources.get(sid)
        if resource is None:
            return self._fail(call, 404, 20404, f"The requested resource {request.path} was not found")
        return self._ok(call, 200, resource)
