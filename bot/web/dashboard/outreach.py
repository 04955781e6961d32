"""Outreach pages: sources with QR codes, the segment builder with a live count, events and RSVPs."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import segno
from aiohttp import web
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.links import bot_username, deep_link, sms_number
from bot.settings import Settings
from bot.web.dashboard.core import (
    ADMIN,
    OUTREACH,
    Pages,
    Staff,
    back_to,
    error_key,
    int_param,
    int_param_of,
    not_found,
    render,
    services_of,
)
from handlers.actions.bookings import Refused
from handlers.actions.outreach import record_met
from handlers.broadcasts import channel_counts
from handlers.onboarding import HELP_TOPICS
from handlers.rsvp import REMINDER_JOB
from messages import LANGUAGES
from storage.capabilities import CHANNELS
from storage.funnel import met_by_source
from storage.models import Contact, District, Job, Unit
from storage.outreach import (
    ACTIVE_SOURCES,
    EVENT_KINDS,
    GOING,
    SOURCE_KINDS,
    WAITING,
    Event,
    OutreachSource,
    Rsvp,
    add_source,
    all_sources,
    keyword_from,
    payload_from,
    rsvp_counts,
    source_by_keyword,
    source_by_payload,
    upcoming_events,
    valid_payload,
)
from storage.periods import reporting_year
from storage.places import all_districts, all_units
from storage.segments import AGE_BANDS, GENDERS, Segment, channel_kinds, count
from storage.segments import counts_by_channel_and_language as segment_counts
from storage.staff import audit

pages = Pages()  # this area's pages, listed in bot/root.py

pages.nav("/staff/outreach/sources", "staff.web.nav.sources", OUTREACH, ADMIN)
pages.nav("/staff/outreach/segments", "staff.web.nav.segments", OUTREACH, ADMIN)
pages.nav("/staff/outreach/events", "staff.web.nav.events", OUTREACH, ADMIN)

MAX_SEATS = 100_000
_usernames: dict[str, str | None] = {}


async def telegram_username(settings: Settings) -> str | None:
    """The bot's username for deep links, asked once per process (getMe is a network call)."""
    key = settings.telegram_bot_username or settings.telegram_token
    if key not in _usernames:
        try:
            _usernames[key] = await bot_username(settings)
        except Exception:  # no network or a bad token: links are left out, not the page
            return None
    return _usernames[key]


# --- sources ----------------------------------------------------------------------------


@pages.page("GET", "/staff/outreach/sources", OUTREACH, ADMIN)
async def sources(request: web.Request, staff: Staff) -> web.StreamResponse:
    settings = services_of(request).settings
    username = await telegram_username(settings)
    async with services_of(request).db.transaction() as session:
        rows = await all_sources(session)
        districts = await all_districts(session)
        reached: dict[int, int] = dict((await session.execute(
            select(Contact.source_id, func.count()).where(col(Contact.source_id).is_not(None))
            .group_by(col(Contact.source_id)))).all())
        today = staff.now().astimezone(settings.zone).date()
        year = reporting_year(today)
        met = await met_by_source(session, year)
    names = {d.id: d.name for d in districts}
    return render(request, staff, "staff/sources.html", rows=rows, districts=districts,
                  district_names=names, kinds=SOURCE_KINDS, reached=reached, met=met,
                  year=year, today=today.isoformat(),
                  links={s.id: deep_link(username, s.payload) for s in rows},
                  number=sms_number(settings), error=error_key(request, "staff.web.sources."))


@pages.page("POST", "/staff/outreach/sources", OUTREACH, ADMIN)
async def source_add(request: web.Request, staff: Staff) -> web.StreamResponse:
    data = staff.form
    path = "/staff/outreach/sources"
    kind, name = data.get("kind", ""), data.get("name", "").strip()
    if kind not in SOURCE_KINDS or not name or len(name) > 120:
        return back_to(path, error="staff.web.sources.error_fields")
    payload = data.get("payload", "").strip() or payload_from(name)
    keyword = keyword_from(data.get("keyword", "").strip() or name)
    if not valid_payload(payload) or not keyword:
        return back_to(path, error="staff.web.sources.error_payload")
    async with services_of(request).db.transaction() as session:
        if await source_by_payload(session, payload) or await source_by_keyword(session, keyword):
            return back_to(path, error="staff.web.sources.error_taken")
        district_id = int_param_of(data.get("district"))
        if district_id is not None and await session.get(District, district_id) is None:
            district_id = None
        await add_source(session, kind, name, district_id, payload, keyword, staff.now())
        await audit(session, staff.now(), staff.name, "source.add", detail=f"{payload} {keyword}")
    return back_to(path, "staff.web.done.saved")


@pages.page("POST", "/staff/outreach/sources/met", OUTREACH, ADMIN)
async def source_met(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Record how many people staff met at a source on a day (uppsökta)."""
    data = staff.form
    path = "/staff/outreach/sources"
    source_id = int_param_of(data.get("source"))
    people = int_param_of(data.get("people"))
    try:
        day = date.fromisoformat(data.get("day", ""))
    except ValueError:
        day = None
    if source_id is None or people is None or day is None:
        return back_to(path, error="staff.web.sources.met_error_fields")
    today = staff.now().astimezone(services_of(request).settings.zone).date()
    async with services_of(request).db.transaction() as session:
        try:
            await record_met(session, staff.name, staff.now(), today, str(source_id), people, day)
        except Refused as error:
            why = {"not-found": "source"}.get(error.reason, error.reason)
            return back_to(path, error=f"staff.web.sources.met_error_{why}")
    return back_to(path, "staff.web.done.met")


@pages.page("POST", "/staff/outreach/sources/{id}", OUTREACH, ADMIN)
async def source_edit(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Change a source's name, kind or district (its link and keyword stay: they are printed)."""
    data = staff.form
    path = "/staff/outreach/sources"
    kind, name = data.get("kind", ""), data.get("name", "").strip()
    if kind not in SOURCE_KINDS or not name or len(name) > 120:
        return back_to(path, error="staff.web.sources.error_fields")
    async with services_of(request).db.transaction() as session:
        source = await session.get(OutreachSource, int_param(request, "id") or 0)
        if source is None:
            return not_found(request, staff)
        district_id = int_param_of(data.get("district"))
        if district_id is not None and await session.get(District, district_id) is None:
            district_id = None
        source.kind, source.name, source.district_id = kind, name, district_id
        session.info.pop(ACTIVE_SOURCES, None)
        await audit(session, staff.now(), staff.name, "source.edit", detail=f"source {source.id}")
    return back_to(path, "staff.web.done.saved")


@pages.page("POST", "/staff/outreach/sources/{id}/active", OUTREACH, ADMIN)
async def source_close(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Close a source (first contacts are no longer attributed to it) or open it again."""
    async with services_of(request).db.transaction() as session:
        source = await session.get(OutreachSource, int_param(request, "id") or 0)
        if source is None:
            return not_found(request, staff)
        source.active = staff.form.get("active") == "yes"
        session.info.pop(ACTIVE_SOURCES, None)
        await audit(session, staff.now(), staff.name,
                    "source.open" if source.active else "source.close", detail=f"source {source.id}")
    return back_to("/staff/outreach/sources",
                   "staff.web.done.opened" if source.active else "staff.web.done.closed")


@pages.page("GET", "/staff/outreach/sources/{id}/qr.png", OUTREACH, ADMIN)
async def source_qr(request: web.Request, staff: Staff) -> web.StreamResponse:
    """A QR code to print: the Telegram deep link, or with ?for=sms an SMS with the keyword."""
    settings = services_of(request).settings
    async with services_of(request).db.transaction() as session:
        source = await session.get(OutreachSource, int_param(request, "id") or 0)
    if source is None:
        return not_found(request, staff)
    number = sms_number(settings)
    if request.query.get("for") == "sms":
        content = f"SMSTO:{number}:{source.keyword}" if number else None
    else:
        content = deep_link(await telegram_username(settings), source.payload)
    if content is None:
        return not_found(request, staff)
    buffer = io.BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=8, border=4)
    body = buffer.getvalue()
    filename = f"qr-{source.payload}-{'sms' if request.query.get('for') == 'sms' else 'telegram'}.png"
    return web.Response(body=body, content_type="image/png", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


# --- segments ---------------------------------------------------------------------------


async def segment_choices(session: AsyncSession) -> dict[str, Any]:
    """Everything a segment can be built from, for the form."""
    return {"units": await all_units(session), "districts": await all_districts(session),
            "sources": await all_sources(session), "age_bands": AGE_BANDS, "genders": GENDERS,
            "languages": LANGUAGES, "channels": tuple(channel_kinds()),
            "topics": [key for key, _ in HELP_TOPICS]}


def segment_from(values: Any, choices: dict[str, Any]) -> Segment:
    """A segment from form fields; values that are not offered are dropped."""
    def picked(name: str, allowed: Any) -> list[str]:
        return [v for v in values.getall(name, []) if v in allowed] if hasattr(values, "getall") \
            else [v for v in values.get(name, []) if v in allowed]

    def days(name: str) -> int | None:
        raw = values.get(name, "")
        return int(raw) if isinstance(raw, str) and raw.isdecimal() and 0 < int(raw) < 3650 else None

    booked = values.get("booked", "")
    return Segment(
        units=picked("unit", {u.slug for u in choices["units"]}),
        districts=picked("district", {d.slug for d in choices["districts"]}),
        age_bands=picked("age", set(choices["age_bands"])),
        genders=picked("gender", set(choices["genders"])),
        languages=picked("language", set(choices["languages"])),
        sources=[int(v) for v in picked("source", {str(s.id) for s in choices["sources"]})],
        help_topics=picked("topic", set(choices["topics"])),
        booked=None if booked not in ("yes", "no") else booked == "yes",
        active_within_days=days("active_days"), inactive_for_days=days("inactive_days"),
        channels=picked("channel", set(choices["channels"])))


@pages.page("GET", "/staff/outreach/segments", OUTREACH, ADMIN)
async def segments(request: web.Request, staff: Staff) -> web.StreamResponse:
    async with services_of(request).db.transaction() as session:
        choices = await segment_choices(session)
        chosen = segment_from(request.query, choices)
        total = await count(session, chosen, staff.now())
    return render(request, staff, "staff/segments.html", choices=choices, chosen=chosen,
                  total=total)


@pages.page("GET", "/staff/api/segment-count", OUTREACH, ADMIN)
async def segment_count(request: web.Request, staff: Staff) -> web.StreamResponse:
    """The live recipient count as the builder changes: total and by channel."""
    async with services_of(request).db.transaction() as session:
        chosen = segment_from(request.query, await segment_choices(session))
        counts = await segment_counts(session, chosen, staff.now())
    by_channel: dict[str, int] = {}
    by_language: dict[str, dict[str, int]] = {}  # channel kind -> language -> people
    for (kind, language), number in counts.items():
        by_channel[kind] = by_channel.get(kind, 0) + number
        by_language.setdefault(kind, {})[language] = number
    # What each channel costs (storage/capabilities.py), so the composer prices each text
    # for the people who get it, as handlers.broadcasts.preview does.
    prices = {kind: {"price": channel.price_sek, "segmented": channel.segmented}
              for kind, channel in CHANNELS.kinds().items()}
    total = sum(by_channel.values())
    # `segmented`: people reached on a channel priced per SMS segment (the composer's counter).
    segmented = sum(n for kind, n in by_channel.items() if CHANNELS.kinds()[kind].segmented)
    return web.json_response({"count": total, "by_channel": by_channel, "segmented": segmented,
                              "by_language": by_language, "prices": prices,
                              "text": staff.texts("staff.web.segments.count", total=total,
                                                  channels=channel_counts(
                                                      staff.texts, "staff.web.segments.by_channel",
                                                      by_channel))})


# --- events -----------------------------------------------------------------------------


@pages.page("GET", "/staff/outreach/events", OUTREACH, ADMIN)
async def events(request: web.Request, staff: Staff) -> web.StreamResponse:
    async with services_of(request).db.transaction() as session:
        rows = [(event, await rsvp_counts(session, event.id or 0))
                for event in await upcoming_events(session, staff.now())]
        units = await all_units(session)
    return render(request, staff, "staff/events.html", rows=rows, units=units, kinds=EVENT_KINDS,
                  error=error_key(request, "staff.web.events."))


@pages.page("POST", "/staff/outreach/events", OUTREACH, ADMIN)
async def event_add(request: web.Request, staff: Staff) -> web.StreamResponse:
    data = staff.form
    path = "/staff/outreach/events"
    zone = services_of(request).settings.zone
    kind, title, place = data.get("kind", ""), data.get("title", "").strip(), data.get("place", "").strip()
    seats = data.get("seats", "")
    if kind not in EVENT_KINDS or not title or len(title) > 120 or not place or len(place) > 240 \
            or not seats.isdecimal() or not 1 <= int(seats) <= MAX_SEATS:
        return back_to(path, error="staff.web.events.error_fields")
    try:
        starts_at = datetime.fromisoformat(data.get("starts_at", "")).replace(tzinfo=zone)
    except ValueError:
        return back_to(path, error="staff.web.events.error_time")
    if starts_at <= staff.now():
        return back_to(path, error="staff.web.events.error_time")
    async with services_of(request).db.transaction() as session:
        unit_id = int_param_of(data.get("unit"))
        if unit_id is not None and await session.get(Unit, unit_id) is None:
            unit_id = None
        session.add(Event(kind=kind, title=title, starts_at=starts_at, place=place,
                          unit_id=unit_id, seats=int(seats), created_at=staff.now()))
        await audit(session, staff.now(), staff.name, "event.add", detail=title)
    return back_to(path, "staff.web.done.saved")


@pages.page("GET", "/staff/outreach/events/{id}", OUTREACH, ADMIN)
async def event_detail(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Who is coming and who waits, in the order they joined the waiting list."""
    async with services_of(request).db.transaction() as session:
        event = await session.get(Event, int_param(request, "id") or 0)
        if event is None or event.id is None:
            return not_found(request, staff)
        rows = (await session.execute(
            select(Rsvp, Contact.first_name).join(Contact, col(Contact.id) == Rsvp.contact_id)
            .where(Rsvp.event_id == event.id)
            .order_by(col(Rsvp.waiting_since).asc().nulls_first(), col(Rsvp.id)))).all()
        counts = await rsvp_counts(session, event.id)
        for rsvp, _ in rows:
            await audit(session, staff.now(), staff.name, "view.rsvps", contact_id=rsvp.contact_id,
                        detail=f"event {event.id}")
    going = [(r, name) for r, name in rows if r.status == GOING]
    zone = services_of(request).settings.zone
    waiting = [(r, name) for r, name in rows if r.status == WAITING]
    others = [(r, name) for r, name in rows if r.status not in (GOING, WAITING)]
    return render(request, staff, "staff/event.html", event=event, counts=counts, going=going,
                  waiting=waiting, others=others, kinds=EVENT_KINDS,
                  local_start=event.starts_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
                  error=error_key(request, "staff.web.events."))


@pages.page("POST", "/staff/outreach/events/{id}", OUTREACH, ADMIN)
async def event_edit(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Change an event's title, place, time or seats (never fewer seats than are taken)."""
    data = staff.form
    event_id = int_param(request, "id") or 0
    path = f"/staff/outreach/events/{event_id}"
    zone = services_of(request).settings.zone
    title, place, seats = data.get("title", "").strip(), data.get("place", "").strip(), \
        data.get("seats", "")
    if not title or len(title) > 120 or not place or len(place) > 240 or not seats.isdigit() \
            or not 1 <= int(seats) <= MAX_SEATS:
        return back_to(path, error="staff.web.events.error_fields")
    try:
        starts_at = datetime.fromisoformat(data.get("starts_at", "")).replace(tzinfo=zone)
    except ValueError:
        return back_to(path, error="staff.web.events.error_time")
    async with services_of(request).db.transaction() as session:
        event = await session.get(Event, event_id)
        if event is None:
            return not_found(request, staff)
        if starts_at != event.starts_at and starts_at <= staff.now():
            return back_to(path, error="staff.web.events.error_time")
        if int(seats) < event.taken:
            return back_to(path, error="staff.web.events.error_seats")
        moved_by = starts_at - event.starts_at
        event.title, event.place, event.starts_at, event.seats = title, place, starts_at, int(seats)
        if moved_by:  # the reminders of those going follow the new time
            keys = [f"event:{rsvp_id}:reminder" for rsvp_id in (await session.execute(
                select(col(Rsvp.id)).where(col(Rsvp.event_id) == event.id))).scalars()]
            for job in (await session.execute(select(Job).where(
                    col(Job.status) == "pending", col(Job.kind) == REMINDER_JOB,
                    col(Job.key).in_(keys)))).scalars():
                job.due_at = job.due_at + moved_by
        await audit(session, staff.now(), staff.name, "event.edit", detail=f"event {event.id}")
    return back_to(path, "staff.web.done.saved")


@pages.page("POST", "/staff/outreach/events/{id}/close", OUTREACH, ADMIN)
async def event_close(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Close an event: nobody more can say yes or join its waiting list."""
    event_id = int_param(request, "id") or 0
    async with services_of(request).db.transaction() as session:
        event = await session.get(Event, event_id)
        if event is None:
            return not_found(request, staff)
        event.status = "closed"
        await audit(session, staff.now(), staff.name, "event.close", detail=f"event {event.id}")
    return back_to(f"/staff/outreach/events/{event_id}", "staff.web.done.closed")
