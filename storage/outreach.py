"""Outreach tables and their queries: sources, broadcasts, events and RSVPs.

A source is a place or occasion where outreach staff meet people (a sfi school, a
library, Instagram); a person's first contact is attributed to it through a Telegram
deep-link payload or an SMS keyword. A broadcast is one message, per language, to a
segment; its per-recipient rows are the outbox rows carrying its id. An event
(rekryteringsträff, mässa, öppet hus) has seats taken with a conditional UPDATE and a
waiting list that moves up when someone cancels.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Column, Date, Index, UniqueConstraint, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from storage import jobs
from storage.folding import fold_accents
from storage.models import Contact, Outbox, json_column, utc

SOURCE_KINDS: dict[str, str] = {
    "sfi-skola": "sfi-skola", "oppen-forskola": "öppen förskola", "bibliotek": "bibliotek",
    "fritidsgard": "fritidsgård", "forening": "förening", "medborgarkontor": "medborgarkontor",
    "boende": "boende", "rekryteringsevent": "rekryteringsevent", "instagram": "Instagram",
    "annat": "annat",
}
EVENT_KINDS: dict[str, str] = {
    "rekryteringstraff": "rekryteringsträff", "massa": "mässa", "oppet-hus": "öppet hus",
}

# Broadcast life: draft -> (awaiting-approval ->) scheduled -> sending -> sent; or cancelled.
DRAFT, AWAITING_APPROVAL, SCHEDULED, SENDING, SENT, CANCELLED = (
    "draft", "awaiting-approval", "scheduled", "sending", "sent", "cancelled")
# An RSVP: invited (asked, no answer yet), going, waiting (on the list), declined, cancelled.
INVITED, GOING, WAITING, DECLINED, CANCELLED_RSVP = (
    "invited", "going", "waiting", "declined", "cancelled")


class OutreachSource(SQLModel, table=True):
    """A place or occasion where people are reached; first contacts are attributed to it."""

    __tablename__ = "outreach_source"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)  # a key of SOURCE_KINDS
    name: str = Field(max_length=120)
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    # /start <payload> in a Telegram deep link: at most 64 of [A-Za-z0-9_-].
    payload: str = Field(max_length=64, unique=True)
    # Texted as the first message to the SMS number, e.g. TENSTA. Stored upper case.
    keyword: str = Field(max_length=20, unique=True)
    active: bool = True
    created_at: datetime = utc(nullable=False)


class OutreachMet(SQLModel, table=True):
    """How many people staff met at a source on a day (uppsökta), where they count them."""

    __tablename__ = "outreach_met"

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="outreach_source.id", index=True)
    met_on: date = Field(sa_column=Column(Date, nullable=False, index=True))
    people: int
    recorded_by: str = Field(max_length=80)
    recorded_at: datetime = utc(nullable=False)


class Event(SQLModel, table=True):
    """A rekryteringsträff, mässa or öppet hus with a time, a place and seats."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)  # a key of EVENT_KINDS
    title: str = Field(max_length=120)
    starts_at: datetime = utc(nullable=False, index=True)
    place: str = Field(max_length=240)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    seats: int = 0
    taken: int = 0  # seats taken; only ever changed by a conditional UPDATE
    status: str = Field(default="open", max_length=16)  # open, cancelled
    created_at: datetime = utc(nullable=False)


class Rsvp(SQLModel, table=True):
    """One person's answer to one event's invitation (or the invitation still open)."""

    __table_args__ = (UniqueConstraint("event_id", "contact_id", name="uq_rsvp_person"),
                      Index("ix_rsvp_event_status", "event_id", "status", "id"))

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    status: str = Field(default=INVITED, max_length=16)
    broadcast_id: int | None = None
    created_at: datetime = utc(nullable=False)
    answered_at: datetime | None = utc()
    # The waiting list is served in the order people joined it.
    waiting_since: datetime | None = utc()


class Broadcast(SQLModel, table=True):
    """One message to a segment, with a text per language (Swedish is the fallback)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    texts: dict[str, str] = json_column()  # {"sv": "...", "en": "..."}
    segment: dict[str, Any] = json_column()  # see storage.segments.Segment
    event_id: int | None = Field(default=None, foreign_key="event.id")  # invite with an RSVP
    status: str = Field(default=DRAFT, max_length=20)
    created_by: str = Field(default="cli", max_length=80)
    created_at: datetime = utc(nullable=False)
    scheduled_at: datetime | None = utc()  # when sending starts (None: at once)
    estimate_sek: float = 0.0  # SMS cost estimate at the last preview or send
    approved_by: str | None = Field(default=None, max_length=80)
    approved_at: datetime | None = utc()
    started_at: datetime | None = utc()
    finished_at: datetime | None = utc()
    cancelled_at: datetime | None = utc()
    # Streaming state: recipients are enqueued in batches of contact ids above this.
    cursor: int = 0
    recipients: int = 0  # rows enqueued so far


# -- sources ---------------------------------------------------------------------------

_PAYLOAD_CHARS = re.compile(r"[^a-z0-9_-]+")
_KEYWORD_CHARS = re.compile(r"[^A-Z0-9]+")


def payload_from(name: str) -> str:
    """'Sfi Tensta (vår)' -> 'sfi-tensta-var': a deep-link payload Telegram accepts."""
    slug = _PAYLOAD_CHARS.sub("-", fold_accents(name).lower()).strip("-")
    return slug[:64].strip("-") or "source"


def keyword_from(text: str) -> str:
    """'Tensta bibliotek' -> 'TENSTABIBLIOTEK' (letters and digits, at most 20)."""
    return _KEYWORD_CHARS.sub("", fold_accents(text).upper())[:20]


def valid_payload(payload: str) -> bool:
    return 1 <= len(payload) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", payload) is not None


async def add_source(session: AsyncSession, kind: str, name: str, district_id: int | None,
                     payload: str, keyword: str, now: datetime) -> OutreachSource:
    source = OutreachSource(kind=kind, name=name, district_id=district_id, payload=payload,
                            keyword=keyword.upper(), created_at=now)
    session.add(source)
    await session.flush()
    session.info.pop(ACTIVE_SOURCES, None)
    return source


async def all_sources(session: AsyncSession) -> list[OutreachSource]:
    result = await session.execute(select(OutreachSource).order_by(col(OutreachSource.id)))
    return list(result.scalars())


ACTIVE_SOURCES = "active_sources"  # the session.info key of the transaction's memo


async def active_sources(session: AsyncSession) -> list[OutreachSource]:
    """The active sources, read once per transaction: every first message in a batch
    looks its words up here, and a query each would cost a round trip each."""
    memo: list[OutreachSource] | None = session.info.get(ACTIVE_SOURCES)
    if memo is None:
        result = await session.execute(
            select(OutreachSource).where(col(OutreachSource.active).is_(True)))
        memo = session.info[ACTIVE_SOURCES] = list(result.scalars())
    return memo


async def source_by_payload(session: AsyncSession, payload: str) -> OutreachSource | None:
    return next((s for s in await active_sources(session) if s.payload == payload), None)


async def source_by_keyword(session: AsyncSession, keyword: str) -> OutreachSource | None:
    keyword = keyword.upper()
    return next((s for s in await active_sources(session) if s.keyword == keyword), None)


async def source_by_ref(session: AsyncSession, ref: str) -> OutreachSource | None:
    """A source by id, payload or keyword, as staff type it."""
    if ref.isdigit():
        found = await session.get(OutreachSource, int(ref))
        if found is not None:
            return found
    result = await session.execute(
        select(OutreachSource).where((col(OutreachSource.payload) == ref)
                                     | (col(OutreachSource.keyword) == ref.upper())))
    return result.scalars().first()


# -- events and RSVPs ------------------------------------------------------------------

async def take_seat(session: AsyncSession, event_id: int) -> bool:
    """Take one seat if one is free; True when taken. No count-then-insert race."""
    result = await session.execute(
        update(Event).where(col(Event.id) == event_id, col(Event.taken) < col(Event.seats),
                            col(Event.status) == "open")
        .values(taken=col(Event.taken) + 1))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def free_seat(session: AsyncSession, event_id: int) -> None:
    await session.execute(
        update(Event).where(col(Event.id) == event_id, col(Event.taken) > 0)
        .values(taken=col(Event.taken) - 1))


async def rsvp_of(session: AsyncSession, event_id: int, contact_id: int) -> Rsvp | None:
    result = await session.execute(
        select(Rsvp).where(col(Rsvp.event_id) == event_id, col(Rsvp.contact_id) == contact_id))
    return result.scalar_one_or_none()


async def open_invitation(session: AsyncSession, contact_id: int, now: datetime) -> Rsvp | None:
    """The person's newest invitation to an event that has not started yet."""
    result = await session.execute(
        select(Rsvp).join(Event, col(Event.id) == col(Rsvp.event_id))
        .where(col(Rsvp.contact_id) == contact_id, col(Event.starts_at) > now, col(Event.status) == "open")
        .order_by(col(Event.starts_at).desc(), col(Rsvp.id).desc()).limit(1))
    return result.scalar_one_or_none()


async def first_waiting(session: AsyncSession, event_id: int) -> Rsvp | None:
    result = await session.execute(
        select(Rsvp).where(col(Rsvp.event_id) == event_id, col(Rsvp.status) == WAITING)
        .order_by(col(Rsvp.waiting_since), col(Rsvp.id)).limit(1))
    return result.scalar_one_or_none()


async def waiting_position(session: AsyncSession, rsvp: Rsvp) -> int:
    """1 for the first in line."""
    assert rsvp.waiting_since is not None
    ahead = await session.execute(
        select(func.count()).select_from(Rsvp).where(
            col(Rsvp.event_id) == rsvp.event_id, col(Rsvp.status) == WAITING,
            (col(Rsvp.waiting_since) < rsvp.waiting_since)
            | ((col(Rsvp.waiting_since) == rsvp.waiting_since) & (col(Rsvp.id) < rsvp.id))))
    return int(ahead.scalar_one()) + 1


async def rsvp_counts(session: AsyncSession, event_id: int) -> dict[str, int]:
    result = await session.execute(
        select(col(Rsvp.status), func.count()).where(col(Rsvp.event_id) == event_id)
        .group_by(col(Rsvp.status)))
    counts = {status: 0 for status in (INVITED, GOING, WAITING, DECLINED, CANCELLED_RSVP)}
    counts.update({status: int(n) for status, n in result.all()})
    return counts


async def upcoming_events(session: AsyncSession, now: datetime) -> list[Event]:
    result = await session.execute(
        select(Event).where(col(Event.starts_at) > now).order_by(col(Event.starts_at)))
    return list(result.scalars())


# -- broadcast progress ----------------------------------------------------------------

PROGRESS_STATES = ("queued", "sent", "delivered", "failed", "cancelled")


async def broadcast_progress(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    """Per-recipient outcomes from the outbox rows: queued, sent, delivered, failed, cancelled."""
    result = await session.execute(
        select(col(Outbox.status), func.count()).where(col(Outbox.broadcast_id) == broadcast_id)
        .group_by(col(Outbox.status)))
    counts = {state: 0 for state in PROGRESS_STATES}
    for status, count in result.all():
        key = "delivered" if status == "read" else status
        counts[key] = counts.get(key, 0) + int(count)
    return counts


async def cancel_broadcast_rows(session: AsyncSession, broadcast_id: int) -> int:
    """Cancel every message of a broadcast that has not gone out: nothing more is sent."""
    result = await session.execute(
        update(Outbox).where(col(Outbox.broadcast_id) == broadcast_id, col(Outbox.status) == "queued")
        .values(status="cancelled"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# -- demo data -------------------------------------------------------------------------

DEMO_SOURCES = [  # (kind, name, district slug, payload, keyword)
    ("sfi-skola", "Sfi Tensta", "spanga-tensta", "sfi-tensta", "TENSTA"),
    ("oppen-forskola", "Öppna förskolan Rinkeby", "rinkeby-kista", "oppna-forskolan-rinkeby",
     "RINKEBY"),
    ("bibliotek", "Husby bibliotek", "rinkeby-kista", "husby-bibliotek", "HUSBY"),
    ("fritidsgard", "Fritidsgården Skärholmen", "skarholmen", "fritidsgarden-skarholmen",
     "SKARHOLMEN"),
    ("instagram", "Instagram @jobbtorgstockholm", None, "instagram", "INSTA"),
]
DEMO_EVENT_TITLE = "Rekryteringsträff: lager och logistik"


async def seed_outreach_demo(session: AsyncSession, now: datetime) -> None:
    """A few outreach sources and one upcoming rekryteringsträff at Jobbtorg Järva."""
    from zoneinfo import ZoneInfo

    from storage.places import district_by_slug, unit_by_slug

    for kind, name, district_slug, payload, keyword in DEMO_SOURCES:
        if await source_by_payload(session, payload) is not None:
            continue
        district = await district_by_slug(session, district_slug) if district_slug else None
        await add_source(session, kind, name, district.id if district else None, payload,
                         keyword, now)
    existing = await session.execute(select(Event).where(col(Event.title) == DEMO_EVENT_TITLE))
    if existing.scalars().first() is None:
        zone = ZoneInfo("Europe/Stockholm")
        day = (now.astimezone(zone) + timedelta(days=10)).date()
        unit = await unit_by_slug(session, "jarva")
        session.add(Event(kind="rekryteringstraff", title=DEMO_EVENT_TITLE,
                          starts_at=datetime.combine(day, time(10, 0), tzinfo=zone),
                          place="Kistagången 12, Kista", unit_id=unit.id if unit else None,
                          seats=20, created_at=now))
    await session.flush()


MOVED_UP_JOB = "event-moved-up"  # handled by handlers.rsvp: tells the person


async def move_up(session: AsyncSession, event_id: int, now: datetime) -> None:
    """A seat came free: the first on the waiting list takes it and is told by a job."""
    next_in_line = await first_waiting(session, event_id)
    if next_in_line is None or not await take_seat(session, event_id):
        return
    next_in_line.status, next_in_line.waiting_since = GOING, None
    next_in_line.answered_at = now
    await jobs.schedule(session, MOVED_UP_JOB, now, now, contact_id=next_in_line.contact_id,
                        payload={"rsvp_id": next_in_line.id},
                        key=f"event:{next_in_line.id}:moved-up")


async def release_seats_before_erase(session: AsyncSession, contact: Contact, now: datetime) -> None:
    """A person who is erased gives up their seats, so the waiting list moves up."""
    result = await session.execute(
        select(Rsvp).join(Event, col(Event.id) == col(Rsvp.event_id))
        .where(col(Rsvp.contact_id) == contact.id, col(Rsvp.status) == GOING, col(Event.starts_at) > now))
    for rsvp in list(result.scalars()):
        rsvp.status = CANCELLED_RSVP
        await free_seat(session, rsvp.event_id)
        await session.flush()
        await move_up(session, rsvp.event_id, now)
