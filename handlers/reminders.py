"""Timed messages about a visit: reminders before it, and one offer of a new time after a no-show.

Reminder times are worked out in local wall time: "24h before" a visit at 10.00 is 10.00
the day before, even across a daylight-saving change. A reminder that would fall in the
quiet hours is sent just before they start instead. Each reminder is a keyed job (booking,
start, offset), so it exists once, survives a restart and fires once; moving a visit
gives new keys and the old reminders are cancelled. A reminder that runs late (a worker
that was down, a clock moved far) is checked again: none after the visit began, one when
several fell due together, and none in quiet hours (it waits until they end).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.base import Policy, Turn
from handlers.flow import go
from handlers.jobs import Jobs
from handlers.visit_words import booking_words
from storage.bookings import Booking, VisitKind, upcoming_bookings
from storage.jobs import cancel, due_between, schedule
from storage.models import Unit

REMINDER = "booking_reminder"
REMINDED = "reminded_booking"  # scratch data: the visit last reminded of ("kan inte komma")
NO_SHOW = "booking_no_show"
jobs = Jobs()  # this feature's timed jobs, listed in bot/root.py
QUIET_MARGIN = timedelta(minutes=15)  # a moved reminder goes this long before quiet hours
NO_SHOW_AT = time(10, 0)  # local time of the day after a no-show
LATE_AFTER = timedelta(minutes=10)  # a reminder run later than this after its due time is checked again


def offset_label(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def in_quiet_hours(moment: datetime, quiet: tuple[str, str], zone: ZoneInfo) -> bool:
    starts, ends = (time.fromisoformat(q) for q in quiet)
    local = moment.astimezone(zone).time()
    if starts <= ends:
        return starts <= local < ends
    return local >= starts or local < ends


def before_quiet_hours(moment: datetime, quiet: tuple[str, str], zone: ZoneInfo) -> datetime:
    """The moment itself, or, inside quiet hours, a little before those quiet hours began."""
    if not in_quiet_hours(moment, quiet, zone):
        return moment
    starts = time.fromisoformat(quiet[0])
    local = moment.astimezone(zone)
    day = local.date() if local.time() >= starts else local.date() - timedelta(days=1)
    began = datetime.combine(day, starts, tzinfo=zone).astimezone(UTC)
    return began - QUIET_MARGIN


def after_quiet_hours(moment: datetime, quiet: tuple[str, str], zone: ZoneInfo) -> datetime:
    """The moment itself, or, inside quiet hours, the moment those quiet hours end."""
    if not in_quiet_hours(moment, quiet, zone):
        return moment
    ends = time.fromisoformat(quiet[1])
    local = moment.astimezone(zone)
    day = local.date() if local.time() < ends else local.date() + timedelta(days=1)
    return datetime.combine(day, ends, tzinfo=zone).astimezone(UTC)


def unmoved_moment(start: datetime, offset: timedelta, zone: ZoneInfo) -> datetime:
    """`offset` before `start`: whole days on the local calendar, others in real time."""
    if offset % timedelta(days=1) == timedelta(0):
        wall = start.astimezone(zone).replace(tzinfo=None) - offset
        return wall.replace(tzinfo=zone).astimezone(UTC)
    return start - offset


def reminder_moment(start: datetime, offset: timedelta, policy: Policy) -> datetime:
    """When to remind: whole days are counted on the local calendar (same wall time),
    other offsets in real time; then moved out of quiet hours."""
    due = unmoved_moment(start, offset, policy.zone)
    return before_quiet_hours(due, policy.quiet_hours, policy.zone)


def _key_prefix(booking: Booking) -> str:
    return f"reminder:{booking.id}:"


async def schedule_reminders(session: AsyncSession, booking: Booking, policy: Policy,
                             now: datetime) -> int:
    """Schedule the reminders that are still ahead. Returns how many."""
    count = 0
    for offset in sorted(policy.reminders):  # the nearest reminder first
        due = reminder_moment(booking.start, offset, policy)
        if due <= now and count == 0:
            # Booked in the evening for the next morning: the move before quiet hours lands
            # in the past, so remind once when quiet hours end, if that is still before.
            due = after_quiet_hours(unmoved_moment(booking.start, offset, policy.zone),
                                    policy.quiet_hours, policy.zone)
        if due <= now or due >= booking.start:
            continue  # booked too late for this one, or nothing useful to say
        stamp = int(booking.start.timestamp())
        await schedule(session, REMINDER, due, now, contact_id=booking.contact_id,
                       payload={"booking_id": booking.id, "start": stamp,
                                "offset": offset_label(offset)},
                       key=f"{_key_prefix(booking)}{stamp}:{offset_label(offset)}")
        count += 1
    return count


async def cancel_reminders(session: AsyncSession, booking: Booking) -> None:
    await cancel(session, booking.contact_id, kinds=[REMINDER], key_prefix=_key_prefix(booking))


async def schedule_no_show_offer(session: AsyncSession, booking: Booking, policy: Policy,
                                 now: datetime) -> None:
    """One message the day after a no-show, offering a new time. A visit re-marked
    no-show after being marked attended gets its withdrawn offer back."""
    local_day = booking.start.astimezone(policy.zone).date() + timedelta(days=1)
    due = max(datetime.combine(local_day, NO_SHOW_AT, tzinfo=policy.zone).astimezone(UTC), now)
    await schedule(session, NO_SHOW, due, now, contact_id=booking.contact_id,
                   payload={"booking_id": booking.id}, key=f"no-show:{booking.id}",
                   revive=True)


async def cancel_no_show_offer(session: AsyncSession, booking: Booking) -> None:
    await cancel(session, booking.contact_id, kinds=[NO_SHOW], key_prefix=f"no-show:{booking.id}")


@jobs.contact(REMINDER)
async def remind(turn: Turn, payload: dict[str, Any]) -> None:
    booking = await turn.session.get(Booking, payload.get("booking_id"))
    if booking is None or booking.status != "booked":
        return  # cancelled since: nothing to say
    if int(booking.start.timestamp()) != payload.get("start"):
        return  # moved since: the new time has its own reminders
    if turn.ran_at is not None and not await still_worth_sending(turn, booking, payload):
        return  # run late: held until quiet hours end, or dropped
    kind = await turn.session.get(VisitKind, booking.kind_id)
    unit = await turn.session.get(Unit, booking.unit_id)
    if kind is None or unit is None:
        return
    turn.say("booking.reminder", visit=booking_words(booking, kind, turn.t, turn.policy.zone),
             unit=unit.name, address=unit.address, code=booking.code)
    turn.remember(**{REMINDED: booking.id})


async def still_worth_sending(turn: Turn, booking: Booking, payload: dict[str, Any]) -> bool:
    """A reminder run late (after a big clock jump, a worker that was down) is checked
    against the moment it would go out: nothing once the visit has begun; nothing when a
    later reminder of the visit is due too (that one goes); in quiet hours it waits until
    they end (once per visit, if that is still before it)."""
    sending = turn.ran_at or turn.now
    if booking.start <= sending:
        return False
    if sending - turn.now <= LATE_AFTER:
        return True  # on time, as the scheduler polls: its due time avoided quiet hours
    prefix = f"{_key_prefix(booking)}{payload.get('start')}:"
    if await due_between(turn.session, booking.contact_id, REMINDER, prefix, turn.now, sending):
        return False
    quiet, zone = turn.policy.quiet_hours, turn.policy.zone
    if not in_quiet_hours(sending, quiet, zone):
        return True
    later = after_quiet_hours(sending, quiet, zone)
    if later < booking.start:
        await schedule(turn.session, REMINDER, later, sending, contact_id=booking.contact_id,
                       payload=payload, key=f"{prefix}held")
    return False


@jobs.contact(NO_SHOW)
async def offer_new_time(turn: Turn, payload: dict[str, Any]) -> None:
    booking = await turn.session.get(Booking, payload.get("booking_id"))
    if booking is None or booking.status != "no-show":
        return  # marked attended after all
    assert turn.contact.id is not None
    if await upcoming_bookings(turn.session, turn.contact.id, turn.now):
        return  # already booked again
    turn.remember(bk_unit=booking.unit_id, bk_kind=booking.kind_id)
    turn.state.open_until = turn.now + timedelta(days=7)
    await go(turn, "booking", "again")
