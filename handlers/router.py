"""Decides what one inbound message means: a keyword, a stray attachment, or an answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

# Importing the flow modules registers their flows (and staff commands).
import handlers.booking  # noqa: F401
import handlers.coach_telegram  # noqa: F401
import handlers.menu  # noqa: F401
import handlers.mybookings  # noqa: F401
import handlers.onboarding  # noqa: F401
import handlers.staff_broadcast  # noqa: F401
import handlers.survey  # noqa: F401
from handlers import privacy
from handlers.base import Turn, consented, onboarded
from handlers.flow import FLOWS, ask_again, go, navigate, read
from handlers.handoff import into_open_thread
from handlers.keywords import keyword_of
from handlers.rsvp import take_rsvp_answer
from handlers.sources import attribute_source, known_person_link
from handlers.understand import OPTION, navigation

SILENCE_RESTART = timedelta(days=7)

# Hooks run on a person's very first message: outreach-source attribution from a
# deep-link payload or an SMS keyword. Listed here, in the order they run.
FirstContactHook = Callable[[Turn], Awaitable[None]]
first_contact_hooks: list[FirstContactHook] = [attribute_source]
# Hooks that may take a message before the current flow does: a known person's deep
# link, the answer to a question the bot sent on its own (an RSVP). True: handled.
AnswerHook = Callable[[Turn], Awaitable[bool]]
answer_hooks: list[AnswerHook] = [known_person_link, take_rsvp_answer]



async def handle(turn: Turn, is_new: bool, last_seen: object = None) -> None:
    """Run one inbound message. `is_new`: the address was first seen just now. Then,
    when the person has an open hand-off request, the message marks its thread unread."""
    await answer(turn, is_new)
    await into_open_thread(turn)


async def answer(turn: Turn, is_new: bool) -> None:
    """What the message means and does: a keyword, a stray attachment, or an answer."""
    if is_new:
        for hook in first_contact_hooks:
            await hook(turn)
    keyword = None if turn.inbound.choice else keyword_of(turn.inbound.text)
    if turn.address.opted_out:
        if keyword == "start":
            await privacy.start_again(turn)
        elif keyword in ("erase", "mydata", "help"):
            await run_keyword(turn, keyword)
        elif turn.state.flow == "erase":  # the answer to RADERA's question: erasure goes on
            await FLOWS["erase"].handle(turn)
        else:
            turn.say("keyword.opted_out_hint")
        return
    if turn.inbound.kind != "text":
        turn.say("common.cannot_read")
        if not is_new:
            await ask_again(turn)
            return
    if keyword is not None and not (is_new and keyword == "menu"):
        await run_keyword(turn, keyword)
        return
    if is_new or (turn.state.flow == "onboarding" and turn.state.step == "start"):
        await go(turn, "onboarding")
        return
    if restarted(turn):
        turn.say("common.welcome_back")
        await go(turn, "menu" if onboarded(turn) else "onboarding")
        return
    if turn.inbound.kind != "text":
        return
    where = None if turn.inbound.choice else navigation(turn.inbound.text)
    if where in ("menu", "help"):  # "till menyn", "gå till menyn", "hjälp mig"
        await run_keyword(turn, where)
        return
    if where in ("back", "cancel"):
        # "tillbaka" / "avbryt" at any step, free-text steps too; where the question has
        # such an option ("Tillbaka", "Nej, avbryt") the flow takes it as that option. A
        # bare "cancel" never says yes: at "Do you want to cancel?" it leaves the question
        # (nothing is cancelled), as "avbryt" does in Swedish.
        reading = read(turn)
        if reading.intent != OPTION or reading.key == "yes":
            await navigate(turn, where)
            return
    for answer_hook in answer_hooks:
        if await answer_hook(turn):
            return
    await FLOWS[turn.state.flow].handle(turn)


def restarted(turn: Turn) -> bool:
    """After 7 days of silence a conversation starts again, unless the bot's own later
    question (a survey, an RSVP) is still open."""
    if turn.state.open_until is not None and turn.state.open_until > turn.now:
        return False
    return turn.state.updated_at < turn.now - SILENCE_RESTART


async def run_keyword(turn: Turn, keyword: str) -> None:
    if keyword == "stop":
        await privacy.stop(turn)
    elif keyword == "start":
        turn.say("keyword.already_started")
        await ask_again(turn)
    elif keyword == "help":
        turn.say("keyword.help")
        await ask_again(turn)
    elif keyword == "menu":
        if onboarded(turn):
            await go(turn, "menu")
        elif turn.state.flow == "onboarding":  # go on where onboarding is
            await go(turn, "onboarding", turn.state.step)
        else:  # consented elsewhere (a visit booked for them) but no age yet
            await go(turn, "onboarding", "age" if consented(turn) else "start")
    elif keyword == "language":
        await privacy.change_language(turn)
    elif keyword == "erase":
        if consented(turn):
            await go(turn, "erase")
        else:  # nothing to keep yet: erase at once
            turn.say("erase.done")
            turn.erased = True
            turn.erase_reason = "no-consent"
    elif keyword == "mydata":
        if consented(turn):
            await go(turn, "mydata")
        else:
            turn.say("mydata.nothing")
            await ask_again(turn)

