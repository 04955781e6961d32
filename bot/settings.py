"""The one configuration object, read from JOBBTORG_* environment variables."""

from __future__ import annotations

import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_DURATION = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")


def parse_duration(text: str) -> timedelta:
    """'24h' -> 24 hours, '30m' -> 30 minutes, '2d' -> 2 days."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration like 24h, 90m or 2d")
    amount, unit = int(match.group(1)), match.group(2)
    return {"m": timedelta(minutes=amount), "h": timedelta(hours=amount),
            "d": timedelta(days=amount)}[unit]


def parse_clock_range(text: str) -> tuple[time, time]:
    """'20:00-08:00' -> (20:00, 08:00)."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a time range like 20:00-08:00") from exc
    return start, end


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class Settings(BaseSettings):
    """Everything configurable. Built once at start-up and passed down."""

    model_config = SettingsConfigDict(env_prefix="JOBBTORG_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///jobbtorg.db"
    public_url: str = ""
    secret_key: str = ""
    timezone: str = "Europe/Stockholm"
    quiet_hours: str = "20:00-08:00"
    reminders: str = "24h,2h"
    survey_delay_days: int = Field(90, ge=1, le=3650)
    # The city's target for the share in work or studies, in percent (e.g. 55); none: not shown.
    outcome_target: float | None = Field(None, ge=0, le=100)
    retention_months: int = Field(24, ge=1, le=240)
    sms_mps: float = Field(1.0, gt=0, le=1000)
    sms_price_sek: float = Field(0.55, ge=0)
    sms_approval_sek: float = Field(500.0, ge=0)
    telegram_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_bot_username: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    telegram_rate: float = Field(30.0, gt=0, le=10000)
    # Messages that arrive while a transaction is being saved share the next one (1: none).
    inbound_batch: int = Field(64, ge=1, le=1000)
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from: str = ""
    twilio_api_url: str = ""
    # WhatsApp through Twilio: on when this is set, to whatsapp:+46... (the WhatsApp sender)
    # or a Messaging Service SID (MG...) with a WhatsApp sender.
    twilio_whatsapp_from: str = ""
    # Approved Content templates for what the bot starts after 24 hours of silence, as JSON:
    # {"booking.reminder": "HX...", "broadcast": "HX..."} (message kind -> ContentSid).
    whatsapp_templates: str = ""
    whatsapp_price_sek: float = Field(0.75, ge=0)  # per message, for broadcast cost estimates
    whatsapp_mps: float = Field(20.0, gt=0, le=1000)
    trust_proxy: bool = False
    # /metrics on a port of its own (kept inside the monitoring network); unset: on the
    # service's port as before.
    metrics_port: int | None = Field(None, ge=1, le=65535)
    demo: bool = False
    log_level: str = "INFO"
    test_database_url: str = ""
    require_postgres: bool = False

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Stockholm") from exc
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _valid_quiet_hours(cls, value: str) -> str:
        parse_clock_range(value)
        return value

    @field_validator("reminders")
    @classmethod
    def _valid_reminders(cls, value: str) -> str:
        for part in value.split(","):
            if part.strip():
                parse_duration(part)
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not (value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"use one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("public_url")
    @classmethod
    def _public_root(cls, value: str) -> str:
        # Providers sign the URL they call; the root must be the one they were given.
        if value and not re.fullmatch(r"https?://[^/\s]+(/[^\s]*)?", value):
            raise ValueError("use the public root with its scheme, e.g. https://bot.example.se")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def reminder_offsets(self) -> list[timedelta]:
        return [parse_duration(p) for p in self.reminders.split(",") if p.strip()]

    @property
    def quiet_range(self) -> tuple[time, time]:
        return parse_clock_range(self.quiet_hours)

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token)

    @property
    def sms_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class SettingsError(Exception):
    """A readable explanation of which JOBBTORG_ variable is wrong."""


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning validation errors into one plain message per variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = "JOBBTORG_" + str(error["loc"][0]).upper() if error["loc"] else "JOBBTORG_?"
            lines.append(f"{name}: {error['msg']}")
        raise SettingsError("Invalid configuration:\n  " + "\n  ".join(lines)) from exc
