"""The simulator's channels (demo only): looks that imitate Telegram and SMS, delivered at once.

A look has the capabilities of the channel it imitates, under its own name, so a demo
person over "sim-sms" gets numbered lists, GSM-7 texts and SMS costs as over "sms".
The names of the looks are the simulator API's `channel` values ("telegram", "sms").
"""

from __future__ import annotations

from dataclasses import replace

from bot.outbox import SENT, SendResult
from storage.capabilities import Capabilities, ChannelRegistry
from storage.models import Outbox

SIM_TELEGRAM = "sim-telegram"
SIM_SMS = "sim-sms"
LOOKS = {"telegram": SIM_TELEGRAM, "sms": SIM_SMS}  # the API's channel -> the look's name


def looks(registered: ChannelRegistry) -> list[Capabilities]:
    """The looks, each with the capabilities of the channel it imitates."""
    return [replace(registered.of(real), name=look, label=f"{registered.of(real).label} (simulator)",
                    look_of=real) for real, look in LOOKS.items()]


class SimSender:
    """The simulator channel: the message is 'delivered' the moment it is sent."""

    async def send(self, row: Outbox) -> SendResult:
        return SendResult(SENT, provider_message_id=f"sim-{row.id}")
