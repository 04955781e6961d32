"""The answer to an event invitation: yes, no, or the waiting list, by button or by SMS word.

An invitation (a broadcast with an event) leaves the question open until the event
starts. A press of an `rsvp:<event>:<action>` button, or "JA" / "NEJ" / "KÖ" typed while an
invitation is open and the person's current question does not take that word, is an
RSVP; anything else goes on to the person's normal conversation. A seat is taken with a
conditional UPDATE; when someone cancels, the first on the waiting list moves up and is
told by a job of their own. Attendees get a reminder the day before.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from handlers.base import Option, Reply, Turn
from handlers.broadcasts import event_when, quiet_until
from handlers.choices import fold
from handlers.flow import ask_again, read
from handlers.jobs import Jobs
from handlers.understand import OPTION
from storage.jobs import cancel as cancel_jobs
from storage.jobs import schedule as schedule_job
from storage.outreach import (
    CANCELLED_RSVP,
    DECLINED,
    GOING,
    MOVED_UP_JOB,
    WAITING,
    Event,
    OutreachSource,
    Rsvp,
    free_seat,
    move_up,
    open_invitation,
    rsvp_of,
    take_seat,
    waiting_position,
)

YES, NO, WAIT = "yes", "no", "wait"
ACTIONS = (YES, NO, WAIT)
# Whole-message answers to an open invitation (compared after folding case and accents).
WORDS = {YES: ["ja", "ja tack", "jag kommer", "kommer", "yes", "yes please", "y", "j"],
         NO: ["nej", "nej tack", "kan inte", "no", "no thanks", "n", "avboka"],
         WAIT: ["ko", "koa", "vanta", "vantelista", "vantelistan", "queue", "wait",
                "waiting list"]}
REMINDER_BEFORE = timedelta(hours=24)
REMINDER_JOB = "event-reminder"
jobs = Jobs()  # this feature's timed jobs, listed in bot/root.py


def action_of_text(text: str) -> str | None:
    """'Ja!' -> yes, 'KÖ' -> wait; None unless the whole message is an RSVP word (exactly:
    a near miss could take an answer meant for the conversation)."""
    folded = fold(text)
    for action, words in WORDS.items():
        if folded in words:
            return action
    return None


async def take_rsvp_answer(turn: Turn) -> bool:
    """The router's answer hook: handle an RSVP, or leave the message to the flow."""
    choice = turn.inbound.choice
    assert turn.contact.id is not None
    if choice is not None:
        if not choice.startswith("rsvp:"):
            return False
        parts = choice.split(":")
        if len(parts) != 3 or not parts[1].isdecimal() or parts[2] not in ACTIONS:
            return False
        event = await turn.session.get(Event, int(parts[1]))
        if event is None:
            return False
        rsvp = await rsvp_of(turn.session, event.id, turn.contact.id)  # type: ignore[arg-type]
        if rsvp is None:  # a button from an invitation made before the person was erased
            rsvp = Rsvp(event_id=event.id, contact_id=turn.contact.id, created_at=turn.now)  # type: ignore[arg-type]
            turn.session.add(rsvp)
        await answer(turn, event, rsvp, parts[2])
        return True
    action = action_of_text(turn.text) if turn.text else None
    if action is None:
        return False
    invitation = await open_invitation(turn.session, turn.contact.id, turn.now)
    if invitation is None:
        return False
    # A reply belongs to the question last asked: the invitation, if it came after the
    # person's last message; otherwise their current question, when it takes this answer
    # ("ja" to "Ska jag boka?" or "Vill du ta bort allt?" is not an RSVP).
    if invitation.created_at <= turn.state.updated_at and read(turn).intent == OPTION:
        return False
    event = await turn.session.get(Event, invitation.event_id)
    assert event is not None
    await answer(turn, event, invitation, action)
    return True


def _words(turn: Turn, event: Event) -> dict[str, Any]:
    return {"title": event.title, "place": event.place,
            "when": event_when(event.starts_at, turn.contact.language, turn.policy.zone)}


async def answer(turn: Turn, event: Event, rsvp: Rsvp, action: str) -> None:
    """Carry out yes / no / wait for one person and tell them where they stand."""
    words = _words(turn, event)
    if event.starts_at <= turn.now or event.status != "open":
        turn.say("outreach.rsvp.closed", **words)
        return await ask_again(turn)
    if action == YES or action == WAIT:
        if rsvp.status == GOING:
            turn.say("outreach.rsvp.already_going", **words)
        elif await take_seat(turn.session, event.id):  # type: ignore[arg-type]
            rsvp.status, rsvp.answered_at, rsvp.waiting_since = GOING, turn.now, None
            await turn.session.flush()
            await schedule_reminder(turn, event, rsvp)
            turn.say("outreach.rsvp.going", **words)
        elif action == YES and rsvp.status != WAITING:
            return offer_waiting_list(turn, event, words)
        else:
            if rsvp.status != WAITING:
                rsvp.status, rsvp.answered_at, rsvp.waiting_since = WAITING, turn.now, turn.now
                await turn.session.flush()
            turn.say("outreach.rsvp.waiting", position=await waiting_position(turn.session, rsvp),
                     **words)
    elif rsvp.status == GOING:
        await cancel_place(turn, event, rsvp)
        turn.say("outreach.rsvp.cancelled", **words)
    elif rsvp.status == WAITING:
        rsvp.status, rsvp.answered_at, rsvp.waiting_since = CANCELLED_RSVP, turn.now, None
        turn.say("outreach.rsvp.left_queue", **words)
    else:
        rsvp.status, rsvp.answered_at = DECLINED, turn.now
        turn.say("outreach.rsvp.declined", **words)
    await ask_again(turn)


def offer_waiting_list(turn: Turn, event: Event, words: dict[str, Any]) -> None:
    """A full event says so and offers the waiting list (buttons where the channel has them).

    The person's own question keeps its options, so a numbered SMS answer still means
    what it meant; on SMS the waiting list is taken by the word KÖ.
    """
    text = turn.t("outreach.rsvp.full", **words)
    buttons = [Option(f"rsvp:{event.id}:wait", turn.t("outreach.rsvp.wait")),
               Option(f"rsvp:{event.id}:no", turn.t("outreach.rsvp.no"))]
    turn.replies.append(Reply(text, buttons if turn.medium.buttons else []))


async def cancel_place(turn: Turn, event: Event, rsvp: Rsvp) -> None:
    """Give up a seat; the first on the waiting list takes it and is told."""
    assert rsvp.id is not None and turn.contact.id is not None
    rsvp.status, rsvp.answered_at = CANCELLED_RSVP, turn.now
    await cancel_jobs(turn.session, turn.contact.id, key_prefix=f"event:{rsvp.id}:")
    await free_seat(turn.session, event.id)  # type: ignore[arg-type]
    await turn.session.flush()
    await move_up(turn.session, event.id, turn.now)  # type: ignore[arg-type]


async def data_lines(turn: Turn) -> list[str]:
    """MINA UPPGIFTER: where we first met the person, and the events they signed up for."""
    lines: list[str] = []
    if turn.contact.source_id is not None:
        source = await turn.session.get(OutreachSource, turn.contact.source_id)
        if source is not None:
            lines.append(turn.t("outreach.mydata.source", name=source.name))
    result = await turn.session.execute(
        select(Rsvp, Event).join(Event, col(Event.id) == col(Rsvp.event_id))
        .where(col(Rsvp.contact_id) == turn.contact.id, col(Rsvp.status).in_((GOING, WAITING)),
               col(Event.starts_at) > turn.now).order_by(col(Event.starts_at)))
    for rsvp, event in result.all():
        key = "outreach.mydata.going" if rsvp.status == GOING else "outreach.mydata.waiting"
        lines.append(turn.t(key, **_words(turn, event)))
    return lines


async def schedule_reminder(turn: Turn, event: Event, rsvp: Rsvp) -> None:
    """A reminder the day before, moved out of quiet hours; none if that is already past."""
    assert rsvp.id is not None
    due = event.starts_at - REMINDER_BEFORE
    held = quiet_until(due, turn.policy.quiet_hours, turn.policy.zone)
    if held is not None:
        due = held
    if due <= turn.now or due >= event.starts_at:
        return
    await schedule_job(turn.session, REMINDER_JOB, due, turn.now, contact_id=rsvp.contact_id,
                        payload={"rsvp_id": rsvp.id}, key=f"event:{rsvp.id}:reminder")


async def _going(turn: Turn, payload: dict[str, Any]) -> tuple[Event, Rsvp] | None:
    rsvp = await turn.session.get(Rsvp, int(payload.get("rsvp_id", 0)))
    if rsvp is None or rsvp.status != GOING:
        return None
    event = await turn.session.get(Event, rsvp.event_id)
    # A closed event takes no more answers, but those going still hear about it.
    if event is None or event.status not in ("open", "closed") or event.starts_at <= turn.now:
        return None
    return event, rsvp


@jobs.contact(REMINDER_JOB)
async def remind(turn: Turn, payload: dict[str, Any]) -> None:
    found = await _going(turn, payload)
    if found is not None:
        turn.say("outreach.rsvp.reminder", **_words(turn, found[0]))


@jobs.contact(MOVED_UP_JOB)
async def tell_moved_up(turn: Turn, payload: dict[str, Any]) -> None:
    found = await _going(turn, payload)
    if found is None:
        return
    event, rsvp = found
    turn.say("outreach.rsvp.moved_up", **_words(turn, event))
    await schedule_reminder(turn, event, rsvp)

