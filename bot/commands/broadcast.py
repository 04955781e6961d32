"""`jobbtorg broadcast create|preview|send|status|cancel|approve|list`: segmented broadcasts."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.commands.common import console, fail, output, print_json, run, with_services
from bot.commands.options import district_named, read_moment, unit_named
from bot.engine import policy_from
from bot.services import Services
from handlers.actions.bookings import Refused
from handlers.actions.broadcasts import approve_broadcast, cancel_broadcast
from handlers.broadcasts import BroadcastError, preview, start
from handlers.onboarding import HELP_TOPICS
from messages import LANGUAGES
from storage.models import Outbox
from storage.outreach import (
    CANCELLED,
    SENT,
    Broadcast,
    Event,
    broadcast_progress,
    source_by_ref,
)
from storage.segments import AGE_BANDS, GENDERS, Segment, channel_kinds, count

broadcast_app = typer.Typer(help="Broadcasts to a segment, over Telegram and SMS.",
                            no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON.")


def parse_when(text: str, services: Services) -> datetime:
    """'3/12 10:00', 'onsdag 14:00', '2026-12-01 10:00' (local) or an ISO time with offset;
    must be in the future."""
    return read_moment(text, services.clock.now(), services.settings.zone)


async def build_segment(session: AsyncSession, units: list[str], districts: list[str],
                        ages: list[str], genders: list[str], languages: list[str],
                        sources: list[str], topics: list[str], booked: str,
                        active_days: int | None, inactive_days: int | None,
                        channels: list[str]) -> Segment:
    """A segment from command-line filters, every value checked against what exists."""
    units = list(dict.fromkeys([(await unit_named(session, u)).slug for u in units]))
    districts = list(dict.fromkeys([(await district_named(session, d)).slug
                                    for d in districts]))
    checks = [("--age", ages, set(AGE_BANDS)), ("--gender", genders, set(GENDERS)),
              ("--language", languages, set(LANGUAGES)),
              ("--help-topic", topics, {key for key, _ in HELP_TOPICS}),
              ("--channel", channels, set(channel_kinds()))]
    for flag, given, allowed in checks:
        wrong = [value for value in given if value not in allowed]
        if wrong:
            raise fail(f"{flag} {', '.join(wrong)}: choose from {', '.join(sorted(allowed))}")
    source_ids = []
    for ref in sources:
        found = await source_by_ref(session, ref)
        if found is None:
            raise fail(f"--source {ref}: no such source; see `jobbtorg sources list`")
        source_ids.append(int(found.id))  # type: ignore[arg-type]
    if booked not in ("", "yes", "no"):
        raise fail("--booked must be yes or no")
    for flag, days in (("--active-days", active_days), ("--inactive-days", inactive_days)):
        if days is not None and days < 1:
            raise fail(f"{flag} must be 1 or more")
    return Segment(units=units, districts=districts, age_bands=ages, genders=genders,
                   languages=languages, sources=source_ids, help_topics=topics,
                   booked=None if not booked else booked == "yes",
                   active_within_days=active_days, inactive_for_days=inactive_days,
                   channels=channels)


def read_texts(sv: str, en: str, text_files: list[str]) -> dict[str, str]:
    texts = {"sv": sv, "en": en}
    for item in text_files:
        language, _, path = item.partition("=")
        if language not in LANGUAGES or not path:
            raise fail(f"--text-file {item!r}: give LANG=PATH, LANG one of {', '.join(LANGUAGES)}")
        try:
            texts[language] = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise fail(f"--text-file {path}: {exc.strerror}") from None
    return {language: text for language, text in texts.items() if text.strip()}


def describe(broadcast: Broadcast, progress: dict[str, int] | None = None,
             expected: int | None = None, zone: Any = None) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return value.astimezone(zone).isoformat() if value and zone else None

    status = broadcast.status
    if status == SENT and progress and progress.get("queued"):
        status = "sending"  # everyone is enqueued; the dispatcher is still at it
    row: dict[str, Any] = {
        "id": broadcast.id, "name": broadcast.name, "status": status,
        "segment": broadcast.segment, "languages": sorted(broadcast.texts),
        "event_id": broadcast.event_id, "recipients": broadcast.recipients,
        "estimate_sek": broadcast.estimate_sek, "approved_by": broadcast.approved_by,
        "created_by": broadcast.created_by, "created_at": when(broadcast.created_at),
        "scheduled_at": when(broadcast.scheduled_at), "started_at": when(broadcast.started_at),
        "finished_at": when(broadcast.finished_at), "cancelled_at": when(broadcast.cancelled_at),
    }
    if progress is not None:
        row["progress"] = progress
    if expected is not None:
        row["expected"] = expected
    return row


async def load(session: AsyncSession, broadcast_id: int) -> Broadcast:
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise fail(f"no broadcast {broadcast_id}; see `jobbtorg broadcast list`")
    return broadcast


@broadcast_app.command("create")
def broadcast_create(
    name: str = typer.Option(..., help="A name staff recognise it by."),
    sv: str = typer.Option("", "--sv", help="The Swedish text (required: everyone's fallback)."),
    en: str = typer.Option("", "--en", help="The English text."),
    text_file: list[str] = typer.Option([], "--text-file", help="LANG=PATH, e.g. sv=invite.txt."),
    unit: list[str] = typer.Option([], help="Unit, by slug or name: jarva, Järva (repeatable)."),
    district: list[str] = typer.Option([], help="District, by slug or name: spanga-tensta, "
                                       "Spånga-Tensta (repeatable)."),
    age: list[str] = typer.Option([], help="Age band: 16-19, 20-24, 25-29, 30+ (repeatable)."),
    gender: list[str] = typer.Option([], help="kvinna, man, annat, ej-angivet (repeatable)."),
    language: list[str] = typer.Option([], help="sv or en (repeatable)."),
    source: list[str] = typer.Option([], help="Source id, payload or keyword (repeatable)."),
    help_topic: list[str] = typer.Option([], help="What they want help with (repeatable)."),
    booked: str = typer.Option("", help="yes: only people with a booking; no: only without."),
    active_days: int | None = typer.Option(None, help="Wrote to us in the last N days."),
    inactive_days: int | None = typer.Option(None, help="Silent for at least N days."),
    channel: list[str] = typer.Option([], help="telegram or sms (repeatable)."),
    event: int | None = typer.Option(None, help="Invite to this event, with an RSVP."),
    as_json: bool = JSON,
) -> None:
    """Create a draft broadcast: texts per language, a segment, optionally an event invite."""
    texts = read_texts(sv, en, text_file)
    if "sv" not in texts:
        raise fail("give the Swedish text with --sv or --text-file sv=PATH (it is the fallback)")
    if not name.strip() or len(name) > 120:
        raise fail("--name must be 1 to 120 characters")

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            segment = await build_segment(session, unit, district, age, gender, language, source,
                                          help_topic, booked, active_days, inactive_days, channel)
            if event is not None:
                found = await session.get(Event, event)
                if found is None:
                    raise fail(f"no event {event}; see `jobbtorg events list`")
                if found.starts_at <= services.clock.now():
                    raise fail(f"event {event} has already started")
            broadcast = Broadcast(name=name.strip(), texts=texts, segment=segment.as_dict(),
                                  event_id=event, created_by="cli", created_at=services.clock.now())
            session.add(broadcast)
            await session.flush()
            return describe(broadcast, zone=services.settings.zone)

    output(run(with_services(action)), as_json, "Broadcast")


@broadcast_app.command("list")
def broadcast_list(as_json: bool = JSON) -> None:
    """Every broadcast, newest first."""

    async def action(services: Services) -> list[dict[str, Any]]:
        async with services.db.transaction() as session:
            result = await session.execute(select(Broadcast).order_by(col(Broadcast.id).desc()))
            return [{key: value for key, value in describe(b, zone=services.settings.zone).items()
                     if key in ("id", "name", "status", "recipients", "estimate_sek", "created_at")}
                    for b in result.scalars()]

    output(run(with_services(action)), as_json, "Broadcasts")


@broadcast_app.command("preview")
def broadcast_preview(broadcast_id: int = typer.Argument(...), as_json: bool = JSON) -> None:
    """Recipients per channel and language, SMS segments, estimated cost, GSM-7 warnings."""

    async def action(services: Services) -> dict[str, Any]:
        policy = policy_from(services.settings)
        async with services.db.transaction() as session:
            broadcast = await load(session, broadcast_id)
            shown = await preview(session, broadcast, services.clock.now(), policy)
            if broadcast.status in ("draft", "awaiting-approval"):
                broadcast.estimate_sek = shown.cost_sek
            return {"id": broadcast.id, "status": broadcast.status,
                    "price_per_segment_sek": services.settings.sms_price_sek,
                    "approval_limit_sek": policy.sms_approval_sek, **shown.as_dict()}

    data = run(with_services(action))
    if as_json:
        print_json(data)
        return
    show_preview(data)


WARNINGS = {
    "non-gsm7": "the {language} SMS has characters outside GSM-7 ({characters}): it is sent as "
                "UCS-2, {segments} segment(s) per message",
    "fallback": "no {language} text: those recipients get the Swedish one",
    "empty": "nobody is in this segment",
    "too-long": "the {language} text is {length} characters, over {channel}'s {limit}",
    "no-template": "over {channel}, only people who wrote in the last day get it: no approved "
                   "template for broadcasts",
    "no-swedish": "the Swedish text is missing",
    "event-passed": "the event has already started",
}


def warning_text(warning: dict[str, Any]) -> str:
    values = {**warning, "characters": " ".join(map(repr, warning.get("characters", [])))}
    return WARNINGS.get(warning["code"], warning["code"]).format(**values)


def show_preview(data: dict[str, Any]) -> None:
    out = Console()
    out.print(f"[bold]Broadcast {data['id']}[/bold] ({data['status']}): {data['total']} recipients")
    from rich.table import Table

    table = Table()
    for column in ("channel", "language", "recipients", "text in", "SMS segments", "cost SEK"):
        table.add_column(column)
    for row in data["rows"]:
        table.add_row(row["channel"], row["language"], str(row["recipients"]),
                      row["text_language"], str(row["segments"] or "-"),
                      f"{row['cost_sek']:.2f}")
    out.print(table)
    out.print(f"Estimated cost: {data['cost_sek']:.2f} SEK "
              f"(SMS: {data['price_per_segment_sek']} SEK per segment)")
    if data["needs_approval"]:
        out.print(f"[yellow]Above {data['approval_limit_sek']:.0f} SEK: an admin must approve "
                  "(`jobbtorg broadcast approve ID`).[/yellow]")
    for warning in data["warnings"]:
        out.print(f"[yellow]Warning:[/yellow] {warning_text(warning)}")
    for kind, texts in data["texts"].items():
        for language, text in texts.items():
            out.print(f"[dim]--- {kind}, {language} ---[/dim]\n{text}")


@broadcast_app.command("send")
def broadcast_send(
    broadcast_id: int = typer.Argument(...),
    at: str = typer.Option("", help="Start at this local time instead of now, e.g. 2026-12-01 10:00."),
    as_json: bool = JSON,
) -> None:
    """Send now or at a time; above the approval limit it waits for an admin."""

    async def action(services: Services) -> dict[str, Any]:
        policy = policy_from(services.settings)
        async with services.db.transaction() as session:
            broadcast = await load(session, broadcast_id)
            when = parse_when(at, services) if at else None
            try:
                await start(session, broadcast, services.clock.now(), policy, at=when)
            except BroadcastError as exc:
                raise fail(str(exc)) from None
            return describe(broadcast, zone=services.settings.zone)

    row = run(with_services(action))
    if as_json:
        print_json(row)
    elif row["status"] == "awaiting-approval":
        console.print(f"Broadcast {broadcast_id} is estimated at {row['estimate_sek']:.2f} SEK and "
                      f"waits for an admin: `jobbtorg broadcast approve {broadcast_id}`.")
    else:
        console.print(f"Broadcast {broadcast_id} is {row['status']}"
                      f"{' for ' + row['scheduled_at'] if row['scheduled_at'] else ''}. "
                      f"The worker sends it; follow it with `jobbtorg broadcast status "
                      f"{broadcast_id} --watch`.")


@broadcast_app.command("approve")
def broadcast_approve(
    broadcast_id: int = typer.Argument(...),
    by: str = typer.Option("", "--by", help="The approving admin's username (required)."),
    as_json: bool = JSON,
) -> None:
    """An admin's approval for a broadcast above the cost limit; it then goes out."""
    if not by.strip():
        raise fail("name the approving admin: jobbtorg broadcast approve ID --by USERNAME")

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            try:
                broadcast = await approve_broadcast(session, policy_from(services.settings),
                                                    by.strip(), services.clock.now(),
                                                    broadcast_id)
            except Refused as exc:
                raise fail(exc.detail) from None
            return describe(broadcast, zone=services.settings.zone)

    row = run(with_services(action))
    if as_json:
        print_json(row)
    else:
        console.print(f"Broadcast {broadcast_id} approved by {by}; it is {row['status']}.")


@broadcast_app.command("cancel")
def broadcast_cancel(broadcast_id: int = typer.Argument(...), as_json: bool = JSON) -> None:
    """Stop a broadcast: nothing more goes out (queued messages are cancelled). A finished
    broadcast is refused and keeps its status."""

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            try:
                broadcast, stopped = await cancel_broadcast(session, "cli", services.clock.now(),
                                                            broadcast_id)
            except Refused as exc:
                raise fail(exc.detail) from None
            progress = await broadcast_progress(session, broadcast_id)
            return {**describe(broadcast, progress, zone=services.settings.zone),
                    "cancelled_messages": stopped}

    row = run(with_services(action))
    if as_json:
        print_json(row)
    else:
        console.print(f"Broadcast {broadcast_id} cancelled: {row['cancelled_messages']} queued "
                      f"messages will not go out; {row['progress']['sent'] + row['progress']['delivered']}"
                      " were sent before.")


async def status_of(services: Services, broadcast_id: int,
                    segment_size: int | None = None) -> dict[str, Any]:
    """The broadcast with its progress. `expected` is how many it will reach: the rows
    enqueued once enqueueing is done, else the segment's size (counted once, then passed
    back in as `segment_size`: counting a large segment every second would be costly)."""
    async with services.db.transaction() as session:
        broadcast = await load(session, broadcast_id)
        progress = await broadcast_progress(session, broadcast_id)
        expected = broadcast.recipients
        if broadcast.finished_at is None and broadcast.status != CANCELLED:
            if segment_size is None:
                segment_size = await count(session, Segment.from_dict(broadcast.segment),
                                           services.clock.now())
            expected = max(expected, segment_size)
        return describe(broadcast, progress, expected, zone=services.settings.zone)


def finished(row: dict[str, Any]) -> bool:
    return row["status"] in ("cancelled", "sent", "draft", "awaiting-approval")


@broadcast_app.command("status")
def broadcast_status(
    broadcast_id: int = typer.Argument(...),
    watch: bool = typer.Option(False, "--watch", help="Follow progress until it is done."),
    interval: float = typer.Option(1.0, help="Seconds between updates with --watch."),
    as_json: bool = JSON,
) -> None:
    """Progress: queued, sent, delivered, failed, cancelled (from each recipient's message)."""
    if not watch:
        row = run(with_services(lambda services: status_of(services, broadcast_id)))
        output(row, as_json, "Broadcast")
        return

    async def follow(services: Services) -> dict[str, Any]:
        row = await status_of(services, broadcast_id)
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
                      console=console, disable=as_json) as bar:
            task = bar.add_task(f"broadcast {broadcast_id}", total=None, detail="")
            while True:
                progress = row["progress"]
                done = sum(progress[k] for k in ("sent", "delivered", "failed", "cancelled"))
                detail = " ".join(f"{k} {v}" for k, v in progress.items()) + f" ({row['status']})"
                bar.update(task, total=max(row["expected"], done) or None, completed=done,
                           detail=detail)
                if finished(row):
                    break
                await asyncio.sleep(interval)
                row = await status_of(services, broadcast_id, row["expected"])
        return row

    row = run(with_services(follow))
    if as_json:
        print_json(row)


@broadcast_app.command("recipients")
def broadcast_recipients(
    broadcast_id: int = typer.Argument(...),
    status: str = typer.Option("", help="Only rows with this status (queued, sent, failed ...)."),
    limit: int = typer.Option(100, help="At most this many rows."),
    as_json: bool = JSON,
) -> None:
    """Per-recipient status: one row per message, by contact id (no addresses shown)."""

    async def action(services: Services) -> list[dict[str, Any]]:
        async with services.db.transaction() as session:
            await load(session, broadcast_id)
            query = (select(Outbox).where(col(Outbox.broadcast_id) == broadcast_id)
                     .order_by(col(Outbox.id)).limit(max(1, limit)))
            if status:
                query = query.where(col(Outbox.status) == status)
            zone = services.settings.zone
            return [{"contact_id": row.contact_id, "channel": row.channel, "status": row.status,
                     "attempts": row.attempts,
                     "held_until": row.not_before.astimezone(zone).isoformat()
                     if row.not_before else None,
                     "sent_at": row.sent_at.astimezone(zone).isoformat() if row.sent_at else None,
                     "error": row.error}
                    for row in (await session.execute(query)).scalars()]

    output(run(with_services(action)), as_json, f"Recipients of broadcast {broadcast_id}")
