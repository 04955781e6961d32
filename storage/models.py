"""The foundation tables: people, their addresses, conversations, messages, jobs, staff.

Feature tables (bookings, sources, broadcasts, surveys) live in their own modules in
this package and are imported by `storage.tables` so Alembic sees every table.
Enums are stored as plain strings (DESIGN.md, "Storage notes").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from storage.db import UTCDateTime


def utc(nullable: bool = True, index: bool = False) -> Any:
    """A UTC datetime column; every datetime in this package uses it."""
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def json_column(default: Any = dict) -> Any:
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


class District(SQLModel, table=True):
    """A stadsdelsområde, routed to one jobbtorg."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=120)
    unit_id: int = Field(foreign_key="unit.id", index=True)


class Unit(SQLModel, table=True):
    """One jobbtorg."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=120)
    site: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=240)
    phone: str = Field(default="", max_length=40)
    # What to bring to a visit, the unit's own words per language ({"sv": "...", "en": "..."});
    # a language without one gets the catalog's general advice.
    bring: dict[str, str] = json_column()


class Contact(SQLModel, table=True):
    """A person the bot talks to. Holds only what they chose to give."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = utc(nullable=False)
    last_active_at: datetime | None = utc(index=True)
    status: str = Field(default="new", max_length=16)  # new, active, declined (erased: no row)
    language: str = Field(default="sv", max_length=8)
    age_band: str | None = Field(default=None, max_length=8)  # 16-19, 20-24, 25-29, 30+
    gender: str | None = Field(default=None, max_length=16)  # kvinna, man, annat, ej-angivet
    district_id: int | None = Field(default=None, foreign_key="district.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    help_topic: str | None = Field(default=None, max_length=32)
    first_name: str | None = Field(default=None, max_length=60)
    source_id: int | None = Field(default=None, index=True)
    consented_at: datetime | None = utc()
    notice_version: str | None = Field(default=None, max_length=16)
    enrolled_at: datetime | None = utc()
    # The programme (insats) a coach enrolled the person in; a key of PROGRAMMES.
    programme: str | None = Field(default=None, max_length=32)


class ChannelAddress(SQLModel, table=True):
    """Where a person is reached: a Telegram chat id or an E.164 number (or a simulator user)."""

    __table_args__ = (UniqueConstraint("channel", "address", name="uq_address_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    channel: str = Field(max_length=16)  # telegram, sms, sim-telegram, sim-sms
    address: str = Field(max_length=64)
    opted_out: bool = False
    unreachable: bool = False
    created_at: datetime = utc(nullable=False)


class Consent(SQLModel, table=True):
    """A yes to the privacy notice, with its time and the notice version."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    given_at: datetime = utc(nullable=False)
    notice_version: str = Field(max_length=16)
    withdrawn_at: datetime | None = utc()


class ConversationState(SQLModel, table=True):
    """Where a person's conversation stands. Locked per message (row lock + version)."""

    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    flow: str = Field(default="onboarding", max_length=32)
    step: str = Field(default="start", max_length=48)
    data: dict[str, Any] = json_column()
    options: list[dict[str, str]] = json_column(list)  # the last options offered
    reasks: int = 0
    version: int = 0
    updated_at: datetime = utc(nullable=False)
    # A question the bot itself sent later (survey, RSVP) stays open until this time.
    open_until: datetime | None = utc()


class InboundMessage(SQLModel, table=True):
    """Every message received, deduplicated on the provider's id."""

    __table_args__ = (UniqueConstraint("channel", "provider_id", name="uq_inbound_provider"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    provider_id: str = Field(max_length=80)
    contact_id: int | None = Field(default=None, index=True)
    received_at: datetime = utc(nullable=False)
    kind: str = Field(default="text", max_length=16)
    text: str | None = None


class Outbox(SQLModel, table=True):
    """A message to deliver to a person. Only the dispatcher sends these."""

    __table_args__ = (
        Index("ix_outbox_ready", "status", "priority", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, index=True)
    # No foreign key: a last message to an erased person must still go out, after which
    # the dispatcher blanks it (see `ephemeral`).
    address_id: int | None = Field(default=None, index=True)
    # A message to staff about a person (a hand-off notice): emptied if they are erased.
    about_contact_id: int | None = Field(default=None, index=True)
    channel: str = Field(max_length=16)
    to_address: str = Field(max_length=64)
    ephemeral: bool = False  # blank text and address once sent (the person was erased)
    priority: int = 0  # 0: a reply to a person, 1: bulk (broadcasts), dispatched after replies
    text: str = ""
    options: list[dict[str, str]] = json_column(list)
    attachment_name: str | None = Field(default=None, max_length=120)
    attachment_type: str | None = Field(default=None, max_length=80)
    attachment: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    status: str = Field(default="queued", max_length=16)  # queued, sent, delivered, failed, cancelled
    attempts: int = 0
    next_attempt_at: datetime = utc(nullable=False)
    lease_until: datetime | None = utc()
    provider_message_id: str | None = Field(default=None, max_length=80, index=True)
    error: str | None = Field(default=None, max_length=200)
    created_at: datetime = utc(nullable=False)
    sent_at: datetime | None = utc()
    broadcast_id: int | None = Field(default=None, index=True)
    # A message the bot starts (a reminder, a survey, a broadcast): its kind (the catalog key,
    # or "broadcast") and the fields its text was filled with, so a channel that may only
    # write first with an approved template (WhatsApp) can send that template instead.
    kind: str | None = Field(default=None, max_length=64)
    fields: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Held until this local-time-aware moment (quiet hours for SMS bulk).
    not_before: datetime | None = utc()


class DeliveryAttempt(SQLModel, table=True):
    """One try at sending an outbox row, with what happened."""

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="outbox.id", index=True, ondelete="CASCADE")
    at: datetime = utc(nullable=False)
    outcome: str = Field(max_length=24)  # sent, retry, rate-limited, failed, blocked
    detail: str | None = Field(default=None, max_length=200)


class Job(SQLModel, table=True):
    """Timed work: reminders, surveys, scheduled broadcasts. Fires once."""

    __table_args__ = (Index("ix_job_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    contact_id: int | None = Field(default=None, index=True)
    due_at: datetime = utc(nullable=False)
    payload: dict[str, Any] = json_column()
    status: str = Field(default="pending", max_length=16)  # pending, done, cancelled, failed
    # Jobs that must exist once (e.g. "reminder:booking:12:24h") carry a unique key.
    key: str | None = Field(default=None, max_length=120, unique=True)
    attempts: int = 0  # failed runs; storage.jobs.retry_later backs off, then gives up
    created_at: datetime = utc(nullable=False)
    done_at: datetime | None = utc()
    error: str | None = Field(default=None, max_length=200)


class StaffUser(SQLModel, table=True):
    """Someone at the city who uses the dashboard, the CLI or Telegram staff commands."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    password_hash: str = Field(default="", max_length=200)
    role: str = Field(max_length=16)  # admin, outreach, coach, analyst
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    # Where a multi-step staff command in Telegram stands (e.g. composing a broadcast).
    chat_state: dict[str, Any] = json_column()
    active: bool = True
    created_at: datetime = utc(nullable=False)


class AuditLog(SQLModel, table=True):
    """Who read or changed a person's data, and when."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc(nullable=False, index=True)
    actor: str = Field(max_length=80)  # staff username, "cli", "system"
    action: str = Field(max_length=48)
    contact_id: int | None = Field(default=None, index=True)
    detail: str | None = Field(default=None, max_length=400)
    # The row was about a person since erased: kept, without them (contact_id NULL).
    person_erased: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})


class HandoffRequest(SQLModel, table=True):
    """A person asked to talk to a human; a coach at their unit answers."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    unit_id: int | None = Field(default=None, index=True)
    created_at: datetime = utc(nullable=False)
    status: str = Field(default="open", max_length=16)  # open, answered, closed
    closed_at: datetime | None = utc()
    # The person's latest message into the thread, and when a coach last opened it:
    # the thread is unread while the first is later than the second.
    last_message_at: datetime | None = utc()
    read_at: datetime | None = utc()


FEEDBACK_TEXT_LENGTH = 4096  # Telegram's longest message: one message is kept whole


class Feedback(SQLModel, table=True):
    """Anonymous feedback in the city's categories (bemötande, tillgänglighet, ...)."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = utc(nullable=False)
    category: str = Field(max_length=24)
    text: str = Field(default="", max_length=FEEDBACK_TEXT_LENGTH)
    unit_id: int | None = None
    # Who wrote it, only so that RADERA can empty the text (it may name or locate them);
    # the category stays as an anonymous count.
    contact_id: int | None = Field(default=None, index=True)


class ErasedCount(SQLModel, table=True):
    """Anonymous counts kept after erasure, so statistics stay whole."""

    id: int | None = Field(default=None, primary_key=True)
    erased_at: datetime = utc(nullable=False)
    reason: str = Field(max_length=24)  # asked, under-16, declined, retention, no-consent
    gender: str | None = Field(default=None, max_length=16)
    age_band: str | None = Field(default=None, max_length=8)
    unit_id: int | None = None
    source_id: int | None = None
    # Kept so the funnel counts an erased person where and how far they came (the rows
    # kept before these columns existed have them empty).
    district_id: int | None = None
    first_contact_at: datetime | None = utc()
    journey: str | None = Field(default=None, max_length=120)  # steps passed, comma-separated


class Setting(SQLModel, table=True):
    """Small persisted values, such as the demo clock's offset."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=200)
