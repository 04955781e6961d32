"""Retention: find people kept too long and erase them, leaving only anonymous counts.

Two rules (README, "Personal data"): someone who consented is erased after
RETENTION_MONTHS without a message from them; someone who never consented is erased
after seven silent days. A person with timed work still ahead (a reminder for a visit a
coach booked for them, say) is not "inactive" and is kept until it has passed; someone
staff booked a visit for is kept without consent until the visit is marked (attended or
no-show) or cancelled, and the seven days run from then.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.bookings import Booking
from storage.erasure import erase_contact
from storage.models import AuditLog, Contact, Job

NO_CONSENT_DAYS = 7
INACTIVE, NO_CONSENT = "retention", "no-consent"  # ErasedCount reasons


@dataclass
class Swept:
    """How many people one sweep erased, by rule."""

    inactive: int = 0
    no_consent: int = 0

    @property
    def total(self) -> int:
        return self.inactive + self.no_consent

    def as_dict(self) -> dict[str, int]:
        return {"inactive": self.inactive, "no_consent": self.no_consent}


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _last_seen() -> object:
    return func.coalesce(Contact.last_active_at, Contact.created_at)


async def expired_ids(session: AsyncSession, now: datetime, months: int,
                      limit: int) -> tuple[list[int], list[int]]:
    """Ids of people due for erasure: (inactive after consent, never consented)."""
    work_ahead = exists().where(col(Job.contact_id) == col(Contact.id),
                                col(Job.status) == "pending", col(Job.due_at) > now)
    inactive = await session.execute(
        select(Contact.id)
        .where(col(Contact.consented_at).is_not(None),
               _last_seen() < months_before(now, months), ~work_ahead)  # type: ignore[operator]
        .order_by(col(Contact.id)).limit(limit))
    cutoff = now - timedelta(days=NO_CONSENT_DAYS)
    # A visit staff booked for them (a walk-in, a caller) is contact with us: kept until
    # it is marked (or cancelled), and the seven days run from then.
    staff_visit = exists().where(
        col(Booking.contact_id) == col(Contact.id), col(Booking.booked_by) != "self",
        (col(Booking.status) == "booked") | (col(Booking.marked_at) > cutoff)
        | (col(Booking.cancelled_at) > cutoff))
    silent = await session.execute(
        select(Contact.id)
        .where(col(Contact.consented_at).is_(None), ~staff_visit,
               _last_seen() < cutoff)  # type: ignore[operator]
        .order_by(col(Contact.id)).limit(limit))
    return [int(i) for i in inactive.scalars()], [int(i) for i in silent.scalars()]


async def sweep(session: AsyncSession, now: datetime, months: int, limit: int = 500) -> Swept:
    """Erase up to `limit` people under each rule in this transaction and audit the sweep."""
    inactive, silent = await expired_ids(session, now, months, limit)
    swept = Swept()
    for ids, reason in ((inactive, INACTIVE), (silent, NO_CONSENT)):
        for contact_id in ids:
            contact = await session.get(Contact, contact_id)
            if contact is None:
                continue
            await erase_contact(session, contact, reason, now)
            if reason == INACTIVE:
                swept.inactive += 1
            else:
                swept.no_consent += 1
    if swept.total:
        session.add(AuditLog(at=now, actor="system", action="retention",
                             detail=f"erased {swept.inactive} inactive for {months} months, "
                                    f"{swept.no_consent} without consent after {NO_CONSENT_DAYS} days"))
        await session.flush()
    return swept
