"""`jobbtorg sources add|list|qr`: outreach sources, their deep links, keywords and QR codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import segno
import typer
from sqlalchemy import func, select
from sqlmodel import col

from bot.commands.common import fail, output, run, settings_or_exit, with_services
from bot.commands.options import district_named, read_day, read_key
from bot.links import bot_username, deep_link, sms_number
from bot.services import Services
from handlers.actions.bookings import Refused
from handlers.actions.outreach import record_met
from handlers.keywords import keyword_of
from storage.models import Contact, District
from storage.outreach import (
    SOURCE_KINDS,
    OutreachSource,
    add_source,
    all_sources,
    keyword_from,
    payload_from,
    source_by_ref,
    valid_payload,
)

sources_app = typer.Typer(help="Outreach sources: places and occasions where people are reached.",
                          no_args_is_help=True)


def source_row(source: OutreachSource, district: str | None, username: str | None,
               number: str | None, reached: int) -> dict[str, Any]:
    return {"id": source.id, "kind": source.kind, "name": source.name, "district": district,
            "payload": source.payload, "keyword": source.keyword,
            "deep_link": deep_link(username, source.payload), "sms_number": number,
            "reached": reached, "active": source.active}


@sources_app.command("add")
def sources_add(
    kind: str = typer.Option(..., help="One of: " + ", ".join(SOURCE_KINDS.values()) + "."),
    name: str = typer.Option(..., help="e.g. 'Sfi Tensta'."),
    district: str = typer.Option("", help="District, by slug or name: spanga-tensta, "
                                 "Spånga-Tensta."),
    payload: str = typer.Option("", help="Deep-link payload (default: from the name)."),
    keyword: str = typer.Option("", help="SMS keyword (default: from the name), e.g. TENSTA."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Add a source; prints its Telegram deep link and SMS keyword."""
    kind_slug = read_key(kind, SOURCE_KINDS, "--kind")
    if not name.strip() or len(name) > 120:
        raise fail("--name must be 1 to 120 characters")
    chosen_payload = payload.strip() or payload_from(name)
    if not valid_payload(chosen_payload):
        raise fail("--payload may hold only A-Z, a-z, 0-9, _ and -, at most 64 characters")
    chosen_keyword = keyword_from(keyword or name)
    typed_oddly = any(not (c.isalnum() or c == " ") for c in keyword)
    if not 3 <= len(chosen_keyword) <= 20 or typed_oddly:
        raise fail("--keyword must be 3 to 20 letters A-Z or digits, e.g. TENSTA")
    if keyword_of(chosen_keyword) is not None:
        raise fail(f"{chosen_keyword} is a reserved word (STOPP, START, HJÄLP ...); pick another")

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            found = await district_named(session, district) if district else None
            clash = await session.execute(select(OutreachSource).where(
                (col(OutreachSource.payload) == chosen_payload)
                | (col(OutreachSource.keyword) == chosen_keyword)))
            existing = clash.scalars().first()
            if existing is not None:
                what = "payload" if existing.payload == chosen_payload else "keyword"
                raise fail(f"source {existing.id} ({existing.name}) already has that {what}; "
                           f"pass --{what} to choose another")
            source = await add_source(session, kind_slug, name.strip(),
                                      found.id if found else None,
                                      chosen_payload, chosen_keyword, services.clock.now())
        username = await bot_username(services.settings)
        return source_row(source, found.slug if found else None, username,
                          sms_number(services.settings), 0)

    row = run(with_services(action))
    output(row, as_json, "Source")


@sources_app.command("list")
def sources_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Every source with its link, keyword and how many people it reached."""

    async def action(services: Services) -> list[dict[str, Any]]:
        async with services.db.transaction() as session:
            sources = await all_sources(session)
            reached = dict((await session.execute(
                select(col(Contact.source_id), func.count()).where(col(Contact.source_id).is_not(None))
                .group_by(col(Contact.source_id)))).all())
            districts = dict((await session.execute(select(col(District.id), col(District.slug)))).all())
        username = await bot_username(services.settings)
        number = sms_number(services.settings)
        return [source_row(s, districts.get(s.district_id), username, number,
                           int(reached.get(s.id, 0))) for s in sources]

    output(run(with_services(action)), as_json, "Outreach sources")


@sources_app.command("qr")
def sources_qr(
    source: str = typer.Argument(..., help="The source's id, payload or keyword."),
    out: Path = typer.Option(Path("."), "--out", help="Folder for the files."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Write QR codes (PNG and SVG) for the source's Telegram deep link and SMS keyword."""
    settings = settings_or_exit()

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            found = await source_by_ref(session, source)
        if found is None:
            raise fail(f"no source {source}; see `jobbtorg sources list`")
        username = await bot_username(services.settings)
        return {"source": found, "username": username}

    result = run(with_services(action))
    found: OutreachSource = result["source"]
    link = deep_link(result["username"], found.payload)
    number = sms_number(settings)
    if link is None and number is None:
        raise fail("set JOBBTORG_TELEGRAM_BOT_USERNAME (or TELEGRAM_TOKEN) for the deep link, "
                   "or JOBBTORG_TWILIO_FROM (a number) for the SMS code")
    out.mkdir(parents=True, exist_ok=True)
    files: list[str] = []
    stem = out / f"source-{found.payload}"
    if link is not None:
        files += write_qr(link, Path(f"{stem}-telegram"))
    if number is not None:
        # SMSTO: opens the phone's messaging app with the keyword filled in.
        files += write_qr(f"SMSTO:{number}:{found.keyword}", Path(f"{stem}-sms"))
    output({"source": found.id, "deep_link": link, "sms": f"{found.keyword} to {number}" if number
            else None, "files": files}, as_json, "QR codes")


def write_qr(content: str, stem: Path) -> list[str]:
    """A PNG for printing and an SVG for posters, both with a quiet zone."""
    code = segno.make(content, error="m")
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    code.save(str(png), scale=10, border=4)
    code.save(str(svg), scale=10, border=4, title=quote(content, safe=":/?=+&"))
    return [str(png), str(svg)]


@sources_app.command("met")
def sources_met(
    source: str = typer.Argument(..., help="The source's id, payload or keyword."),
    people: int = typer.Argument(..., min=0, help="How many people staff met there."),
    day: str = typer.Option("", "--date", help="The day: 2026-11-30, 30/11, igår or a "
                     "weekday (the last one); today when left out."),
    by: str = typer.Option("cli", "--by", help="Who counted (a staff username)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Record how many people staff met at a source on a day; the funnel shows the sum
    beside the reached step ("uppsökta"), outside the per-person steps."""
    async def action(services: Services) -> dict[str, Any]:
        now = services.clock.now()
        today = now.astimezone(services.settings.zone).date()
        met_on = read_day(day, today, "--date", past=True) if day else None
        async with services.db.transaction() as session:
            try:
                row = await record_met(session, by, now, now.astimezone(services.settings.zone)
                                       .date(), source, people, met_on)
            except Refused as error:
                hint = "; see `jobbtorg sources list`" if error.reason == "not-found" else ""
                raise fail(error.detail + hint) from None
            found = await session.get(OutreachSource, row.source_id)
            return {"id": row.id, "source": found.name if found else source,
                    "met_on": row.met_on.isoformat(), "people": people}

    output(run(with_services(action)), as_json, "Met")
