"""`jobbtorg events add|list`: rekryteringsträffar, mässor and öppet hus with seats and RSVPs."""

from __future__ import annotations

from typing import Any

import typer
from sqlalchemy import select
from sqlmodel import col

from bot.commands.broadcast import parse_when
from bot.commands.common import fail, output, run, with_services
from bot.commands.options import START_EXAMPLES, read_key, unit_named
from bot.services import Services
from storage.outreach import EVENT_KINDS, Event, rsvp_counts

events_app = typer.Typer(help="Events people are invited to with an RSVP.", no_args_is_help=True)


def event_row(event: Event, counts: dict[str, int], services: Services) -> dict[str, Any]:
    return {"id": event.id, "kind": event.kind, "title": event.title,
            "start": event.starts_at.astimezone(services.settings.zone).isoformat(),
            "place": event.place, "seats": event.seats, "taken": event.taken,
            "going": counts.get("going", 0), "waiting": counts.get("waiting", 0),
            "declined": counts.get("declined", 0), "invited": counts.get("invited", 0),
            "status": event.status}


@events_app.command("add")
def events_add(
    kind: str = typer.Option(..., help="rekryteringsträff, mässa or öppet hus."),
    title: str = typer.Option(..., help="e.g. 'Rekryteringsträff: lager och logistik'."),
    at: str = typer.Option(..., help="Local start time: " + START_EXAMPLES + "."),
    place: str = typer.Option(..., help="Address people go to."),
    seats: int = typer.Option(..., help="How many can come."),
    unit: str = typer.Option("", help="The jobbtorg that holds it, by slug or name."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Add an event that broadcasts can invite to."""
    kind_slug = read_key(kind, EVENT_KINDS, "--kind")
    if not 1 <= seats <= 100_000:
        raise fail("--seats must be between 1 and 100000")
    if not title.strip() or len(title) > 120 or not place.strip() or len(place) > 240:
        raise fail("--title (at most 120 characters) and --place (at most 240) are required")

    async def action(services: Services) -> dict[str, Any]:
        starts_at = parse_when(at, services)
        async with services.db.transaction() as session:
            unit_id = (await unit_named(session, unit)).id if unit else None
            event = Event(kind=kind_slug, title=title.strip(), starts_at=starts_at,
                          place=place.strip(), unit_id=unit_id, seats=seats,
                          created_at=services.clock.now())
            session.add(event)
            await session.flush()
            return event_row(event, {}, services)

    output(run(with_services(action)), as_json, "Event")


@events_app.command("list")
def events_list(
    all_events: bool = typer.Option(False, "--all", help="Also events that have passed."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Events with their seats, RSVPs and waiting list."""

    async def action(services: Services) -> list[dict[str, Any]]:
        async with services.db.transaction() as session:
            query = select(Event).order_by(col(Event.starts_at))
            if not all_events:
                query = query.where(col(Event.starts_at) > services.clock.now())
            events = list((await session.execute(query)).scalars())
            return [event_row(e, await rsvp_counts(session, e.id), services)  # type: ignore[arg-type]
                    for e in events]

    output(run(with_services(action)), as_json, "Events")
