"""Settings: defaults, and a bad value names the variable and what is expected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_follow_the_design():
    settings = load_settings(_env_file=None)
    assert settings.timezone == "Europe/Stockholm"
    assert settings.reminder_offsets == [timedelta(hours=24), timedelta(hours=2)]
    assert settings.survey_delay_days == 90 and settings.retention_months == 24
    assert settings.is_sqlite


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("JOBBTORG_TIMEZONE", "Mars/Olympus", "IANA time zone"),
    ("JOBBTORG_QUIET_HOURS", "late", "time range"),
    ("JOBBTORG_REMINDERS", "24h,soon", "duration"),
    ("JOBBTORG_SURVEY_DELAY_DAYS", "ninety", "integer"),
    ("JOBBTORG_SMS_MPS", "0", "greater than 0"),
    ("JOBBTORG_DATABASE_URL", "mysql://x", "sqlite+aiosqlite"),
    ("JOBBTORG_LOG_LEVEL", "loud", "INFO"),
    ("JOBBTORG_PUBLIC_URL", "bot.example.se", "https://"),
    ("JOBBTORG_INBOUND_BATCH", "0", "greater than or equal to 1"),
])
def test_an_invalid_value_stops_with_a_message_naming_the_variable(monkeypatch, variable,
                                                                   value, expected):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert variable in str(error.value) and expected in str(error.value)


def test_a_plain_postgresql_url_gets_the_async_driver(monkeypatch):
    monkeypatch.setenv("JOBBTORG_DATABASE_URL", "postgresql://u@h/db")
    assert load_settings().database_url == "postgresql+asyncpg://u@h/db"
