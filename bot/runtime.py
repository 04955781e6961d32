"""Builds the running parts (database, clock, engine, dispatcher) from Settings, once."""

from __future__ import annotations

from datetime import timedelta

from bot.channels import SIM_SMS, SIM_TELEGRAM, SMS, TELEGRAM
from bot.clock import Clock, DemoClock
from bot.engine import Engine
from bot.outbox import ChannelPace, Dispatcher, Sender, SimSender
from bot.services import Services
from bot.settings import Settings
from storage.db import Database
from storage.settings_store import DEMO_CLOCK, get_value


async def load_clock(db: Database) -> Clock:
    """A demo database carries its clock offset; any other database uses real time."""
    async with db.transaction() as session:
        value = await get_value(session, DEMO_CLOCK)
    if value is None:
        return Clock()
    return DemoClock(timedelta(seconds=float(value)))


def channel_senders(settings: Settings, demo: bool) -> dict[str, Sender]:
    """One Sender per channel that is switched on (a channel is on when its credentials are set)."""
    senders: dict[str, Sender] = {}
    if demo:
        senders[SIM_TELEGRAM] = SimSender()
        senders[SIM_SMS] = SimSender()
    # Imported here: the channel modules register webhooks in bot.app, which imports us.
    if settings.telegram_enabled:
        from bot.channels.telegram import TelegramSender

        senders[TELEGRAM] = TelegramSender(settings, TELEGRAM_IN_FLIGHT)
    if settings.sms_enabled:
        from bot.channels.sms import SmsSender

        senders[SMS] = SmsSender(settings)
    return senders


TELEGRAM_IN_FLIGHT = 48  # requests in flight at once: more only adds contention (measured)


def channel_paces(settings: Settings) -> dict[str, ChannelPace]:
    """The providers' limits: Telegram overall and 1 per chat per second; SMS_MPS for SMS."""
    return {
        TELEGRAM: ChannelPace(settings.telegram_rate, per_recipient_gap=1.0,
                              max_in_flight=TELEGRAM_IN_FLIGHT),
        SMS: ChannelPace(settings.sms_mps, max_in_flight=64),
    }


async def build_services(settings: Settings, demo: bool = False,
                         clock: Clock | None = None) -> Services:
    db = Database(settings.database_url)
    if clock is None:
        clock = await load_clock(db)
        if demo and not isinstance(clock, DemoClock):
            clock = DemoClock()
    engine = Engine(db, settings, clock)
    senders = channel_senders(settings, demo)
    dispatcher = Dispatcher(db, clock, senders, channel_paces(settings))
    dispatcher.closers += [s.close for s in senders.values() if hasattr(s, "close")]  # type: ignore[attr-defined]
    services = Services(settings, db, clock, engine, dispatcher, demo=demo)
    services.extras["closers"] = [dispatcher.close]
    if demo:
        await services.save_clock()
    return services
