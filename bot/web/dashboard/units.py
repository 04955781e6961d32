"""Admin pages for a unit's bookable time: opening hours, closures and visit kinds."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from aiohttp import web

from bot.web.dashboard.core import (
    ADMIN,
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
from handlers.availability import swedish_public_holidays
from handlers.visit_words import kind_label
from storage.bookings import (
    VisitKind,
    close_day,
    closures,
    kinds_of,
    opening_hours,
    reopen_day,
    resize_future_slots,
    set_opening_hours,
)
from storage.models import Unit
from storage.places import all_units
from storage.staff import audit

pages = Pages()  # this area's pages, listed in bot/root.py

pages.nav("/staff/admin/hours", "staff.web.nav.hours", ADMIN)

WINDOW = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
SLUG = re.compile(r"^[a-z0-9-]{2,40}$")
MAX_CLOSED_DAYS = 366
KIND_NUMBERS = {"duration_minutes": (5, 600), "step_minutes": (5, 600), "seats": (1, 500),
                "min_notice_minutes": (0, 20160), "horizon_days": (1, 365)}


def parse_windows(text: str) -> list[tuple[time, time]] | None:
    """'09:00-12:00, 13:00-16:00' -> windows; '' -> closed; None when unreadable."""
    windows: list[tuple[time, time]] = []
    for piece in filter(None, (p.strip() for p in text.split(","))):
        match = WINDOW.match(piece)
        if not match:
            return None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            return None
        opens, closes = time(h1, m1), time(h2, m2)
        if closes <= opens:
            return None
        windows.append((opens, closes))
    return sorted(windows)


def hours_path(unit_id: int | None) -> str:
    return f"/staff/admin/hours?unit={unit_id or ''}"


def _unit(units: list[Unit], raw: str | None) -> Unit | None:
    chosen = int_param_of(raw)
    return next((u for u in units if u.id == chosen), units[0] if units and chosen is None else None)


@pages.page("GET", "/staff/admin/hours", ADMIN)
async def hours_page(request: web.Request, staff: Staff) -> web.StreamResponse:
    zone = services_of(request).settings.zone
    today = staff.now().astimezone(zone).date()
    async with services_of(request).db.transaction() as session:
        units = await all_units(session)
        unit = _unit(units, request.query.get("unit"))
        if unit is None or unit.id is None:
            return not_found(request, staff)
        hours = await opening_hours(session, unit.id)
        closed = await closures(session, unit.id, today, today + timedelta(days=MAX_CLOSED_DAYS))
        kinds = await kinds_of(session, unit.id, active_only=False)
    holidays = {d: name for year in (today.year, today.year + 1)
                for d, name in swedish_public_holidays(year).items()
                if today <= d <= today + timedelta(days=90)}
    windows = {day: ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in hours.get(day, []))
               for day in range(7)}
    return render(request, staff, "staff/admin_hours.html", units=units, unit=unit,
                  windows=windows, closed=closed, holidays=sorted(holidays.items()),
                  kinds=[(k, kind_label(k, staff.texts)) for k in kinds], today=today,
                  error=error_key(request, "staff.web.hours."))


@pages.page("POST", "/staff/admin/hours/{unit}", ADMIN)
async def hours_save(request: web.Request, staff: Staff) -> web.StreamResponse:
    unit_id = int_param(request, "unit") or 0
    path = hours_path(unit_id)
    parsed = {day: parse_windows(staff.form.get(f"day-{day}", "")) for day in range(7)}
    if any(windows is None for windows in parsed.values()):
        return back_to(path, error="staff.web.hours.error_hours")
    async with services_of(request).db.transaction() as session:
        if await session.get(Unit, unit_id) is None:
            return not_found(request, staff)
        for day, windows in parsed.items():
            await set_opening_hours(session, unit_id, day, windows or [])
        await audit(session, staff.now(), staff.name, "admin.hours", detail=f"unit {unit_id}")
    return back_to(path, "staff.web.done.saved")


CLOSURE_REACH = timedelta(days=5 * 366)  # a closure further off than this is a typing error


@pages.page("POST", "/staff/admin/hours/{unit}/closures", ADMIN)
async def closure_add(request: web.Request, staff: Staff) -> web.StreamResponse:
    unit_id = int_param(request, "unit") or 0
    path = hours_path(unit_id)
    try:
        first = date.fromisoformat(staff.form.get("first", ""))
        last = date.fromisoformat(staff.form["last"]) if staff.form.get("last") else first
    except ValueError:
        return back_to(path, error="staff.web.hours.error_closure")
    today = staff.now().date()
    if last < first or (last - first).days >= MAX_CLOSED_DAYS \
            or not today - CLOSURE_REACH <= first <= today + CLOSURE_REACH:  # 9999-12-31
        return back_to(path, error="staff.web.hours.error_closure")
    reason = staff.form.get("reason", "").strip()[:120]
    async with services_of(request).db.transaction() as session:
        if await session.get(Unit, unit_id) is None:
            return not_found(request, staff)
        day = first
        while day <= last:
            await close_day(session, unit_id, day, reason)
            day += timedelta(days=1)
        await audit(session, staff.now(), staff.name, "admin.closure",
                    detail=f"unit {unit_id}: {first} to {last} {reason}")
    return back_to(path, "staff.web.done.saved")


@pages.page("POST", "/staff/admin/hours/{unit}/reopen", ADMIN)
async def closure_remove(request: web.Request, staff: Staff) -> web.StreamResponse:
    unit_id = int_param(request, "unit") or 0
    try:
        day = date.fromisoformat(staff.form.get("day", ""))
    except ValueError:
        return back_to(hours_path(unit_id), error="staff.web.hours.error_closure")
    async with services_of(request).db.transaction() as session:
        await reopen_day(session, unit_id, day)
        await audit(session, staff.now(), staff.name, "admin.reopen", detail=f"unit {unit_id}: {day}")
    return back_to(hours_path(unit_id), "staff.web.done.saved")


def kind_problem(form: dict[str, str]) -> str | None:
    if not form.get("name", "").strip() or len(form.get("name", "")) > 80:
        return "staff.web.hours.error_kind"
    for field, (low, high) in KIND_NUMBERS.items():
        raw = form.get(field, "")
        if not raw.isdecimal() or not low <= int(raw) <= high:
            return "staff.web.hours.error_kind"
    return None


@pages.page("POST", "/staff/admin/hours/{unit}/kinds", ADMIN)
async def kind_save(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Change a visit kind's rules, or add one (a new slug)."""
    unit_id = int_param(request, "unit") or 0
    path = hours_path(unit_id)
    data = staff.form
    problem = kind_problem(data)
    if problem:
        return back_to(path, error=problem)
    async with services_of(request).db.transaction() as session:
        if await session.get(Unit, unit_id) is None:
            return not_found(request, staff)
        kind_id = int_param_of(data.get("kind"))
        kind = await session.get(VisitKind, kind_id) if kind_id else None
        if kind is not None and kind.unit_id != unit_id:
            return not_found(request, staff)
        if kind is None:
            slug = data.get("slug", "").strip().lower()
            if not SLUG.match(slug) or any(k.slug == slug for k in await kinds_of(session, unit_id, False)):
                return back_to(path, error="staff.web.hours.error_slug")
            kind = VisitKind(unit_id=unit_id, slug=slug, name=data["name"].strip(),
                             position=len(await kinds_of(session, unit_id, False)))
            session.add(kind)
        old_seats = kind.seats
        kind.name = data["name"].strip()
        for field in KIND_NUMBERS:
            setattr(kind, field, int(data[field]))
        kind.drop_in, kind.active = data.get("drop_in") == "on", data.get("active") == "on"
        await session.flush()
        if kind.id is not None and kind.seats != old_seats:
            await resize_future_slots(session, kind.id, kind.seats, staff.now())
        await audit(session, staff.now(), staff.name, "admin.visit_kind",
                    detail=f"unit {unit_id}: {kind.slug}")
    return back_to(path, "staff.web.done.saved")
