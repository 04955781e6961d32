"""`jobbtorg telegram ...`: register, inspect and remove the bot's webhook with Telegram."""

from __future__ import annotations

import asyncio
from typing import Any

import typer
from telegram.error import TelegramError

from bot.commands.common import console, fail, output, settings_or_exit
from bot.settings import Settings

telegram_app = typer.Typer(help="The Telegram bot's webhook.", no_args_is_help=True)


def _configured() -> Settings:
    settings = settings_or_exit()
    if not settings.telegram_token:
        raise fail("set JOBBTORG_TELEGRAM_TOKEN (from @BotFather) first")
    return settings


async def _call(settings: Settings, method: str, **params: Any) -> Any:
    from bot.channels.telegram import TelegramSender

    sender = TelegramSender(settings)
    try:
        bot = await sender.bot()
        return await getattr(bot, method)(**params)
    finally:
        await sender.close()


def _run(settings: Settings, method: str, **params: Any) -> Any:
    try:
        return asyncio.run(_call(settings, method, **params))
    except TelegramError as exc:
        raise fail(f"Telegram refused: {exc.message}") from None
    except OSError as exc:
        raise fail(f"cannot reach {settings.telegram_api_url}: {exc}") from None


@telegram_app.command("set-webhook")
def set_webhook(
    drop_pending: bool = typer.Option(False, help="Forget updates Telegram is still holding."),
    max_connections: int = typer.Option(40, min=1, max=100, help="Parallel webhook calls."),
) -> None:
    """Register JOBBTORG_PUBLIC_URL/webhooks/telegram with the secret and the update types."""
    from bot.channels.telegram import ALLOWED_UPDATES, WEBHOOK_PATH, check_telegram_secret

    settings = _configured()
    if not settings.public_url:
        raise fail("set JOBBTORG_PUBLIC_URL (e.g. https://bot.example.se) first")
    official = "api.telegram.org" in settings.telegram_api_url
    if official and not settings.public_url.startswith("https://"):
        raise fail("Telegram only calls https:// webhooks; JOBBTORG_PUBLIC_URL must start with https://")
    try:
        check_telegram_secret(settings, polling=False)
    except SystemExit as exc:
        raise fail(str(exc.code)) from None
    url = settings.public_url.rstrip("/") + WEBHOOK_PATH
    _run(settings, "set_webhook", url=url, secret_token=settings.telegram_webhook_secret,
         allowed_updates=ALLOWED_UPDATES, drop_pending_updates=drop_pending,
         max_connections=max_connections)
    console.print(f"Telegram now sends {', '.join(ALLOWED_UPDATES)} updates to {url}")


@telegram_app.command("webhook-info")
def webhook_info(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """What Telegram has registered: the URL, pending updates and the last error."""
    info = _run(_configured(), "get_webhook_info")
    output({"url": info.url, "pending_update_count": info.pending_update_count,
            "allowed_updates": list(info.allowed_updates or []),
            "last_error_message": info.last_error_message,
            "max_connections": info.max_connections}, as_json, "Telegram webhook")


@telegram_app.command("delete-webhook")
def delete_webhook(
    drop_pending: bool = typer.Option(False, help="Forget updates Telegram is still holding."),
) -> None:
    """Stop Telegram calling the webhook (e.g. to use `serve --telegram-polling`)."""
    _run(_configured(), "delete_webhook", drop_pending_updates=drop_pending)
    console.print("Telegram webhook removed.")
