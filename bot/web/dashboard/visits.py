"""The coach's day: the visits of any day or week with attended / no-show / enrol / avslut,
cancelling and moving a visit, and booking on behalf of a walk-in or a caller."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.web.dashboard.contacts import contact_in_scope
from bot.web.dashboard.core import (
    ADMIN,
    COACH,
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
from handlers.actions import bookings as actions
from handlers.actions.bookings import Actor, Refused
from handlers.actions.followup import record_avslut
from handlers.coach_telegram import SHOWN
from handlers.free_times import free_slots
from handlers.phone import e164
from handlers.visit_words import kind_label, needs_words
from storage.bookings import Booking, VisitKind, bookings_between, day_bounds, kinds_of
from storage.followup import AVSLUT_REASONS, PROGRAMMES, TOO_OLD, SurveyRun, survey_for_avslut
from storage.models import AuditLog, Contact, Unit
from storage.places import all_units
from storage.staff import audit

pages = Pages()  # this area's pages, listed in bot/root.py

pages.nav("/staff/visits", "staff.web.nav.visits", COACH, ADMIN)

DAYS = ("today", "tomorrow")  # the old ?day= words, still understood
MAX_NAME = 60


def actor_of(staff: Staff) -> Actor:
    return Actor(staff.name, staff.unit_scope)


def refused_key(prefix: str, error: Refused) -> str:
    return f"{prefix}error_{error.reason.replace('-', '_')}"


MAX_DAYS_AWAY = 3660  # ten years either way


def chosen_day(query: Any, today: date) -> date:
    """?date=YYYY-MM-DD (or the older ?day=today|tomorrow); today otherwise."""
    raw = query.get("date", "")
    try:
        chosen = date.fromisoformat(raw) if raw and len(raw) == 10 else \
            today + timedelta(days=DAYS.index(query["day"]) if query.get("day") in DAYS else 0)
    except ValueError:
        return today
    # A day decades away has no visits, and its week can run past year 9999: today instead.
    return chosen if abs((chosen - today).days) <= MAX_DAYS_AWAY else today


def unit_for(staff: Staff, raw: str | None) -> int | None:
    """The unit a page is about: a coach's own; an admin's choice (or the first unit)."""
    if not staff.is_admin:
        return staff.user.unit_id
    return int_param_of(raw)


async def _unit_choice(session: AsyncSession, staff: Staff, raw: str | None) -> tuple[int | None, list[Unit]]:
    units = await all_units(session) if staff.is_admin else []
    unit_id = unit_for(staff, raw)
    if staff.is_admin and unit_id is None and units:
        unit_id = units[0].id
    return unit_id, units


@pages.page("GET", "/staff/visits", COACH, ADMIN)
async def day_list(request: web.Request, staff: Staff) -> web.StreamResponse:
    """One day's visits (?date=), or the week around it (?view=week), with the day's actions."""
    services = services_of(request)
    zone, now = services.settings.zone, staff.now()
    today = now.astimezone(zone).date()
    day = chosen_day(request.query, today)
    week = request.query.get("view") == "week"
    first_day = day - timedelta(days=day.weekday()) if week else day
    days = [first_day + timedelta(days=n) for n in range(7 if week else 1)]
    rows: list[dict[str, Any]] = []
    async with services.db.transaction() as session:
        unit_id, units = await _unit_choice(session, staff, request.query.get("unit"))
        unit = await session.get(Unit, unit_id) if unit_id else None
        if unit is not None:
            first, _ = day_bounds(days[0], zone)
            _, last = day_bounds(days[-1], zone)
            for item, kind, _ in await bookings_between(session, first, last, unit_id=unit.id,
                                                        statuses=(*SHOWN, "cancelled")):
                contact = await session.get(Contact, item.contact_id)
                other = contact is not None and contact.unit_id not in (None, item.unit_id) \
                    and not staff.may_see_unit(contact.unit_id)
                rows.append({"booking": item, "kind": kind_label(kind, staff.texts),
                             "day": item.start.astimezone(zone).date(),
                             "who": item.first_name or item.code,
                             "needs": needs_words(item.interpreter_language, item.accessibility,
                                                  staff.texts),
                             "enrolled": bool(contact and contact.enrolled_at),
                             "other_unit": other,
                             "cancel_reason": await cancel_reason(session, item)
                             if item.status == "cancelled" else "",
                             "started": item.start <= now, "ended": item.end <= now})
                await audit(session, now, staff.name, "view.visits", contact_id=item.contact_id,
                            detail=f"booking {item.id}")
    unit_query = f"&unit={unit.id}" if units and unit else ""
    step = timedelta(days=7 if week else 1)
    return render(request, staff, "staff/visits.html", rows=rows, day=day, days=days, week=week,
                  unit=unit, units=units, reasons=AVSLUT_REASONS, today=today,
                  previous=day - step, next=day + step, unit_query=unit_query,
                  back=f"/staff/visits?date={day.isoformat()}{'&view=week' if week else ''}"
                       f"{unit_query}",
                  error=error_key(request, "staff.web.visits."))


async def cancel_reason(session: AsyncSession, item: Booking) -> str:
    """The reason staff gave when they cancelled a visit (kept in the audit log), or ""."""
    detail = (await session.execute(
        select(col(AuditLog.detail)).where(col(AuditLog.action) == "booking.cancelled",
                                      col(AuditLog.contact_id) == item.contact_id,
                                      col(AuditLog.detail).startswith(f"booking {item.id}: "))
        .limit(1))).scalar_one_or_none()
    return (detail or "").split(": ", 1)[-1] if detail else ""


async def _booking_in_scope(session: AsyncSession, staff: Staff, booking_id: int) -> Booking | None:
    item = await session.get(Booking, booking_id)
    if item is None or not staff.may_see_unit(item.unit_id):
        return None
    return item


def _back(form: dict[str, str]) -> str:
    """Where a visit action returns to: the page it came from (a day or week of the list)."""
    back = form.get("back", "")
    return back if back.startswith("/staff/visits") and "\n" not in back and "\r" not in back \
        else "/staff/visits"


@pages.page("POST", "/staff/visits/{id}/mark", COACH, ADMIN)
async def mark(request: web.Request, staff: Staff) -> web.StreamResponse:
    outcome = staff.form.get("outcome", "")
    back = _back(staff.form)
    services = services_of(request)
    try:
        async with services.db.transaction() as session:
            await actions.mark_visit(session, services.engine.policy, actor_of(staff),
                                     staff.now(), int_param(request, "id") or 0, outcome)
    except Refused as error:
        if error.reason == "not-found":
            return not_found(request, staff)
        return back_to(back, error=refused_key("staff.web.visits.", error))
    return back_to(back, f"staff.web.done.{outcome}")


@pages.page("POST", "/staff/visits/{id}/cancel", COACH, ADMIN)
async def cancel(request: web.Request, staff: Staff) -> web.StreamResponse:
    back = _back(staff.form)
    services = services_of(request)
    try:
        async with services.db.transaction() as session:
            await actions.cancel_visit(session, services.engine.policy, actor_of(staff),
                                       staff.now(), int_param(request, "id") or 0,
                                       staff.form.get("reason", ""))
    except Refused as error:
        if error.reason == "not-found":
            return not_found(request, staff)
        return back_to(back, error=refused_key("staff.web.visits.", error))
    await services.engine.run_due_jobs()  # queue the message to the person now
    return back_to(back, "staff.web.done.visit_cancelled")


@pages.page("GET", "/staff/visits/{id}/move", COACH, ADMIN)
async def move_form(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Every free time of the visit's kind, to move it to."""
    services = services_of(request)
    zone, now = services.settings.zone, staff.now()
    async with services.db.transaction() as session:
        item = await _booking_in_scope(session, staff, int_param(request, "id") or 0)
        if item is None:
            return not_found(request, staff)
        kind = await session.get(VisitKind, item.kind_id)
        assert kind is not None
        slots = [s for s in await free_slots(session, kind, now, zone) if s.start != item.start]
        await audit(session, now, staff.name, "view.visit", contact_id=item.contact_id,
                    detail=f"booking {item.id}")
    return render(request, staff, "staff/move.html", booking=item,
                  kind=kind_label(kind, staff.texts), slots=slots,
                  back=_back(dict(request.query)),
                  error=error_key(request, "staff.web.visits."))


@pages.page("POST", "/staff/visits/{id}/move", COACH, ADMIN)
async def move(request: web.Request, staff: Staff) -> web.StreamResponse:
    back = _back(staff.form)
    booking_id = int_param(request, "id") or 0
    services = services_of(request)
    try:
        start = datetime.fromisoformat(staff.form.get("start", ""))
        if start.tzinfo is None:
            raise ValueError("naive")
    except ValueError:
        return back_to(f"/staff/visits/{booking_id}/move", error="staff.web.visits.error_time",
                       back=back)
    try:
        async with services.db.transaction() as session:
            await actions.move_visit(session, services.engine.policy, actor_of(staff),
                                     staff.now(), booking_id, start)
    except Refused as error:
        if error.reason == "not-found":
            return not_found(request, staff)
        return back_to(f"/staff/visits/{booking_id}/move",
                       error=refused_key("staff.web.visits.", error), back=back)
    await services.engine.run_due_jobs()
    return back_to(back, "staff.web.done.moved")


@pages.page("POST", "/staff/contacts/{id}/enrol", COACH, ADMIN)
async def enrol(request: web.Request, staff: Staff) -> web.StreamResponse:
    back = staff.form.get("back", "")
    back = back if back.startswith("/staff/") else f"/staff/contacts/{int_param(request, 'id')}"
    async with services_of(request).db.transaction() as session:
        contact = await contact_in_scope(session, staff, int_param(request, "id") or 0)
        if contact is None:
            return not_found(request, staff)
        programme = staff.form.get("insats")
        done = await actions.enrol(session, actor_of(staff), staff.now(), contact,
                                   programme if programme in PROGRAMMES else None)
    if done.changed:
        return back_to(back, "staff.web.done.programme_changed",
                       was=done.programme_was or "", to=done.programme)
    return back_to(back, "staff.web.done.enrolled" if done.new
                   else "staff.web.done.already_enrolled")


@pages.page("POST", "/staff/contacts/{id}/avslut", COACH, ADMIN)
async def avslut(request: web.Request, staff: Staff) -> web.StreamResponse:
    data = staff.form
    contact_id = int_param(request, "id") or 0
    back = data.get("back", "")
    back = back if back.startswith("/staff/") else f"/staff/contacts/{contact_id}"
    reason = data.get("reason", "")
    if reason not in AVSLUT_REASONS:
        return back_to(back, error="staff.web.visits.error_reason")
    services = services_of(request)
    zone = services.settings.zone
    try:
        ended_on = date.fromisoformat(data["ended_on"]) if data.get("ended_on") \
            else staff.now().astimezone(zone).date()
    except ValueError:
        return back_to(back, error="staff.web.visits.error_date")
    async with services.db.transaction() as session:
        contact = await contact_in_scope(session, staff, contact_id)
        if contact is None:
            return not_found(request, staff)
        try:
            row = await record_avslut(session, services.engine.policy, actor_of(staff),
                                      staff.now(), contact_id, ended_on, reason,
                                      unit_id=staff.user.unit_id,
                                      replace=data.get("replace") == "on",
                                      programme=data.get("insats") or None)
        except Refused as error:
            return back_to(back, error="staff.web.visits.error_avslut_before_enrolment"
                           if error.reason == "before-enrolment"
                           else "staff.web.visits.error_avslut")
        assert row.id is not None
        run = await survey_for_avslut(session, row.id)
    return back_to(back, avslut_done(run))


def avslut_done(run: SurveyRun | None) -> str:
    """What the page says after an avslut: when its survey goes, late, or why it does not."""
    if run is not None and run.status == TOO_OLD:
        return "staff.web.done.avslut_too_old"
    if run is not None and run.late:
        return "staff.web.done.avslut_late"
    return "staff.web.done.avslut"


# --- booking on behalf ------------------------------------------------------------------


@pages.page("GET", "/staff/visits/new", COACH, ADMIN)
async def book_form(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Every free time of the chosen kind (its whole booking horizon), by day."""
    services = services_of(request)
    zone, now = services.settings.zone, staff.now()
    async with services.db.transaction() as session:
        unit_id, units = await _unit_choice(session, staff, request.query.get("unit"))
        kinds = await kinds_of(session, unit_id) if unit_id else []
        kind_id = int_param(request, "kind")
        kind = next((k for k in kinds if k.id == kind_id), kinds[0] if kinds else None)
        slots = await free_slots(session, kind, now, zone) if kind else []
        booked = await _booked_summary(session, staff, int_param(request, "booked"))
    by_day: dict[date, list[Any]] = {}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(zone).date(), []).append(slot)
    return render(request, staff, "staff/book.html", units=units, unit_id=unit_id,
                  kinds=[(k, kind_label(k, staff.texts)) for k in kinds], kind=kind, slots=slots,
                  by_day=by_day, error=error_key(request, "staff.web.book."),
                  values=request.query, booked=booked)


async def _booked_summary(session: AsyncSession, staff: Staff,
                          booking_id: int | None) -> dict[str, Any] | None:
    """What was just booked: when, what kind, for whom (the typed first name) and the code;
    and when the number is a person of another jobbtorg, that unit's name (only that)."""
    item = await _booking_in_scope(session, staff, booking_id) if booking_id else None
    if item is None:
        return None
    kind = await session.get(VisitKind, item.kind_id)
    assert kind is not None
    other = await actions.other_unit_of(session, item)
    here = await session.get(Unit, item.unit_id)
    return {"booking": item, "kind": kind_label(kind, staff.texts),
            "other_unit": other.name if other else None, "unit": here.name if here else ""}


@pages.page("POST", "/staff/visits/new", COACH, ADMIN)
async def book_submit(request: web.Request, staff: Staff) -> web.StreamResponse:
    data = staff.form
    services = services_of(request)
    keep = {k: data.get(k, "") for k in ("unit", "kind", "phone", "first_name", "interpreter")}

    def again(error: str) -> web.Response:
        return back_to("/staff/visits/new", error=error, **keep)

    number = e164(data.get("phone", ""))
    if number is None:
        return again("staff.web.book.error_phone")
    try:
        start = datetime.fromisoformat(data.get("start", ""))
    except ValueError:
        return again("staff.web.book.error_time")
    if start.tzinfo is None:
        return again("staff.web.book.error_time")
    try:
        async with services.db.transaction() as session:
            done = await actions.book_on_behalf(
                session, services.engine.policy, actor_of(staff), staff.now(),
                channel=services.number_channel, phone=number,
                kind=int_param_of(data.get("kind")) or 0, start=start,
                first_name=data.get("first_name", ""), interpreter=data.get("interpreter", ""),
                accessibility=data.get("accessibility") == "on")
            booked_id, opted_out = done.booking.id, done.address.opted_out
    except Refused as error:  # the transaction is undone: no person is kept for nothing
        return again(refused_key("staff.web.book.", error) if error.reason in ("kind", "taken")
                     else "staff.web.book.error_time")
    await services.engine.run_due_jobs()  # queue the confirmation now
    return back_to("/staff/visits/new", "staff.web.done.opted_out" if opted_out
                   else "staff.web.done.booked", booked=booked_id, unit=keep["unit"])
