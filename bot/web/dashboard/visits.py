"""The coach's day: today's and tomorrow's visits with attended / no-show / enrol / avslut,
and booking on behalf of a walk-in or a caller."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import phonenumbers
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels import SIM_SMS, SMS
from bot.web.dashboard.contacts import contact_in_scope
from bot.web.dashboard.core import (
    ADMIN,
    COACH,
    Staff,
    back_to,
    error_key,
    int_param,
    nav_item,
    not_found,
    page,
    render,
    services_of,
)
from handlers.booking import CONFIRMATION, book_for
from handlers.coach_telegram import OUTCOMES, SHOWN, mark_visit
from handlers.free_times import free_slots
from handlers.survey import FollowupError, record_avslut
from handlers.visit_words import kind_label, needs_words
from storage.bookings import Booking, VisitKind, bookings_between, day_bounds, kinds_of
from storage.followup import AVSLUT_REASONS
from storage.jobs import schedule
from storage.models import Contact, Unit
from storage.people import address_for
from storage.places import all_units
from storage.staff import audit

nav_item("/staff/visits", "staff.web.nav.visits", COACH, ADMIN)

DAYS = ("today", "tomorrow")
FREE_TIMES_SHOWN = 40
MAX_NAME = 60


def unit_for(staff: Staff, raw: str | None) -> int | None:
    """The unit a page is about: a coach's own; an admin's choice (or the first unit)."""
    if not staff.is_admin:
        return staff.user.unit_id
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


async def _unit_choice(session: AsyncSession, staff: Staff, raw: str | None) -> tuple[int | None, list[Unit]]:
    units = await all_units(session) if staff.is_admin else []
    unit_id = unit_for(staff, raw)
    if staff.is_admin and unit_id is None and units:
        unit_id = units[0].id
    return unit_id, units


@page("GET", "/staff/visits", COACH, ADMIN)
async def day_list(request: web.Request, staff: Staff) -> web.StreamResponse:
    which = request.query.get("day", "today")
    which = which if which in DAYS else "today"
    services = services_of(request)
    zone, now = services.settings.zone, staff.now()
    day = now.astimezone(zone).date() + timedelta(days=DAYS.index(which))
    rows: list[dict[str, Any]] = []
    async with services.db.transaction() as session:
        unit_id, units = await _unit_choice(session, staff, request.query.get("unit"))
        unit = await session.get(Unit, unit_id) if unit_id else None
        if unit is not None:
            first, last = day_bounds(day, zone)
            for item, kind, _ in await bookings_between(session, first, last, unit_id=unit.id,
                                                        statuses=SHOWN):
                contact = await session.get(Contact, item.contact_id)
                rows.append({"booking": item, "kind": kind_label(kind, staff.texts),
                             "who": item.first_name or item.code,
                             "needs": needs_words(item.interpreter_language, item.accessibility,
                                                  staff.texts),
                             "enrolled": bool(contact and contact.enrolled_at),
                             "started": item.start <= now})
                await audit(session, now, staff.name, "view.visits", contact_id=item.contact_id,
                            detail=f"booking {item.id}")
    return render(request, staff, "staff/visits.html", rows=rows, which=which, day=day, unit=unit,
                  units=units, reasons=AVSLUT_REASONS, today=now.astimezone(zone).date(),
                  error=error_key(request, "staff.web.visits."))


async def _booking_in_scope(session: AsyncSession, staff: Staff, booking_id: int) -> Booking | None:
    item = await session.get(Booking, booking_id)
    if item is None or not staff.may_see_unit(item.unit_id):
        return None
    return item


def _back(staff: Staff, form: dict[str, str]) -> str:
    """Where a visit action returns to: the same day (and unit) of the list."""
    which = form.get("day") if form.get("day") in DAYS else "today"
    unit = form.get("unit", "") if staff.is_admin else ""
    return f"/staff/visits?day={which}" + (f"&unit={unit}" if unit.isdigit() else "")


@page("POST", "/staff/visits/{id}/mark", COACH, ADMIN)
async def mark(request: web.Request, staff: Staff) -> web.StreamResponse:
    outcome = staff.form.get("outcome", "")
    back = _back(staff, staff.form)
    if outcome not in OUTCOMES:
        return back_to(back, error="staff.web.visits.error_outcome")
    services = services_of(request)
    async with services.db.transaction() as session:
        item = await _booking_in_scope(session, staff, int_param(request, "id") or 0)
        if item is None:
            return not_found(request, staff)
        if item.status == "cancelled":
            return back_to(back, error="staff.web.visits.error_cancelled")
        if item.start > staff.now():
            return back_to(back, error="staff.web.visits.error_not_started")
        await mark_visit(session, item, outcome, staff.name, services.engine.policy, staff.now())
    return back_to(back, f"staff.web.done.{outcome}")


async def enrol_contact(session: AsyncSession, contact: Contact, actor: str, now: datetime) -> bool:
    """Record that a person is inskriven; False when they already were."""
    if contact.enrolled_at is not None:
        return False
    contact.enrolled_at = now
    await audit(session, now, actor, "contact.enrolled", contact.id)
    return True


@page("POST", "/staff/contacts/{id}/enrol", COACH, ADMIN)
async def enrol(request: web.Request, staff: Staff) -> web.StreamResponse:
    back = staff.form.get("back", "")
    back = back if back.startswith("/staff/") else f"/staff/contacts/{int_param(request, 'id')}"
    async with services_of(request).db.transaction() as session:
        contact = await contact_in_scope(session, staff, int_param(request, "id") or 0)
        if contact is None:
            return not_found(request, staff)
        new = await enrol_contact(session, contact, staff.name, staff.now())
    return back_to(back, "staff.web.done.enrolled" if new else "staff.web.done.already_enrolled")


@page("POST", "/staff/contacts/{id}/avslut", COACH, ADMIN)
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
            await record_avslut(session, contact_id, ended_on, reason, staff.name, staff.now(),
                                services.engine.policy, unit_id=staff.user.unit_id,
                                replace=data.get("replace") == "on")
        except FollowupError:
            return back_to(back, error="staff.web.visits.error_avslut")
    return back_to(back, "staff.web.done.avslut")


# --- booking on behalf ------------------------------------------------------------------


def normalised_phone(text: str) -> str | None:
    """A Swedish or international mobile number as E.164, or None."""
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@page("GET", "/staff/visits/new", COACH, ADMIN)
async def book_form(request: web.Request, staff: Staff) -> web.StreamResponse:
    services = services_of(request)
    zone, now = services.settings.zone, staff.now()
    async with services.db.transaction() as session:
        unit_id, units = await _unit_choice(session, staff, request.query.get("unit"))
        kinds = await kinds_of(session, unit_id) if unit_id else []
        kind_id = int_param(request, "kind")
        kind = next((k for k in kinds if k.id == kind_id), kinds[0] if kinds else None)
        slots = (await free_slots(session, kind, now, zone))[:FREE_TIMES_SHOWN] if kind else []
    return render(request, staff, "staff/book.html", units=units, unit_id=unit_id,
                  kinds=[(k, kind_label(k, staff.texts)) for k in kinds], kind=kind, slots=slots,
                  error=error_key(request, "staff.web.book."), values=request.query)


@page("POST", "/staff/visits/new", COACH, ADMIN)
async def book_submit(request: web.Request, staff: Staff) -> web.StreamResponse:
    data = staff.form
    services = services_of(request)
    now = staff.now()
    keep = {k: data.get(k, "") for k in ("unit", "kind", "phone", "first_name", "interpreter")}

    def again(error: str) -> web.Response:
        return back_to("/staff/visits/new", error=error, **keep)

    number = normalised_phone(data.get("phone", ""))
    if number is None:
        return again("staff.web.book.error_phone")
    first_name = data.get("first_name", "").strip()[:MAX_NAME] or None
    interpreter = data.get("interpreter", "").strip().lower()[:40] or None
    try:
        start = datetime.fromisoformat(data.get("start", ""))
    except ValueError:
        return again("staff.web.book.error_time")
    if start.tzinfo is None:
        return again("staff.web.book.error_time")
    async with services.db.transaction() as session:
        kind = await session.get(VisitKind, int_param_of(data.get("kind")) or 0)
        if kind is None or not kind.active or not staff.may_see_unit(kind.unit_id):
            return again("staff.web.book.error_kind")
        # In the demo the confirmation goes to the simulator's SMS look.
        channel = SIM_SMS if services.demo else SMS
        address, _ = await address_for(session, channel, number, now)
        contact = await session.get(Contact, address.contact_id)
        assert contact is not None and contact.id is not None
        record = await book_for(session, services.engine.policy, kind, start, contact.id, now,
                                staff.name, first_name=first_name, interpreter_language=interpreter,
                                accessibility=data.get("accessibility") == "on")
        if record is None:
            return again("staff.web.book.error_taken")
        if first_name and not contact.first_name:
            contact.first_name = first_name
        await schedule(session, CONFIRMATION, now, now, contact_id=contact.id,
                       payload={"booking_id": record.id, "address_id": address.id},
                       key=f"confirmation:{record.id}")
        await audit(session, now, staff.name, "booking.added", contact.id, f"booking {record.id}")
        code, opted_out = record.code, address.opted_out
    await services.engine.run_due_jobs()  # queue the confirmation now
    return back_to("/staff/visits/new", "staff.web.done.opted_out" if opted_out
                   else "staff.web.done.booked", code=code, unit=keep["unit"])


def int_param_of(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 12 else None
