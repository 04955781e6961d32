"""Attributes a person's first contact to the outreach source that brought them.

Telegram deep links carry the source's payload (`/start <payload>`, given to us as
`Inbound.start_payload`); on SMS the source's keyword is the first message (e.g. TENSTA),
also inside a greeting ("Hej BIBLIO"). Someone we already know who taps a deep link or
sends a keyword again is welcomed back to the menu, never told "I did not understand".
"""

from __future__ import annotations

from handlers.base import Turn, onboarded
from handlers.flow import ask_again, go
from storage.outreach import OutreachSource, keyword_from, source_by_keyword, source_by_payload

MAX_WORDS = 6  # a first message longer than this is a question, not a keyword


def payload_of(turn: Turn) -> str | None:
    """The deep-link payload, also when a channel (the simulator) passes `/start X` as text."""
    if turn.inbound.start_payload:
        return turn.inbound.start_payload.strip()
    parts = turn.text.split()
    if len(parts) == 2 and parts[0].lower().split("@")[0] == "/start":
        return parts[1]
    return None


def keyword_candidates(text: str) -> list[str]:
    """What a source keyword could be in a short message: the whole of it, then each run
    of one to three words ("Hej BIBLIO" -> HEJBIBLIO, BIBLIO, ...), longest first."""
    words = text.split()
    if not 1 <= len(words) <= MAX_WORDS:
        return []
    found: list[str] = []
    for size in range(min(3, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            keyword = keyword_from(" ".join(words[start:start + size]))
            if keyword and keyword not in found:
                found.append(keyword)
    whole = keyword_from(text)
    return [whole, *[k for k in found if k != whole]] if whole else found


async def source_of(turn: Turn, whole_only: bool = False) -> OutreachSource | None:
    """The source a deep link or keyword names; `whole_only`: the keyword must be the
    whole message (for people we know, whose words are mostly answers)."""
    payload = payload_of(turn)
    if payload:
        return await source_by_payload(turn.session, payload)
    if turn.inbound.choice is not None:
        return None
    candidates = [keyword_from(turn.text)] if whole_only else keyword_candidates(turn.text)
    for keyword in candidates:
        if keyword and (source := await source_by_keyword(turn.session, keyword)):
            return source
    return None


async def attribute_source(turn: Turn) -> None:
    """On a person's very first message: remember where they came from."""
    if turn.contact.source_id is not None:
        return
    source = await source_of(turn)
    if source is not None:
        turn.contact.source_id = source.id


async def known_person_link(turn: Turn) -> bool:
    """Someone we know taps a deep link (any step) or sends a source keyword at the menu:
    a welcome and the menu (or the onboarding question they were at)."""
    idle = (turn.state.flow, turn.state.step) == ("menu", "start")
    if payload_of(turn) is None and not (idle and turn.text):
        return False
    source = await source_of(turn, whole_only=True)
    if payload_of(turn) is None and source is None:
        return False
    if source is not None and turn.contact.source_id is None:
        turn.contact.source_id = source.id
    if not onboarded(turn):
        await ask_again(turn)
        return True
    turn.say("keyword.link_again")
    await go(turn, "menu")
    return True

