"""`jobbtorg telegram set-webhook | webhook-info | delete-webhook` against the fake Bot API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from bot.root import cli as app
from tests.fakes import FakeTelegram
from tests.fakes.wiring import SECRET, TOKEN


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """The fake on its own event loop in a thread, so the CLI can run its own asyncio.run."""
    import asyncio

    loop = asyncio.new_event_loop()
    server = FakeTelegram()
    loop.run_until_complete(server.start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield server
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def env(fake: FakeTelegram, **extra: str) -> dict[str, str]:
    values = {"JOBBTORG_TELEGRAM_TOKEN": TOKEN, "JOBBTORG_TELEGRAM_API_URL": fake.root_url,
              "JOBBTORG_TELEGRAM_WEBHOOK_SECRET": SECRET,
              "JOBBTORG_PUBLIC_URL": "https://bot.example.se"}
    values.update(extra)
    return values


def test_set_webhook_registers_the_url_secret_and_update_types(fake):
    result = CliRunner().invoke(app, ["telegram", "set-webhook", "--drop-pending"], env=env(fake))
    assert result.exit_code == 0, result.output
    assert fake.webhook["url"] == "https://bot.example.se/webhooks/telegram"
    assert fake.webhook["secret_token"] == SECRET
    assert fake.webhook["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    info = CliRunner().invoke(app, ["telegram", "webhook-info", "--json"], env=env(fake))
    assert json.loads(info.stdout)["url"] == "https://bot.example.se/webhooks/telegram"
    assert CliRunner().invoke(app, ["telegram", "delete-webhook"], env=env(fake)).exit_code == 0
    assert fake.webhook == {}


@pytest.mark.parametrize("extra, message", [
    ({"JOBBTORG_TELEGRAM_TOKEN": ""}, "JOBBTORG_TELEGRAM_TOKEN"),
    ({"JOBBTORG_PUBLIC_URL": ""}, "JOBBTORG_PUBLIC_URL"),
    ({"JOBBTORG_TELEGRAM_WEBHOOK_SECRET": ""}, "JOBBTORG_TELEGRAM_WEBHOOK_SECRET"),
    ({"JOBBTORG_TELEGRAM_WEBHOOK_SECRET": "has spaces!"}, "JOBBTORG_TELEGRAM_WEBHOOK_SECRET"),
])
def test_set_webhook_refuses_an_incomplete_configuration(fake, extra, message):
    result = CliRunner().invoke(app, ["telegram", "set-webhook"], env=env(fake, **extra))
    assert result.exit_code == 2 and message in result.output
    assert fake.webhook == {}
