"""How people reach the bot from a poster or a QR code: the Telegram deep link and the
number to text a keyword to. Shared by the CLI and the dashboard."""

from __future__ import annotations

from bot.settings import Settings


async def bot_username(settings: Settings) -> str | None:
    """TELEGRAM_BOT_USERNAME, else asked of the Bot API with getMe when a token is set."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    if not settings.telegram_token:
        return None
    from telegram import Bot

    async with Bot(settings.telegram_token,
                   base_url=f"{settings.telegram_api_url.rstrip('/')}/bot") as bot:
        return bot.username


def deep_link(username: str | None, payload: str) -> str | None:
    return f"https://t.me/{username}?start={payload}" if username else None


def sms_number(settings: Settings) -> str | None:
    """The number people text the keyword to; a Messaging Service SID is no number."""
    sender = settings.twilio_from.strip()
    return sender if sender.startswith("+") else None
