"""Segments: which people a broadcast reaches, as SQL that streams and counts on both databases.

A segment is a set of filters (unit, district, age band, gender, language, source, help
topic, booked or not, last active, channel). Only consented, active people are in one,
and only through an address that is neither opted out nor unreachable; each person is
reached once, through the channel of the lowest rank they have (storage.capabilities:
the free one before the paid one). Channels are asked by capability, never by name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.bookings import Booking
from storage.capabilities import CHANNELS
from storage.models import ChannelAddress, Contact, District, Unit

AGE_BANDS = ("16-19", "20-24", "25-29", "30+")
GENDERS = ("kvinna", "man", "annat", "ej-angivet")
BOOKED_STATUSES = ("booked", "attended", "no-show")  # a booking not cancelled


def channel_kind(channel: str) -> str:
    """'sim-sms' -> 'sms': the simulator looks count as the channel they imitate."""
    return CHANNELS.of(channel).kind


def channel_kinds() -> list[str]:
    """What a segment can be limited to ("telegram", "sms", ...), in rank order."""
    return list(CHANNELS.kinds())


@dataclass
class Segment:
    """Filters; an empty list means 'any'. Stored on a broadcast as JSON (as_dict)."""

    units: list[str] = field(default_factory=list)  # unit slugs
    districts: list[str] = field(default_factory=list)  # district slugs
    age_bands: list[str] = field(default_factory=list)
    genders: list[str] = field(default_factory=list)  # "ej-angivet" also means not given
    languages: list[str] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)  # outreach source ids
    help_topics: list[str] = field(default_factory=list)
    booked: bool | None = None  # True: has a booking; False: has none
    active_within_days: int | None = None  # wrote to us in the last N days
    inactive_for_days: int | None = None  # silent for at least N days
    channels: list[str] = field(default_factory=list)  # channel kinds (channel_kinds())

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in ([], None)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        known = {key: value for key, value in data.items() if key in cls.__dataclass_fields__}
        return cls(**known)

    def describe(self) -> str:
        """A short staff-facing summary, e.g. 'units=jarva; genders=kvinna'."""
        parts = [f"{key}={','.join(map(str, value)) if isinstance(value, list) else value}"
                 for key, value in self.as_dict().items()]
        return "; ".join(parts) or "everyone"


def _contact_filters(segment: Segment, now: datetime) -> list[Any]:
    """WHERE clauses on Contact for a segment (eligibility included)."""
    clauses: list[Any] = [col(Contact.status) == "active", col(Contact.consented_at).is_not(None)]
    if segment.units:
        clauses.append(col(Contact.unit_id).in_(
            select(col(Unit.id)).where(col(Unit.slug).in_(segment.units))))
    if segment.districts:
        clauses.append(col(Contact.district_id).in_(
            select(col(District.id)).where(col(District.slug).in_(segment.districts))))
    if segment.age_bands:
        clauses.append(col(Contact.age_band).in_(segment.age_bands))
    if segment.genders:
        gender: Any = col(Contact.gender).in_(segment.genders)
        if "ej-angivet" in segment.genders:
            gender = or_(gender, col(Contact.gender).is_(None))
        clauses.append(gender)
    if segment.languages:
        clauses.append(col(Contact.language).in_(segment.languages))
    if segment.sources:
        clauses.append(col(Contact.source_id).in_(segment.sources))
    if segment.help_topics:
        clauses.append(col(Contact.help_topic).in_(segment.help_topics))
    if segment.active_within_days is not None:
        clauses.append(col(Contact.last_active_at) >= now - timedelta(days=segment.active_within_days))
    if segment.inactive_for_days is not None:
        clauses.append(col(Contact.last_active_at) < now - timedelta(days=segment.inactive_for_days))
    if segment.booked is not None:
        has_booking = exists(select(col(Booking.id)).where(
            col(Booking.contact_id) == col(Contact.id), col(Booking.status).in_(BOOKED_STATUSES)))
        clauses.append(has_booking if segment.booked else ~has_booking)
    return clauses


def _reachable(address: Any, segment: Segment) -> list[Any]:
    clauses = [address.contact_id == col(Contact.id), address.opted_out.is_(False),
               address.unreachable.is_(False)]
    if segment.channels:
        allowed = [name for kind in segment.channels for name in CHANNELS.names(kind)]
        clauses.append(address.channel.in_(allowed))
    return clauses


def _rank(channel: Any) -> Any:
    """The channel's rank as SQL: the cheapest way to reach a person sorts first."""
    ranks = {caps.name: caps.rank for caps in CHANNELS.all()}
    return case(ranks, value=channel, else_=max(ranks.values(), default=0) + 1)


def recipients(segment: Segment, now: datetime) -> Select:  # type: ignore[type-arg]
    """One row per person in the segment: (contact_id, language, address_id, channel,
    address), ordered by contact id so callers can stream it in keyset batches."""
    best = aliased(ChannelAddress)
    chosen = (
        select(col(best.id)).where(*_reachable(best, segment))
        .order_by(_rank(col(best.channel)), col(best.id).desc())
        .limit(1).correlate(Contact).scalar_subquery()
    )
    return (
        select(col(Contact.id).label("contact_id"), col(Contact.language).label("language"),
               col(ChannelAddress.id).label("address_id"),
               col(ChannelAddress.channel).label("channel"),
               col(ChannelAddress.address).label("address"))
        .select_from(Contact)
        .join(ChannelAddress, col(ChannelAddress.id) == chosen)
        .where(*_contact_filters(segment, now))
        .order_by(col(Contact.id))
    )


async def count(session: AsyncSession, segment: Segment, now: datetime) -> int:
    query = recipients(segment, now).order_by(None).subquery()
    return int((await session.execute(select(func.count()).select_from(query))).scalar_one())


async def counts_by_channel_and_language(
    session: AsyncSession, segment: Segment, now: datetime
) -> dict[tuple[str, str], int]:
    """{(kind, language): people}, e.g. {("sms", "sv"): 12}: the simulator looks fold into
    the channel they imitate."""
    query = recipients(segment, now).order_by(None).subquery()
    result = await session.execute(
        select(query.c.channel, query.c.language, func.count())
        .group_by(query.c.channel, query.c.language))
    totals: dict[tuple[str, str], int] = {}
    for channel, language, number in result.all():
        key = (channel_kind(channel), language)
        totals[key] = totals.get(key, 0) + int(number)
    return totals


@dataclass
class Batch:
    """One stretch of a segment: the reachable people in it, and where the next one starts."""

    rows: list[Any]  # (contact_id, language, address_id, channel, address)
    cursor: int  # the highest contact id this batch looked at
    last: bool  # nobody in the segment comes after it


async def batch_after(session: AsyncSession, segment: Segment, now: datetime, cursor: int,
                      size: int) -> Batch:
    """The next `size` people of the segment after contact id `cursor` (keyset streaming).

    The ids come first (a primary-key range), then the addresses for that range only, so
    a batch costs the same at the millionth person as at the first.
    """
    ids = [int(i) for i in (await session.execute(
        select(col(Contact.id)).where(*_contact_filters(segment, now), col(Contact.id) > cursor)
        .order_by(col(Contact.id)).limit(size))).scalars() if i is not None]
    if not ids:
        return Batch([], cursor, True)
    query = recipients(segment, now).where(col(Contact.id) > cursor, col(Contact.id) <= ids[-1])
    return Batch(list((await session.execute(query)).all()), ids[-1], len(ids) < size)
