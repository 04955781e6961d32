"""Logging as JSON lines with an event name; never phone numbers, chat ids or message text."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
# Six digits or more, maybe with a leading + and spaces or dashes inside: a phone number
# or a Telegram chat id that slipped into a string (a provider's error text, say).
_NUMBER = re.compile(r"\+?\d(?:[\d \-]{4,}\d)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEEP = {"at", "level", "logger"}


def redact(value: object) -> object:
    """Numbers that could identify a person replaced by [number]; other values unchanged."""
    if isinstance(value, str):
        return _NUMBER.sub(lambda m: m.group() if _harmless(m.group()) else "[number]", value)
    if isinstance(value, dict):
        return {key: redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def _harmless(text: str) -> bool:
    """Fewer than six digits, or a date (2026-11-24)."""
    return sum(c.isdigit() for c in text) < 6 or _DATE.fullmatch(text.strip()) is not None


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": getattr(record, "event", None) or record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key != "event":
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps({key: value if key in _KEEP else redact(value)
                           for key, value in entry.items()}, default=str)


def setup_logging(level: str = "INFO", stream: object = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    # Client libraries log request URLs (with bot tokens and numbers) at debug/info.
    for noisy in ("httpx", "telegram", "twilio", "twilio.http_client", "hpack",
                  "alembic",  # alembic's schema check says "Context impl ..." at INFO
                  # Database drivers log statements with their parameters (message texts,
                  # numbers) at debug/info: never, whatever LOG_LEVEL says.
                  "aiosqlite", "asyncpg", "sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
