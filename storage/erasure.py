"""Erasing a person: what must happen first, then every row about them goes (outbox,
audit and feedback rows stay, emptied and unlinked).

The steps before the delete are listed here, not registered by the features, so any
process that erases (a keyword, the nightly retention job, the CLI) does all of them
whatever else it has imported.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.bookings import release_before_erase
from storage.followup import keep_anonymous_outcome
from storage.models import AuditLog, Contact, DeliveryAttempt, ErasedCount, Feedback, Outbox
from storage.outreach import release_seats_before_erase
from storage.people import month_start
from storage.tables import metadata

BeforeErase = Callable[[AsyncSession, Contact, datetime], Awaitable[None]]

# Seats the person held go back (the waiting list moves up); their avslut stay as
# anonymous outcomes.
BEFORE_ERASE: tuple[BeforeErase, ...] = (
    release_before_erase,
    release_seats_before_erase,
    keep_anonymous_outcome,
)


# Tables whose rows about a person are kept, unlinked and emptied, rather than deleted.
KEPT_ON_ERASE = {"contact", "outbox", "auditlog", "feedback"}
_UNSYNCED = {"synchronize_session": False}


async def scrub_outbox(session: AsyncSession, contact_id: int) -> None:
    """Empty and unlink the person's outbox rows (and staff notices about them) instead of
    deleting them: the dispatcher may hold some in flight and must still be able to save
    their outcome. Rows not yet sent are cancelled; the dispatcher leaves an emptied row
    as it finds it."""
    theirs = (col(Outbox.contact_id) == contact_id) | (col(Outbox.about_contact_id) == contact_id)
    await session.execute(
        update(DeliveryAttempt)
        .where(col(DeliveryAttempt.outbox_id).in_(select(col(Outbox.id)).where(theirs)))
        .values(detail=None).execution_options(**_UNSYNCED))
    await session.execute(update(Outbox).where(theirs, col(Outbox.status) == "queued")
                          .values(status="cancelled", error="erased").execution_options(**_UNSYNCED))
    await session.execute(
        update(Outbox).where(theirs)
        .values(contact_id=None, address_id=None, about_contact_id=None, to_address="", text="",
                options=[], attachment=None, attachment_name=None, fields=None)
        .execution_options(**_UNSYNCED))


async def scrub_kept_rows(session: AsyncSession, contact_id: int) -> None:
    """Audit rows stay (who read or changed what, and when) without the person: no link,
    no detail. Unlinked, because SQLite hands a deleted contact's id to the next person.
    Feedback keeps its category as an anonymous count, without the words."""
    await session.execute(
        update(AuditLog).where(col(AuditLog.contact_id) == contact_id)
        .values(contact_id=None, detail=None, person_erased=True).execution_options(**_UNSYNCED))
    await session.execute(
        update(Feedback).where(col(Feedback.contact_id) == contact_id)
        .values(contact_id=None, text="").execution_options(**_UNSYNCED))


async def erase_contact(session: AsyncSession, contact: Contact, reason: str, now: datetime) -> None:
    """Remove everything about a person; keep one anonymous count row for the statistics.

    Every table with a contact_id column loses the person's rows, so feature tables
    added later are covered without a change here; outbox, audit
    and feedback rows are kept, emptied and unlinked.
    """
    assert contact.id is not None
    from storage.funnel import journey_text  # the funnel reads bookings: a feature module

    journey = await journey_text(session, contact)  # before hooks release bookings
    for step in BEFORE_ERASE:
        await step(session, contact, now)
    session.add(ErasedCount(erased_at=now, reason=reason, gender=contact.gender,
                            age_band=contact.age_band, unit_id=contact.unit_id,
                            source_id=contact.source_id, district_id=contact.district_id,
                            first_contact_at=month_start(contact.created_at), journey=journey))
    await session.flush()
    await scrub_outbox(session, contact.id)
    await scrub_kept_rows(session, contact.id)
    for table in reversed(metadata.sorted_tables):
        if table.name not in KEPT_ON_ERASE and "contact_id" in table.c:
            await session.execute(delete(table).where(table.c.contact_id == contact.id))
    await session.execute(delete(Contact).where(col(Contact.id) == contact.id))
    session.expunge(contact)
