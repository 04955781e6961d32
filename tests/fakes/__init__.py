"""Local fakes of the Telegram Bot API and Twilio REST API for tests and benchmarks."""

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio, point_client_at
from tests.fakes.twilio_signing import sign

__all__ = ["FakeTelegram", "FakeTwilio", "point_client_at", "sign"]
