"""The real app wired to the fake providers, for channel tests: settings, services, client.

`wired(...)` builds `bot.root.build_services` with settings that point Telegram and
Twilio at the fakes (as `jobbtorg serve` would with those variables set), seeds the
Stockholm data and serves the app on loopback. Helpers post signed Twilio forms and
Telegram updates with the right secret.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.clock import DemoClock
from bot.root import build_services
from bot.services import Services
from bot.settings import load_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio
from tests.fakes.twilio_signing import sign

PUBLIC_URL = "https://bot.example.se"
TOKEN = "123456:TEST-token"
SECRET = "webhook-secret_42"
OUR_NUMBER = "+46766860000"
TELEGRAM_PATH = "/webhooks/telegram"
SMS_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"


@dataclass
class Wired:
    services: Services
    client: TestClient[Any, Any]
    telegram: FakeTelegram | None
    twilio: FakeTwilio | None

    async def update(self, update: Mapping[str, Any], secret: str | None = SECRET) -> ClientResponse:
        """POST one Telegram update to the webhook (with the secret header unless None)."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return await self.client.post(TELEGRAM_PATH, data=json.dumps(update), headers=headers)

    async def sms_post(self, path: str, form: Mapping[str, str], *, signed: bool = True,
                       tamper: Mapping[str, str] | None = None) -> ClientResponse:
        """POST a Twilio form, signed for PUBLIC_URL + path; `tamper` changes fields after signing."""
        assert self.twilio is not None
        headers = {}
        if signed:
            headers["X-Twilio-Signature"] = sign(self.twilio.auth_token, PUBLIC_URL + path, dict(form))
        body = {**form, **(tamper or {})}
        return await self.client.post(path, data=body, headers=headers)

    async def drain(self) -> int:
        """Run the dispatcher until nothing is ready now."""
        return await self.services.dispatcher.drain()

    def advance(self, seconds: float) -> None:
        """Move the clock that stamps the database (retries fall due), not real time."""
        assert isinstance(self.services.clock, DemoClock)
        self.services.clock.advance(seconds)


@asynccontextmanager
async def wired(database_url: str, *, telegram: FakeTelegram | None = None,
                twilio: FakeTwilio | None = None, full_demo: bool = False,
                **overrides: Any) -> AsyncIterator[Wired]:
    """The app on `database_url` with the given fakes; seeded with the Stockholm places
    (or, with `full_demo`, everything `jobbtorg demo` seeds: staff, opening hours, ...)."""
    from bot.demo import seed_demo
    from storage.places import seed_stockholm

    values: dict[str, Any] = {"database_url": database_url, "public_url": PUBLIC_URL,
                              "secret_key": "test-secret-key"}
    if telegram is not None:
        values.update(telegram_token=TOKEN, telegram_webhook_secret=SECRET,
                      telegram_api_url=telegram.root_url)
    if twilio is not None:
        values.update(twilio_account_sid=twilio.account_sid, twilio_auth_token=twilio.auth_token,
                      twilio_from=OUR_NUMBER, twilio_api_url=twilio.base_url, sms_mps=100)
    values.update(overrides)
    services = await build_services(load_settings(**values), clock=DemoClock())
    async with services.db.transaction() as session:
        if full_demo:
            await seed_demo(session, services.clock.now())
        else:
            await seed_stockholm(session)
    try:
        async with TestClient(TestServer(build_app(services))) as client:
            yield Wired(services, client, telegram, twilio)
    finally:
        await services.close()


def text_update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    """A private-chat text message as Telegram sends it today."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Test"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1700000000, "text": text, "from": user,
        "chat": {"id": chat_id, "type": "private", "first_name": "Test"}}}


def press_update(update_id: int, chat_id: int, data: str, message_id: int) -> dict[str, Any]:
    """A button press on message `message_id` in a private chat."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Test"}
    return {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "from": user, "chat_instance": "1", "data": data,
        "message": {"message_id": message_id, "date": 1700000000, "text": "?",
                    "chat": {"id": chat_id, "type": "private"}}}}


def sms_form(sid: str, sender: str, body: str, to: str = OUR_NUMBER) -> dict[str, str]:
    """An inbound SMS form post as Twilio sends it."""
    return {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32, "From": sender,
            "To": to, "Body": body, "NumMedia": "0", "NumSegments": "1", "SmsStatus": "received",
            "ApiVersion": "2010-04-01"}
