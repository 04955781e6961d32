"""Booking tables and their queries: opening hours, closures, visit kinds, seats, bookings.

Seats are counted in `Slot` rows, one per kind and start time, made on first use. A seat
is taken with a conditional UPDATE ... SET taken = taken + 1 WHERE taken < seats, which
both databases apply atomically, so two people can never get the last seat.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Index, UniqueConstraint, delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from storage.models import Contact, Unit, json_column, utc
from storage.people import insert_for

STATUSES = ("booked", "cancelled", "attended", "no-show")
CODE_ALPHABET = "ACDEFHJKLMNPRTUVWXY3479"  # no 0/O, 1/I, 5/S, 8/B, 2/Z look-alikes
CODE_LENGTH = 6


class OpeningHours(SQLModel, table=True):
    """One opening window of a unit on one weekday (Monday 0), in local wall time."""

    __tablename__ = "opening_hours"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    weekday: int  # 0 Monday ... 6 Sunday
    opens: str = Field(max_length=5)  # "09:00"
    closes: str = Field(max_length=5)  # "16:00"


class Closure(SQLModel, table=True):
    """A day a unit is closed beyond the public holidays (a staff day, a move)."""

    __table_args__ = (UniqueConstraint("unit_id", "day", name="uq_closure_unit_day"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    day: date = Field(sa_type=Date)
    reason: str = Field(default="", max_length=120)


class VisitKind(SQLModel, table=True):
    """A kind of visit a unit offers, with its rules for booking."""

    __tablename__ = "visit_kind"
    __table_args__ = (UniqueConstraint("unit_id", "slug", name="uq_visit_kind_unit_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    slug: str = Field(max_length=40)  # forsta-besok, informationstraff, vagledning, drop-in
    name: str = Field(max_length=80)  # shown when the catalog has no booking.kind.<slug>
    duration_minutes: int = 45
    step_minutes: int = 60
    seats: int = 1
    min_notice_minutes: int = 120
    horizon_days: int = 28
    drop_in: bool = False
    # The kind's own hours ({"1": [["13:00", "15:00"]]}); empty: the unit's opening hours.
    hours: dict[str, Any] = json_column()
    position: int = 0
    active: bool = True


class Slot(SQLModel, table=True):
    """The seat counter of one kind at one start time."""

    __table_args__ = (UniqueConstraint("kind_id", "start", name="uq_slot_kind_start"),)

    id: int | None = Field(default=None, primary_key=True)
    kind_id: int = Field(foreign_key="visit_kind.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    start: datetime = utc(nullable=False)
    seats: int
    taken: int = 0


class Booking(SQLModel, table=True):
    """A person's visit at a jobbtorg."""

    __table_args__ = (Index("ix_booking_unit_start", "unit_id", "start"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True)  # told to the person, seen by the coach
    contact_id: int = Field(foreign_key="contact.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    kind_id: int = Field(foreign_key="visit_kind.id")
    slot_id: int | None = Field(default=None, foreign_key="slot.id")
    start: datetime = utc(nullable=False)
    end: datetime = utc(nullable=False)
    seats: int = 1
    first_name: str | None = Field(default=None, max_length=60)
    interpreter_language: str | None = Field(default=None, max_length=40)  # None: no interpreter
    accessibility: bool = False
    status: str = Field(default="booked", max_length=16)  # booked, cancelled, attended, no-show
    booked_by: str = Field(default="self", max_length=80)  # self, or the operator/staff name
    created_at: datetime = utc(nullable=False)
    cancelled_at: datetime | None = utc()
    marked_at: datetime | None = utc()
    marked_by: str | None = Field(default=None, max_length=80)


# ----------------------------------------------------------------------------- units


async def opening_hours(session: AsyncSession, unit_id: int) -> dict[int, list[tuple[time, time]]]:
    result = await session.execute(
        select(OpeningHours).where(col(OpeningHours.unit_id) == unit_id)
        .order_by(col(OpeningHours.weekday), col(OpeningHours.opens))
    )
    hours: dict[int, list[tuple[time, time]]] = {}
    for row in result.scalars():
        hours.setdefault(row.weekday, []).append(
            (time.fromisoformat(row.opens), time.fromisoformat(row.closes)))
    return hours


async def set_opening_hours(session: AsyncSession, unit_id: int, weekday: int,
                            windows: list[tuple[time, time]]) -> None:
    """Replace one weekday's windows (an empty list: closed that weekday)."""
    await session.execute(delete(OpeningHours).where(col(OpeningHours.unit_id) == unit_id,
                                                     col(OpeningHours.weekday) == weekday))
    for opens, closes in windows:
        session.add(OpeningHours(unit_id=unit_id, weekday=weekday,
                                 opens=opens.strftime("%H:%M"), closes=closes.strftime("%H:%M")))
    await session.flush()


async def closures(session: AsyncSession, unit_id: int, first: date | None = None,
                   last: date | None = None) -> list[Closure]:
    statement = select(Closure).where(col(Closure.unit_id) == unit_id)
    if first is not None:
        statement = statement.where(col(Closure.day) >= first)
    if last is not None:
        statement = statement.where(col(Closure.day) <= last)
    return list((await session.execute(statement.order_by(col(Closure.day)))).scalars())


async def close_day(session: AsyncSession, unit_id: int, day: date, reason: str) -> None:
    await session.execute(
        insert_for(session, Closure).values(unit_id=unit_id, day=day, reason=reason)
        .on_conflict_do_nothing(index_elements=["unit_id", "day"]))


async def reopen_day(session: AsyncSession, unit_id: int, day: date) -> int:
    result = await session.execute(delete(Closure).where(col(Closure.unit_id) == unit_id,
                                                         col(Closure.day) == day))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def kinds_of(session: AsyncSession, unit_id: int, active_only: bool = True) -> list[VisitKind]:
    statement = select(VisitKind).where(col(VisitKind.unit_id) == unit_id)
    if active_only:
        statement = statement.where(col(VisitKind.active).is_(True))
    statement = statement.order_by(col(VisitKind.position), col(VisitKind.id))
    return list((await session.execute(statement)).scalars())


async def kind_by_slug(session: AsyncSession, unit_id: int, slug: str) -> VisitKind | None:
    result = await session.execute(select(VisitKind).where(col(VisitKind.unit_id) == unit_id,
                                                           col(VisitKind.slug) == slug))
    return result.scalar_one_or_none()


# ----------------------------------------------------------------------------- seats


async def full_starts(session: AsyncSession, kind_id: int, first: datetime,
                      last: datetime) -> set[datetime]:
    """Start times of this kind between two moments whose seats are all taken."""
    result = await session.execute(
        select(col(Slot.start)).where(col(Slot.kind_id) == kind_id, col(Slot.start) >= first,
                                 col(Slot.start) <= last, col(Slot.taken) >= col(Slot.seats))
    )
    return set(result.scalars())


async def take_seat(session: AsyncSession, kind: VisitKind, start: datetime) -> int | None:
    """Take one seat of a kind at a start time; the slot's id, or None when it is full."""
    await session.execute(
        insert_for(session, Slot)
        .values(kind_id=kind.id, unit_id=kind.unit_id, start=start, seats=kind.seats, taken=0)
        .on_conflict_do_nothing(index_elements=["kind_id", "start"]))
    result = await session.execute(
        update(Slot)
        .where(col(Slot.kind_id) == kind.id, col(Slot.start) == start,
               col(Slot.taken) < col(Slot.seats))
        .values(taken=col(Slot.taken) + 1)
        .returning(col(Slot.id))
    )
    return result.scalar_one_or_none()


async def release_seat(session: AsyncSession, slot_id: int | None) -> None:
    if slot_id is None:
        return
    await session.execute(update(Slot).where(col(Slot.id) == slot_id, col(Slot.taken) > 0)
                          .values(taken=col(Slot.taken) - 1))


async def resize_future_slots(session: AsyncSession, kind_id: int, seats: int, now: datetime) -> None:
    """A kind's seat count changed: future counters follow (taken seats stay taken)."""
    await session.execute(update(Slot).where(col(Slot.kind_id) == kind_id, col(Slot.start) > now)
                          .values(seats=seats))


# ----------------------------------------------------------------------------- bookings


async def booking_by_code(session: AsyncSession, code: str) -> Booking | None:
    """The booking with this code (as the person was told it; any case)."""
    result = await session.execute(select(Booking).where(col(Booking.code) == code.upper()))
    return result.scalars().first()


async def new_code(session: AsyncSession) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = await session.execute(select(col(Booking.id)).where(col(Booking.code) == code))
        if taken.scalar_one_or_none() is None:
            return code


async def upcoming_bookings(session: AsyncSession, contact_id: int, now: datetime) -> list[Booking]:
    """A person's booked visits that have not ended yet, soonest first."""
    result = await session.execute(
        select(Booking).where(col(Booking.contact_id) == contact_id, col(Booking.status) == "booked",
                              col(Booking.end) > now)
        .order_by(col(Booking.start))
    )
    return list(result.scalars())


async def bookings_of(session: AsyncSession, contact_id: int) -> list[Booking]:
    result = await session.execute(select(Booking).where(col(Booking.contact_id) == contact_id)
                                   .order_by(col(Booking.start)))
    return list(result.scalars())


async def bookings_between(session: AsyncSession, first: datetime, last: datetime,
                           unit_id: int | None = None, statuses: tuple[str, ...] = STATUSES,
                           ) -> list[tuple[Booking, VisitKind, Unit]]:
    """Bookings starting in [first, last), with their kind and unit, by start time."""
    statement = (
        select(Booking, VisitKind, Unit)
        .join(VisitKind, col(VisitKind.id) == col(Booking.kind_id))
        .join(Unit, col(Unit.id) == col(Booking.unit_id))
        .where(col(Booking.start) >= first, col(Booking.start) < last,
               col(Booking.status).in_(statuses))
    )
    if unit_id is not None:
        statement = statement.where(col(Booking.unit_id) == unit_id)
    statement = statement.order_by(col(Booking.start), col(Booking.id))
    return [(b, k, u) for b, k, u in (await session.execute(statement)).all()]


async def cancel_booking(session: AsyncSession, booking: Booking, now: datetime) -> None:
    """Cancel and free the seat at once."""
    booking.status = "cancelled"
    booking.cancelled_at = now
    await release_seat(session, booking.slot_id)


async def release_before_erase(session: AsyncSession, contact: Contact, now: datetime) -> None:
    """An erased person's future seats become free again before their bookings go.
    One of storage.erasure.BEFORE_ERASE."""
    assert contact.id is not None
    for booking in await upcoming_bookings(session, contact.id, now):
        await release_seat(session, booking.slot_id)



def day_bounds(day: date, zone: Any) -> tuple[datetime, datetime]:
    """The UTC moments a local day starts and ends (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


# ----------------------------------------------------------------------------- demo seed

# (slug, name, duration, step, seats, drop-in, own hours); weekdays Monday 0.
DEMO_KINDS: list[tuple[str, str, int, int, int, bool, dict[str, Any]]] = [
    ("forsta-besok", "Första besök", 45, 60, 1, False, {}),
    ("informationstraff", "Informationsträff", 60, 60, 12, False,
     {"0": [["10:00", "11:00"]], "2": [["14:00", "15:00"]]}),
    ("vagledning", "Studie- och yrkesvägledning", 45, 60, 1, False, {}),
    ("drop-in", "Drop-in", 120, 120, 30, True,
     {"1": [["13:00", "15:00"]], "3": [["13:00", "15:00"]]}),
]
DEMO_HOURS = (time(9), time(16))


async def seed_booking_demo(session: AsyncSession, now: datetime) -> None:
    """Weekday hours 9-16 at every unit, the four visit kinds, drop-in Tue/Thu 13-15.
    Leaves a unit's hours and kinds alone once it has some (safe to run again)."""
    units = list((await session.execute(select(Unit))).scalars())
    for unit in units:
        assert unit.id is not None
        if not await opening_hours(session, unit.id):
            for weekday in range(5):
                await set_opening_hours(session, unit.id, weekday, [DEMO_HOURS])
        for position, (slug, name, duration, step, seats, drop_in, hours) in enumerate(DEMO_KINDS):
            if await kind_by_slug(session, unit.id, slug) is None:
                session.add(VisitKind(unit_id=unit.id, slug=slug, name=name,
                                      duration_minutes=duration, step_minutes=step, seats=seats,
                                      drop_in=drop_in, hours=hours, position=position))
    await session.flush()
