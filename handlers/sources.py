"""Attributes a person's first contact to the outreach source that brought them.

Telegram deep links carry the source's payload (`/start <payload>`, given to us as
`Inbound.start_payload`); on SMS the source's keyword is the first message (e.g. TENSTA).
"""

from __future__ import annotations

from handlers.base import Turn
from handlers.router import first_contact_hooks
from storage.outreach import OutreachSource, keyword_from, source_by_keyword, source_by_payload


def payload_of(turn: Turn) -> str | None:
    """The deep-link payload, also when a channel (the simulator) passes `/start X` as text."""
    if turn.inbound.start_payload:
        return turn.inbound.start_payload.strip()
    parts = turn.text.split()
    if len(parts) == 2 and parts[0].lower().split("@")[0] == "/start":
        return parts[1]
    return None


async def source_of(turn: Turn) -> OutreachSource | None:
    payload = payload_of(turn)
    if payload:
        return await source_by_payload(turn.session, payload)
    words = turn.text.split()
    if 1 <= len(words) <= 3 and turn.inbound.choice is None:
        keyword = keyword_from(turn.text)
        if keyword:
            return await source_by_keyword(turn.session, keyword)
    return None


async def attribute_source(turn: Turn) -> None:
    """On a person's very first message: remember where they came from."""
    if turn.contact.source_id is not None:
        return
    source = await source_of(turn)
    if source is not None:
        turn.contact.source_id = source.id


first_contact_hooks.append(attribute_source)
