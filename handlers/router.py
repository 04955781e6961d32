"""Decides what one inbound message means: a keyword, a stray attachment, or an answer."""

from __future__ import annotations

from datetime import timedelta

from handlers import privacy
from handlers.base import Turn, consented, onboarded
from handlers.flow import ask_again, go, navigate, read
from handlers.handoff import into_open_thread
from handlers.keywords import keyword_of
from handlers.understand import OPTION, navigation

SILENCE_RESTART = timedelta(days=7)


async def handle(turn: Turn, is_new: bool, last_seen: object = None) -> None:
    """Run one inbound message. `is_new`: the address was first seen just now. Then,
    when the person has an open hand-off request, the message marks its thread unread."""
    await answer(turn, is_new)
    await into_open_thread(turn)


async def answer(turn: Turn, is_new: bool) -> None:
    """What the message means and does: a keyword, a stray attachment, or an answer."""
    if is_new:
        for hook in turn.parts.first_contact_hooks:
            await hook(turn)
    keyword = None if turn.inbound.choice else keyword_of(turn.inbound.text)
    if turn.address.opted_out:
        if keyword == "start":
            await privacy.start_again(turn)
        elif keyword in ("erase", "mydata", "help"):
            await run_keyword(turn, keyword)
        elif turn.state.flow == "erase":  # the answer to RADERA's question: erasure goes on
            await turn.parts.flows["erase"].handle(turn)
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
    for answer_hook in turn.parts.answer_hooks:
        if await answer_hook(turn):
            return
    await turn.parts.flows[turn.state.flow].handle(turn)


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

