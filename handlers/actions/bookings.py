"""Staff actions on visits: book on behalf, cancel, move, mark attended or no-show, enrol.

One function per action, shared by the CLI, the dashboard and the staff Telegram
commands; each edge parses its input, calls the action and presents the result or the
`Refused` reason. An actor limited to one unit (a coach) gets "not-found" for anything
of another unit, exactly as for something that does not exist, so nothing leaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.availability import SlotTime, local_moment
from handlers.base import Policy
from handlers.booking import CONFIRMATION, STAFF_CANCELLED, STAFF_MOVED, book_for
from handlers.free_times import free_slot_at, free_slots
from handlers.reminders import (
    cancel_no_show_offer,
    cancel_reminders,
    schedule_no_show_offer,
    schedule_reminders,
)
from storage.bookings import (
    Booking,
    VisitKind,
    cancel_booking,
    kind_by_slug,
    kinds_of,
    take_seat,
)
from storage.bookings import release_seat as free_seat
from storage.jobs import schedule
from storage.models import ChannelAddress, Contact, Unit
from storage.people import address_for
from storage.staff import audit

OUTCOMES = ("attended", "no-show")
MAX_NAME = 60
MAX_REASON = 200


class Refused(Exception):
    """A staff action that cannot be done; `reason` is a short key the edges translate."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff username (or "cli"), and the unit they are limited to.

    `scope` is None for every unit (an admin, the local operator), a unit id for a coach,
    and False for a staff member with no unit (who may act on nothing)."""

    name: str
    scope: int | None | bool = None

    def may_act_on(self, unit_id: int | None) -> bool:
        return self.scope is None or (self.scope is not False and unit_id == self.scope)


@dataclass(frozen=True)
class BookedFor:
    booking: Booking
    kind: VisitKind
    contact: Contact
    address: ChannelAddress
    new_contact: bool
    other_unit: Unit | None = None  # the person's own jobbtorg, when it is not the visit's


async def other_unit_of(session: AsyncSession, booking: Booking) -> Unit | None:
    """The jobbtorg a booked person belongs to when it is not the visit's (a number of
    another unit booked here): its name may be shown, nothing about the person. Their page,
    enrolment and avslut stay with that unit until an admin moves the person
    (`move_person`)."""
    contact = await session.get(Contact, booking.contact_id)
    if contact is None or contact.unit_id is None or contact.unit_id == booking.unit_id:
        return None
    return await session.get(Unit, contact.unit_id)


async def _booking(session: AsyncSession, actor: Actor, booking_id: int) -> Booking:
    item = await session.get(Booking, booking_id)
    if item is None or not actor.may_act_on(item.unit_id):
        raise Refused("not-found", f"no booking {booking_id}")
    return item


# --- book on behalf -------------------------------------------------------------------


async def book_on_behalf(session: AsyncSession, policy: Policy, actor: Actor, now: datetime, *,
                         channel: str, phone: str, kind: str | int, start: datetime | date,
                         unit_id: int | None = None, first_name: str | None = None,
                         interpreter: str | None = None, accessibility: bool = False,
                         ) -> BookedFor:
    """Book a visit for a walk-in or a caller and queue their confirmation.

    `phone` is already E.164 and `channel` the address channel the confirmation goes to.
    `kind` is a kind's id, or its slug at `unit_id` (default: the person's own unit).
    `start` is an aware moment, or a day for a drop-in (its first free window). A person
    with no unit yet gets the unit of the booking, so the coach finds them again.
    Raise Refused: kind, no-unit, taken, not-found."""
    address, is_new = await address_for(session, channel, phone, now)
    contact = await session.get(Contact, address.contact_id)
    assert contact is not None and contact.id is not None
    visit_kind = await _kind_for(session, actor, kind, unit_id or contact.unit_id)
    moment = await _start_of(session, policy, visit_kind, start, now)
    first_name = (first_name or "").strip()[:MAX_NAME] or None
    record = await book_for(session, policy, visit_kind, moment, contact.id, now, actor.name,
                            first_name=first_name,
                            interpreter_language=(interpreter or "").strip().lower()[:40] or None,
                            accessibility=accessibility)
    if record is None:
        nearby = [s.start for s in (await free_slots(session, visit_kind, now, policy.zone))[:6]]
        raise Refused("taken", "that time is not free; next free: " + (
            ", ".join(f"{s.astimezone(policy.zone):%Y-%m-%d %H:%M}" for s in nearby) or "none"))
    # A person of another unit: booked, but their name is not this coach's to write.
    if first_name and not contact.first_name and (contact.unit_id is None
                                                  or actor.may_act_on(contact.unit_id)):
        contact.first_name = first_name
    if contact.unit_id is None:
        contact.unit_id = visit_kind.unit_id
    await schedule(session, CONFIRMATION, now, now, contact_id=contact.id,
                   payload={"booking_id": record.id, "address_id": address.id},
                   key=f"confirmation:{record.id}")
    await audit(session, now, actor.name, "booking.added", contact.id, f"booking {record.id}")
    return BookedFor(record, visit_kind, contact, address, is_new,
                     await other_unit_of(session, record))


async def _kind_for(session: AsyncSession, actor: Actor, kind: str | int,
                    unit_id: int | None) -> VisitKind:
    if isinstance(kind, int):
        found = await session.get(VisitKind, kind)
    else:
        if unit_id is None:
            raise Refused("no-unit", "this person has no jobbtorg yet: give the unit")
        found = await kind_by_slug(session, unit_id, kind)
    if found is None or not found.active or not actor.may_act_on(found.unit_id):
        known = ", ".join(k.slug for k in await kinds_of(session, unit_id)) if unit_id else ""
        raise Refused("kind", f"no visit kind {kind!r} at this unit"
                      + (f"; kinds: {known}" if known and actor.may_act_on(unit_id) else ""))
    return found


async def _start_of(session: AsyncSession, policy: Policy, kind: VisitKind,
                    start: datetime | date, now: datetime) -> datetime:
    if isinstance(start, datetime):
        if start.tzinfo is None:
            raise Refused("time", "the start needs a time zone")
        return start
    if not kind.drop_in:
        raise Refused("time", "give the start time, e.g. '2026-12-01 10:00'")
    slots = await free_slots(session, kind, now, policy.zone, only_day=start)
    if not slots:
        raise Refused("taken", f"no drop-in with free places on {start}")
    return slots[0].start


def local_start(day: date, hour_minute: tuple[int, int], policy: Policy) -> datetime:
    """A local wall time as an aware moment; Refused when daylight saving skips it."""
    moment = local_moment(day, time(*hour_minute), policy.zone)
    if moment is None:
        raise Refused("time", f"{day} {hour_minute[0]:02d}:{hour_minute[1]:02d} does not exist "
                              "in local time (daylight saving)")
    return moment


# --- cancel and move ------------------------------------------------------------------


async def cancel_visit(session: AsyncSession, policy: Policy, actor: Actor, now: datetime,
                       booking_id: int, reason: str = "") -> Booking:
    """Cancel a booked visit for the person: the seat is freed, their reminders go, and
    they are told in their language and channel (with a cancelling .ics where files go).
    Raise Refused: not-found, not-booked, past."""
    item = await _booking(session, actor, booking_id)
    if item.status != "booked":
        raise Refused("not-booked", f"booking {booking_id} is {item.status}, not booked")
    if item.end <= now:
        raise Refused("past", f"booking {booking_id} has already taken place")
    await cancel_booking(session, item, now)
    await cancel_reminders(session, item)
    reason = " ".join(reason.split())[:MAX_REASON]
    await schedule(session, STAFF_CANCELLED, now, now, contact_id=item.contact_id,
                   payload={"booking_id": item.id, "reason": reason},
                   key=f"staff-cancelled:{item.id}")
    await audit(session, now, actor.name, "booking.cancelled", item.contact_id,
                f"booking {item.id}" + (f": {reason}" if reason else ""))
    return item


async def move_visit(session: AsyncSession, policy: Policy, actor: Actor, now: datetime,
                     booking_id: int, start: datetime) -> Booking:
    """Move a booked visit to another free time of the same kind: the new seat is taken
    before the old one is freed, reminders follow, and the person gets the new time (with
    an updated .ics where files go). Raise Refused: not-found, not-booked, past, same, taken."""
    item = await _booking(session, actor, booking_id)
    if item.status != "booked":
        raise Refused("not-booked", f"booking {booking_id} is {item.status}, not booked")
    if item.end <= now:
        raise Refused("past", f"booking {booking_id} has already taken place")
    if start == item.start:
        raise Refused("same", f"booking {booking_id} is already at that time")
    kind = await session.get(VisitKind, item.kind_id)
    assert kind is not None
    slot: SlotTime | None = await free_slot_at(session, kind, start, now, policy.zone)
    slot_id = await take_seat(session, kind, start) if slot is not None else None
    if slot is None or slot_id is None:
        nearby = [s.start for s in (await free_slots(session, kind, now, policy.zone))[:6]]
        raise Refused("taken", "that time is not free; next free: " + (
            ", ".join(f"{s.astimezone(policy.zone):%Y-%m-%d %H:%M}" for s in nearby) or "none"))
    await free_seat(session, item.slot_id)
    await cancel_reminders(session, item)
    before = item.start
    item.slot_id, item.start, item.end = slot_id, slot.start, slot.end
    await session.flush()
    await schedule_reminders(session, item, policy, now)
    await schedule(session, STAFF_MOVED, now, now, contact_id=item.contact_id,
                   payload={"booking_id": item.id, "start": int(item.start.timestamp())},
                   key=f"staff-moved:{item.id}:{int(item.start.timestamp())}")
    await audit(session, now, actor.name, "booking.moved", item.contact_id,
                f"booking {item.id}: {before.isoformat()} -> {item.start.isoformat()}")
    return item


# --- marking and enrolment ------------------------------------------------------------


async def mark_visit(session: AsyncSession, policy: Policy, actor: Actor, now: datetime,
                     booking_id: int, outcome: str) -> Booking:
    """Record attended or no-show (again, to correct it). A no-show gets one offer of a
    new time the next day; marking attended withdraws it, and a no-show again restores it.
    Raise Refused: outcome, not-found, cancelled, not-started."""
    if outcome not in OUTCOMES:
        raise Refused("outcome", "the outcome is attended or no-show")
    item = await _booking(session, actor, booking_id)
    if item.status == "cancelled":
        raise Refused("cancelled", f"booking {booking_id} was cancelled")
    if item.start > now:
        raise Refused("not-started", f"booking {booking_id} has not started yet")
    item.status = outcome
    item.marked_at = now
    item.marked_by = actor.name
    await audit(session, now, actor.name, f"visit.{outcome}", item.contact_id, f"booking {item.id}")
    if outcome == "no-show":
        await schedule_no_show_offer(session, item, policy, now)
    else:
        await cancel_no_show_offer(session, item)
    return item


@dataclass(frozen=True)
class Enrolment:
    """What `enrol` did: `new` when the person was not inskriven before; `changed` when
    someone already inskriven got another programme (`programme_was` -> `programme`)."""

    new: bool
    changed: bool = False
    programme_was: str | None = None
    programme: str | None = None


async def enrol(session: AsyncSession, actor: Actor, now: datetime, contact: Contact,
                programme: str | None = None) -> Enrolment:
    """Record that a person is inskriven (and in which programme, a key of PROGRAMMES,
    when given). Someone already inskriven stays so, and a different programme replaces
    theirs (said in the result, and audit-logged). The caller has checked that the actor
    may see the person."""
    was = contact.programme
    changed = programme is not None and programme != was
    if changed:
        contact.programme = programme
    if contact.enrolled_at is not None:
        if changed:
            await audit(session, now, actor.name, "contact.programme", contact.id,
                        f"{was or '-'} -> {programme}")
        return Enrolment(False, changed, was, contact.programme)
    contact.enrolled_at = now
    await audit(session, now, actor.name, "contact.enrolled", contact.id)
    return Enrolment(True, programme=contact.programme)


async def move_person(session: AsyncSession, actor: Actor, now: datetime, contact_id: int,
                      unit_id: int) -> Contact:
    """Move a person to another jobbtorg (an admin's action): that unit's coaches then see
    their page, enrol them and record their avslut. Raise Refused: not-allowed, not-found,
    same."""
    if actor.scope is not None:
        raise Refused("not-allowed", "only an admin moves a person to another unit")
    contact = await session.get(Contact, contact_id)
    unit = await session.get(Unit, unit_id)
    if contact is None or unit is None:
        raise Refused("not-found", f"no person {contact_id} or no unit {unit_id}")
    if contact.unit_id == unit_id:
        raise Refused("same", f"the person already belongs to {unit.name}")
    before = contact.unit_id
    contact.unit_id = unit_id
    await audit(session, now, actor.name, "contact.moved", contact.id,
                f"unit {before or '-'} -> {unit_id}")
    return contact
