"""A coach cancels or moves a visit from Telegram: /avboka and /flytta with the booking code.

Both go through the staff actions in handlers/actions/bookings.py (`cancel_visit`,
`move_visit`), as the CLI and the dashboard do, so the person is told in their language
and channel and reminders follow. A coach reaches only their own unit's visits; another
unit's code gets the same answer as a code that does not exist.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from handlers.actions.bookings import Actor, Refused, cancel_visit, local_start, move_visit
from handlers.base import Option
from handlers.coach_telegram import may_see_visits
from handlers.free_times import free_slots
from handlers.staff import StaffCommands, StaffTurn
from handlers.visit_words import clock_words, day_words, kind_label
from storage.bookings import Booking, VisitKind, booking_by_code

commands = StaffCommands()  # listed in bot/root.py
MOVE_CHOICES = 8  # free times offered as buttons
TYPED_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2})[:.](\d{2})$")
REFUSALS = {"not-found": "staff.visits.not_found", "past": "staff.visits.past",
            "same": "staff.visits.move_same", "time": "staff.visits.move_bad_time"}


def _actor(turn: StaffTurn) -> Actor:
    return Actor(turn.staff.username, turn.staff.unit_id)


def _words(turn: StaffTurn) -> list[str]:
    """What follows the command: '/avboka K7P2QX Coachen är sjuk' -> ['K7P2QX', ...]."""
    return (turn.inbound.text or "").split()[1:]


def _who(item: Booking) -> str:
    return item.first_name or item.code


def _when(item: Booking, turn: StaffTurn) -> str:
    zone = turn.policy.zone
    return turn.t("staff.visits.move_time",
                  day=day_words(item.start.astimezone(zone).date(), turn.t),
                  time=clock_words(item.start, turn.t, zone))


async def _named_visit(turn: StaffTurn, usage: str) -> tuple[Booking | None, list[str]]:
    """The booked visit whose code follows the command, and the words after the code;
    None after saying why not (no unit, no code: `usage`, unknown, no longer booked)."""
    if not may_see_visits(turn.staff):
        turn.say("staff.visits.no_unit")
        return None, []
    words = _words(turn)
    if not words:
        turn.say(usage)
        return None, []
    return await _own_booked(turn, words[0]), words[1:]


async def _own_booked(turn: StaffTurn, code: str) -> Booking | None:
    """The booked visit with this code at the coach's unit; None after saying why not."""
    item = await booking_by_code(turn.session, code)
    if item is None or not _actor(turn).may_act_on(item.unit_id):
        turn.say("staff.visits.not_found")
        return None
    if item.status != "booked":
        turn.say("staff.visits.not_booked", status=turn.t(f"staff.visits.status.{item.status}"))
        return None
    return item


def _refused(turn: StaffTurn, error: Refused, item: Booking | None = None) -> None:
    if error.reason == "not-booked" and item is not None:
        turn.say("staff.visits.not_booked", status=turn.t(f"staff.visits.status.{item.status}"))
    else:
        turn.say(REFUSALS.get(error.reason, "staff.visits.not_found"))


# --- cancel -----------------------------------------------------------------------------


@commands.command("/avboka")
async def cancel_command(turn: StaffTurn) -> None:
    """'/avboka KOD [skäl]': asks once, with the visit in words, before cancelling."""
    item, words = await _named_visit(turn, "staff.visits.cancel_usage")
    if item is None:
        return None
    kind = await turn.session.get(VisitKind, item.kind_id)
    assert kind is not None
    reason = " ".join(words)
    turn.set_state(cancelling={"id": item.id, "reason": reason})
    t = turn.t
    turn.say_text(t("staff.visits.cancel_question", when=_when(item, turn),
                    kind=kind_label(kind, t), who=_who(item),
                    reason=t("staff.visits.cancel_reason", reason=reason) if reason else ""),
                  [Option(f"staff:cancel:{item.id}:yes", t("staff.visits.cancel_yes")),
                   Option(f"staff:cancel:{item.id}:no", t("staff.visits.cancel_no"))])


@commands.choice("staff:cancel")
async def cancel_from_button(turn: StaffTurn) -> None:
    """'staff:cancel:<id>:yes' cancels (with the reason given to /avboka); ':no' keeps it."""
    parts = (turn.inbound.choice or "").split(":")
    if not may_see_visits(turn.staff):
        return turn.say("staff.visits.no_unit")
    if len(parts) != 4 or not parts[2].isdecimal() or parts[3] not in ("yes", "no"):
        return turn.say("staff.visits.not_found")
    asked = turn.state.get("cancelling") or {}
    reason = asked.get("reason", "") if asked.get("id") == int(parts[2]) else ""
    turn.set_state(cancelling=None)
    if parts[3] == "no":
        return turn.say("staff.visits.cancel_kept")
    try:
        item = await cancel_visit(turn.session, turn.policy, _actor(turn), turn.now,
                                  int(parts[2]), reason)
    except Refused as error:
        return _refused(turn, error, await turn.session.get(Booking, int(parts[2])))
    turn.say("staff.visits.cancel_done", when=_when(item, turn), who=_who(item))


# --- move -------------------------------------------------------------------------------


@commands.command("/flytta")
async def move_command(turn: StaffTurn) -> None:
    """'/flytta KOD' offers the next free times as buttons; '/flytta KOD 2026-12-03 10:00'
    moves at once."""
    item, words = await _named_visit(turn, "staff.visits.move_usage")
    if item is None:
        return None
    if words:
        typed = TYPED_TIME.match(" ".join(words))
        if typed is None:
            return turn.say("staff.visits.move_bad_time")
        try:
            start = local_start(date.fromisoformat(typed[1]), (int(typed[2]), int(typed[3])),
                                turn.policy)
        except (Refused, ValueError):
            return turn.say("staff.visits.move_bad_time")
        return await _move(turn, item, start)
    await _offer_times(turn, item, "staff.visits.move_question")


@commands.choice("staff:move")
async def move_from_button(turn: StaffTurn) -> None:
    """'staff:move:<id>:<unix time>', one of the free times /flytta offered."""
    parts = (turn.inbound.choice or "").split(":")
    if not may_see_visits(turn.staff):
        return turn.say("staff.visits.no_unit")
    if len(parts) != 4 or not parts[2].isdecimal() or not parts[3].isdecimal():
        return turn.say("staff.visits.not_found")
    item = await turn.session.get(Booking, int(parts[2]))
    if item is None or not _actor(turn).may_act_on(item.unit_id):
        return turn.say("staff.visits.not_found")
    await _move(turn, item, datetime.fromtimestamp(int(parts[3]), UTC))


async def _move(turn: StaffTurn, item: Booking, start: datetime) -> None:
    try:
        moved = await move_visit(turn.session, turn.policy, _actor(turn), turn.now,
                                 item.id or 0, start)
    except Refused as error:
        if error.reason == "taken":  # gone meanwhile: the free times as they are now
            return await _offer_times(turn, item, "staff.visits.move_taken")
        return _refused(turn, error, item)
    turn.say("staff.visits.moved", who=_who(moved), when=_when(moved, turn))


async def _offer_times(turn: StaffTurn, item: Booking, question: str) -> None:
    """The kind's next free times as buttons, under `question`."""
    kind = await turn.session.get(VisitKind, item.kind_id)
    assert kind is not None
    t, zone = turn.t, turn.policy.zone
    slots = [s for s in await free_slots(turn.session, kind, turn.now, zone)
             if s.start != item.start][:MOVE_CHOICES]
    if not slots:
        return turn.say("staff.visits.move_none", kind=kind_label(kind, t))
    buttons = [Option(f"staff:move:{item.id}:{int(s.start.timestamp())}",
                      t("staff.visits.move_time", day=day_words(s.start.astimezone(zone).date(), t),
                        time=clock_words(s.start, t, zone))) for s in slots]
    turn.say_text(t(question, when=_when(item, turn), kind=kind_label(kind, t),
                    who=_who(item), code=item.code), buttons)
