"""Requests a person can make at any step, like navigation: to be called, to say they
cannot come, to cancel a visit (words in handlers/lexicon.py REQUESTS)."""

from __future__ import annotations

from handlers.base import Turn, onboarded
from handlers.handoff import asked_to_be_called
from handlers.mybookings import show_visit
from handlers.understand import request_of
from handlers.when_parse import parse_day


async def take_request(turn: Turn) -> bool:
    """An answer hook (run after navigation, before the flow): carry out a request the
    whole message makes. False: none, or the current question reads it (the visit's own
    questions in MINA TIDER, or a booking being made with no visit yet)."""
    request = None if turn.inbound.choice else request_of(turn.inbound.text)
    if request is None:
        return False
    if request == "call":
        await asked_to_be_called(turn)
        return True
    if not onboarded(turn) or turn.state.flow == "mybookings":
        return False
    today = turn.now.astimezone(turn.policy.zone).date()
    day = parse_day(turn.text, today, turn.contact.language)
    return await show_visit(turn, "cancel" if request == "cancel_booking" else "action", day)
