"""The channels: the Telegram and Twilio SMS modules; names and media in bot.media."""

from bot.media import (
    MEDIA,
    SIM_SMS,
    SIM_TELEGRAM,
    SMS,
    TELEGRAM,
    is_unicode,
    medium_of,
    render_text,
)

__all__ = ["MEDIA", "SIM_SMS", "SIM_TELEGRAM", "SMS", "TELEGRAM", "is_unicode", "medium_of", "render_text"]
