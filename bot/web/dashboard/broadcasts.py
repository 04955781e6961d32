"""The broadcast composer: per-language texts, segment, cost, preview, schedule, progress, cancel;
and the admin's approval of costly SMS broadcasts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlmodel import col, select

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
from bot.web.dashboard.outreach import segment_choices, segment_from
from handlers.actions.bookings import Refused
from handlers.actions.broadcasts import approve_broadcast, cancel_broadcast
from handlers.broadcasts import BroadcastError, preview, sms_ending, start, validate_texts
from messages import LANGUAGES
from storage.outreach import (
    AWAITING_APPROVAL,
    CANCELLED,
    DRAFT,
    SENT,
    Broadcast,
    Event,
    broadcast_progress,
    upcoming_events,
)
from storage.segments import Segment
from storage.staff import audit

pages = Pages()  # this area's pages, listed in bot/root.py

pages.nav("/staff/outreach/broadcasts", "staff.web.nav.broadcasts", OUTREACH, ADMIN)
pages.nav("/staff/admin/approvals", "staff.web.nav.approvals", ADMIN)

MAX_TEXT = 1600
FINISHED = (SENT, CANCELLED)


@pages.page("GET", "/staff/outreach/broadcasts", OUTREACH, ADMIN)
async def broadcasts(request: web.Request, staff: Staff) -> web.StreamResponse:
    async with services_of(request).db.transaction() as session:
        rows = list((await session.execute(
            select(Broadcast).order_by(col(Broadcast.id).desc()).limit(100))).scalars())
    return render(request, staff, "staff/broadcasts.html", rows=rows)


@pages.page("GET", "/staff/outreach/broadcasts/new", OUTREACH, ADMIN)
async def composer(request: web.Request, staff: Staff) -> web.StreamResponse:
    services = services_of(request)
    async with services.db.transaction() as session:
        choices = await segment_choices(session)
        events = await upcoming_events(session, staff.now())
    return render(request, staff, "staff/broadcast_new.html", choices=choices,
                  chosen=segment_from(request.query, choices), events=events, languages=LANGUAGES,
                  price=services.settings.sms_price_sek, max_text=MAX_TEXT,
                  endings=_sms_endings(events, services.settings.zone),
                  error=error_key(request, "staff.web.broadcast."))


def _sms_endings(events: list[Event], zone: ZoneInfo) -> dict[str, dict[str, str]]:
    """What the SMS adds after the text, per event chosen ("": none) and language, so the
    composer's counter counts the same message as the preview."""
    endings = {"": {language: sms_ending(None, language, zone) for language in LANGUAGES}}
    for event in events:
        endings[str(event.id)] = {language: sms_ending(event, language, zone)
                                  for language in LANGUAGES}
    return endings


@pages.page("POST", "/staff/outreach/broadcasts", OUTREACH, ADMIN)
async def create(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Save a draft and show its preview; nothing is sent yet."""
    data = staff.form
    texts = {language: data.get(f"text_{language}", "").replace("\r\n", "\n")
             for language in LANGUAGES}
    name = data.get("name", "").strip()[:120]
    if any(len(text) > MAX_TEXT for text in texts.values()):
        return back_to("/staff/outreach/broadcasts/new", error="staff.web.broadcast.error_long")
    try:
        kept = validate_texts(texts)
    except BroadcastError:
        return back_to("/staff/outreach/broadcasts/new", error="staff.web.broadcast.error_swedish")
    multi = await request.post()
    async with services_of(request).db.transaction() as session:
        segment = segment_from(multi, await segment_choices(session))
        event_id = int_param_of(data.get("event"))
        if event_id is not None and await session.get(Event, event_id) is None:
            event_id = None
        broadcast = Broadcast(name=name or staff.texts("staff.web.broadcast.default_name",
                                                       user=staff.name),
                              texts=kept, segment=segment.as_dict(), event_id=event_id,
                              created_by=staff.name, created_at=staff.now())
        session.add(broadcast)
        await session.flush()
        await audit(session, staff.now(), staff.name, "broadcast.create",
                    detail=f"broadcast {broadcast.id}: {segment.describe()}")
        broadcast_id = broadcast.id
    return back_to(f"/staff/outreach/broadcasts/{broadcast_id}")


@pages.page("GET", "/staff/outreach/broadcasts/{id}", OUTREACH, ADMIN)
async def detail(request: web.Request, staff: Staff) -> web.StreamResponse:
    services = services_of(request)
    async with services.db.transaction() as session:
        broadcast = await session.get(Broadcast, int_param(request, "id") or 0)
        if broadcast is None:
            return not_found(request, staff)
        shown = await preview(session, broadcast, staff.now(), services.engine.policy) \
            if broadcast.status in (DRAFT, AWAITING_APPROVAL) else None
        event = await session.get(Event, broadcast.event_id) if broadcast.event_id else None
        progress = await broadcast_progress(session, broadcast.id or 0)
    return render(request, staff, "staff/broadcast.html", broadcast=broadcast, preview=shown,
                  event=event, progress=progress, finished=broadcast.status in FINISHED,
                  segment=_segment_words(broadcast.segment),
                  limit=services.settings.sms_approval_sek,
                  error=error_key(request, "staff.web.broadcast."))


@pages.page("POST", "/staff/outreach/broadcasts/{id}/send", OUTREACH, ADMIN)
async def send(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Send now, or at the chosen local time; a costly SMS broadcast waits for an admin."""
    services = services_of(request)
    broadcast_id = int_param(request, "id") or 0
    path = f"/staff/outreach/broadcasts/{broadcast_id}"
    at = None
    if staff.form.get("at"):
        try:
            at = datetime.fromisoformat(staff.form["at"]).replace(tzinfo=services.settings.zone)
        except ValueError:
            return back_to(path, error="staff.web.broadcast.error_time")
        if at <= staff.now():
            return back_to(path, error="staff.web.broadcast.error_time")
    async with services.db.transaction() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None:
            return not_found(request, staff)
        try:
            status = await start(session, broadcast, staff.now(), services.engine.policy, at=at)
        except BroadcastError:
            return back_to(path, error="staff.web.broadcast.error_state")
        await audit(session, staff.now(), staff.name, "broadcast.send",
                    detail=f"broadcast {broadcast_id}: {status}")
    if status == AWAITING_APPROVAL:
        return back_to(path, "staff.web.done.awaiting_approval")
    return back_to(path, "staff.web.done.scheduled" if at else "staff.web.done.sending")


@pages.page("POST", "/staff/outreach/broadcasts/{id}/cancel", OUTREACH, ADMIN)
async def stop(request: web.Request, staff: Staff) -> web.StreamResponse:
    broadcast_id = int_param(request, "id") or 0
    try:
        async with services_of(request).db.transaction() as session:
            await cancel_broadcast(session, staff.name, staff.now(), broadcast_id)
    except Refused as error:
        if error.reason == "not-found":
            return not_found(request, staff)
        return back_to(f"/staff/outreach/broadcasts/{broadcast_id}",
                       error="staff.web.broadcast.error_state")
    return back_to(f"/staff/outreach/broadcasts/{broadcast_id}", "staff.web.done.cancelled")


@pages.page("GET", "/staff/api/broadcasts/{id}/progress", OUTREACH, ADMIN)
async def progress(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Live progress for the broadcast page: how many of the recipients have gone out."""
    async with services_of(request).db.transaction() as session:
        broadcast = await session.get(Broadcast, int_param(request, "id") or 0)
        if broadcast is None:
            return not_found(request, staff)
        counts = await broadcast_progress(session, broadcast.id or 0)
    total = sum(counts.values())
    sent = counts["sent"] + counts["delivered"]
    done = broadcast.status in FINISHED and counts["queued"] == 0
    text = staff.texts("staff.web.broadcast.progress", sent=sent, total=total,
                       queued=counts["queued"], failed=counts["failed"],
                       cancelled=counts["cancelled"],
                       status=staff.texts(f"staff.web.broadcast.status.{broadcast.status}"))
    return web.json_response({"status": broadcast.status, "total": total, "sent": sent,
                              "counts": counts, "done": done, "text": text})


# --- approvals (admin) -----------------------------------------------------------------


@pages.page("GET", "/staff/admin/approvals", ADMIN)
async def approvals(request: web.Request, staff: Staff) -> web.StreamResponse:
    async with services_of(request).db.transaction() as session:
        rows = list((await session.execute(select(Broadcast).where(
            Broadcast.status == AWAITING_APPROVAL).order_by(col(Broadcast.id)))).scalars())
    return render(request, staff, "staff/approvals.html", rows=rows,
                  limit=services_of(request).settings.sms_approval_sek)


@pages.page("POST", "/staff/admin/approvals/{id}", ADMIN)
async def approve_one(request: web.Request, staff: Staff) -> web.StreamResponse:
    services = services_of(request)
    broadcast_id = int_param(request, "id") or 0
    try:
        async with services.db.transaction() as session:
            await approve_broadcast(session, services.engine.policy, staff.name, staff.now(),
                                    broadcast_id)
    except Refused as error:
        if error.reason == "not-found":
            return not_found(request, staff)
        return back_to("/staff/admin/approvals", error="staff.web.broadcast.error_state")
    return back_to("/staff/admin/approvals", "staff.web.done.approved")


def _segment_words(segment: dict[str, object]) -> str:
    """The audience in the filters' own words, or "" for everyone (said in the page's
    language: the storage summary's "everyone" is not for the page)."""
    parsed = Segment.from_dict(segment)
    return parsed.describe() if parsed.as_dict() else ""
