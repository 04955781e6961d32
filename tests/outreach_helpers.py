"""People, broadcasts and events made straight in the database, for the outreach tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelAddress, Contact, District, Outbox
from storage.outreach import Broadcast, Event


async def person(session: AsyncSession, now: datetime, name: str, *,
                 channels: tuple[str, ...] = ("sim-sms",), language: str = "sv",
                 gender: str | None = "kvinna", age_band: str = "20-24",
                 district: str | None = "rinkeby-kista", status: str = "active",
                 opted_out: tuple[str, ...] = (), unreachable: tuple[str, ...] = (),
                 source_id: int | None = None, help_topic: str = "jobb",
                 last_active: datetime | None = None) -> Contact:
    """A consented person with one address per channel, named `<name>-<channel>`."""
    found = (await session.execute(select(District).where(District.slug == district))).scalar() \
        if district else None
    contact = Contact(created_at=now, last_active_at=last_active or now, status=status,
                      language=language, gender=gender, age_band=age_band,
                      district_id=found.id if found else None,
                      unit_id=found.unit_id if found else None, help_topic=help_topic,
                      source_id=source_id, consented_at=now if status == "active" else None)
    session.add(contact)
    await session.flush()
    for channel in channels:
        session.add(ChannelAddress(contact_id=contact.id, channel=channel,  # type: ignore[arg-type]
                                   address=f"{name}-{channel}", created_at=now,
                                   opted_out=channel in opted_out,
                                   unreachable=channel in unreachable))
    await session.flush()
    return contact


async def draft(session: AsyncSession, now: datetime, texts: dict[str, str] | None = None,
                segment: dict[str, Any] | None = None, event_id: int | None = None) -> Broadcast:
    broadcast = Broadcast(name="test", texts=texts or {"sv": "Hej! Välkommen till Jobbtorg."},
                          segment=segment or {}, event_id=event_id, created_at=now)
    session.add(broadcast)
    await session.flush()
    return broadcast


async def event(session: AsyncSession, now: datetime, starts_at: datetime, seats: int = 10) -> Event:
    row = Event(kind="rekryteringstraff", title="Rekryteringsträff", starts_at=starts_at,
                place="Kistagången 12", seats=seats, created_at=now)
    session.add(row)
    await session.flush()
    return row


async def rows_of(session: AsyncSession, broadcast_id: int) -> list[Outbox]:
    result = await session.execute(
        select(Outbox).where(Outbox.broadcast_id == broadcast_id).order_by(Outbox.id))
    return list(result.scalars())
