"""The coach's day in Telegram: /idag and /imorgon and marking visits (cancelling and
moving: handlers/coach_visit_changes.py; hand-off notices: handlers/handoff.py).

A coach sees and marks only the visits of their own unit; a visit of another unit is
answered exactly like one that does not exist. Every listing is audit-logged per person.
"""

from __future__ import annotations

from datetime import date, timedelta

from handlers.actions.bookings import OUTCOMES, Actor, Refused, mark_visit
from handlers.base import Option
from handlers.staff import StaffCommands, StaffTurn
from handlers.visit_words import clock_words, day_words, kind_label, needs_words
from storage.bookings import Booking, bookings_between, day_bounds
from storage.models import StaffUser, Unit
from storage.staff import audit

commands = StaffCommands()  # listed in bot/root.py
VISIT_ROLES = ("coach", "admin")
SHOWN = ("booked", "attended", "no-show")


def may_see_visits(staff: StaffUser) -> bool:
    return staff.role in VISIT_ROLES and staff.unit_id is not None and staff.active


REFUSALS = {"cancelled": "staff.visits.cancelled", "not-started": "staff.visits.not_yet"}


def _who(item: Booking) -> str:
    return item.first_name or item.code


async def show_day(turn: StaffTurn, day: date, with_buttons: bool) -> None:
    staff = turn.staff
    if not may_see_visits(staff):
        return turn.say("staff.visits.no_unit")
    unit = await turn.session.get(Unit, staff.unit_id)
    assert unit is not None
    zone = turn.policy.zone
    first, last = day_bounds(day, zone)
    rows = await bookings_between(turn.session, first, last, unit_id=staff.unit_id, statuses=SHOWN)
    t = turn.t
    if not rows:
        return turn.say("staff.visits.none", day=day_words(day, t), unit=unit.name)
    lines = [t("staff.visits.title", day=day_words(day, t), unit=unit.name)]
    buttons: list[Option] = []
    for item, kind, _unit in rows:
        needs = needs_words(item.interpreter_language, item.accessibility, t)
        at = clock_words(item.start, t, zone)
        line = t("staff.visits.line", time=at, kind=kind_label(kind, t),
                 who=item.first_name or t("staff.visits.no_name"),
                 needs=f", {needs}" if needs else "",
                 status=t(f"staff.visits.status.{item.status}"))
        lines.append(t("staff.visits.line_code", line=line, code=item.code))
        await audit(turn.session, turn.now, staff.username, "visits.viewed", item.contact_id,
                    f"booking {item.id}")
        if with_buttons and item.status == "booked":
            buttons.append(Option(f"staff:visit:{item.id}:attended",
                                  t("staff.visits.attended_button", time=at, who=_who(item))))
            buttons.append(Option(f"staff:visit:{item.id}:no-show",
                                  t("staff.visits.no_show_button", time=at, who=_who(item))))
    if any(item.status == "booked" and item.end > turn.now for item, _, _ in rows):
        lines.append(t("staff.visits.change_hint"))  # /avboka, /flytta (coach_visit_changes)
    turn.say_text("\n".join(lines), buttons)


def local_today(turn: StaffTurn) -> date:
    return turn.now.astimezone(turn.policy.zone).date()


@commands.command("/idag")
async def today_command(turn: StaffTurn) -> None:
    await show_day(turn, local_today(turn), with_buttons=True)


@commands.command("/imorgon")
async def tomorrow_command(turn: StaffTurn) -> None:
    await show_day(turn, local_today(turn) + timedelta(days=1), with_buttons=False)


@commands.choice("staff:visit")
async def mark_from_button(turn: StaffTurn) -> None:
    """'staff:visit:<id>:attended' or ':no-show', pressed by a coach."""
    parts = (turn.inbound.choice or "").split(":")
    if not may_see_visits(turn.staff):
        return turn.say("staff.visits.no_unit")
    if len(parts) != 4 or not parts[2].isdecimal() or parts[3] not in OUTCOMES:
        return turn.say("staff.visits.not_found")
    try:
        item = await mark_visit(turn.session, turn.policy,
                                Actor(turn.staff.username, turn.staff.unit_id), turn.now,
                                int(parts[2]), parts[3])
    except Refused as error:  # another unit's visit gets the not-found answer: nothing leaks
        return turn.say(REFUSALS.get(error.reason, "staff.visits.not_found"))
    zone = turn.policy.zone
    turn.say("staff.visits.marked", time=clock_words(item.start, turn.t, zone), who=_who(item),
             status=turn.t(f"staff.visits.status.{parts[3]}"))
    await show_day(turn, item.start.astimezone(zone).date(), with_buttons=True)
