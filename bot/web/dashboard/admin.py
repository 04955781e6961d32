"""Admin pages: staff users, units and the audit log."""

from __future__ import annotations

import re

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.passwords import hash_password
from bot.web.dashboard.core import (
    ADMIN,
    ALL_ROLES,
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
from storage.models import AuditLog, StaffUser, Unit
from storage.places import all_units
from storage.staff import ROLES, audit, staff_by_username
from storage.staff_sessions import end_sessions_of

pages = Pages()  # this area's pages, listed in bot/root.py

pages.nav("/staff/admin/staff", "staff.web.nav.staff_users", ADMIN)
pages.nav("/staff/admin/units", "staff.web.nav.units", ADMIN)
pages.nav("/staff/admin/audit", "staff.web.nav.audit", ADMIN)

USERNAME = re.compile(r"^[a-z0-9._-]{3,64}$")
MIN_PASSWORD = 12
AUDIT_PAGE = 100


def staff_problem(role: str, unit_id: int | None, password: str | None,
                  telegram_id: str) -> str | None:
    """Why a staff user's fields are not acceptable, as a catalog key, or None."""
    if role not in ALL_ROLES:
        return "staff.web.admin.error_role"
    if role == "coach" and unit_id is None:
        return "staff.web.admin.error_unit"
    if password is not None and len(password) < MIN_PASSWORD:
        return "staff.web.admin.error_password"
    if telegram_id and not (telegram_id.isdecimal() and len(telegram_id) < 16):
        return "staff.web.admin.error_telegram"
    return None


async def _unit_id(session: AsyncSession, raw: str) -> int | None:
    unit_id = int_param_of(raw)
    if unit_id is None:
        return None
    unit = await session.get(Unit, unit_id)
    return unit.id if unit else None


@pages.page("GET", "/staff/admin/staff", ADMIN)
async def staff_list(request: web.Request, staff: Staff) -> web.StreamResponse:
    async with services_of(request).db.transaction() as session:
        users = list((await session.execute(select(StaffUser).order_by(col(StaffUser.username)))).scalars())
        units = await all_units(session)
    return render(request, staff, "staff/admin_staff.html", users=users, units=units,
                  unit_names={u.id: u.name for u in units}, roles=ROLES,
                  error=error_key(request, "staff.web.admin."), min_password=MIN_PASSWORD)


@pages.page("POST", "/staff/admin/staff", ADMIN)
async def staff_create(request: web.Request, staff: Staff) -> web.StreamResponse:
    data = staff.form
    username = data.get("username", "").strip().lower()
    role, password = data.get("role", ""), data.get("password", "")
    telegram_id = data.get("telegram_user_id", "").strip()
    path = "/staff/admin/staff"
    if not USERNAME.match(username):
        return back_to(path, error="staff.web.admin.error_username")
    async with services_of(request).db.transaction() as session:
        unit_id = await _unit_id(session, data.get("unit", ""))
        problem = staff_problem(role, unit_id, password, telegram_id)
        if problem:
            return back_to(path, error=problem)
        if await staff_by_username(session, username):
            return back_to(path, error="staff.web.admin.error_taken")
        session.add(StaffUser(username=username, password_hash=hash_password(password), role=role,
                              unit_id=unit_id, created_at=staff.now(),
                              telegram_user_id=int(telegram_id) if telegram_id else None))
        await audit(session, staff.now(), staff.name, "admin.staff_add",
                    detail=f"{username} as {role}")
    return back_to(path, "staff.web.done.saved")


@pages.page("POST", "/staff/admin/staff/{id}", ADMIN)
async def staff_update(request: web.Request, staff: Staff) -> web.StreamResponse:
    data = staff.form
    path = "/staff/admin/staff"
    async with services_of(request).db.transaction() as session:
        user = await session.get(StaffUser, int_param(request, "id") or 0)
        if user is None or user.id is None:
            return not_found(request, staff)
        role = data.get("role", user.role)
        active = data.get("active") == "on"
        password = data.get("password") or None
        unit_id = await _unit_id(session, data.get("unit", ""))
        problem = staff_problem(role, unit_id, password, "")
        if problem:
            return back_to(path, error=problem)
        if user.id == staff.user.id and (role != ADMIN or not active):
            return back_to(path, error="staff.web.admin.error_self")
        changes = []
        if role != user.role:
            changes.append(f"role {user.role}->{role}")
        if unit_id != user.unit_id:
            changes.append(f"unit {user.unit_id}->{unit_id}")
        if active != user.active:
            changes.append("activated" if active else "deactivated")
        if password:
            changes.append("new password")
            user.password_hash = hash_password(password)
        user.role, user.unit_id, user.active = role, unit_id, active
        if password or not active or "role" in " ".join(changes):
            await end_sessions_of(session, user.id)  # signed out everywhere
        await audit(session, staff.now(), staff.name, "admin.staff_change",
                    detail=f"{user.username}: {', '.join(changes) or 'no change'}")
    return back_to(path, "staff.web.done.saved")


@pages.page("GET", "/staff/admin/units", ADMIN)
async def units_page(request: web.Request, staff: Staff) -> web.StreamResponse:
    async with services_of(request).db.transaction() as session:
        units = await all_units(session)
    return render(request, staff, "staff/admin_units.html", units=units,
                  error=error_key(request, "staff.web.admin."))


@pages.page("POST", "/staff/admin/units/{id}", ADMIN)
async def unit_update(request: web.Request, staff: Staff) -> web.StreamResponse:
    data = {key: value.strip() for key, value in staff.form.items()}
    if not data.get("name") or any(len(data.get(f, "")) > 120 for f in ("name", "site", "phone")) \
            or len(data.get("address", "")) > 240:
        return back_to("/staff/admin/units", error="staff.web.admin.error_unit_fields")
    async with services_of(request).db.transaction() as session:
        unit = await session.get(Unit, int_param(request, "id") or 0)
        if unit is None:
            return not_found(request, staff)
        unit.name, unit.site = data["name"], data.get("site", "")
        unit.address, unit.phone = data.get("address", ""), data.get("phone", "")
        await audit(session, staff.now(), staff.name, "admin.unit_change", detail=unit.slug)
    return back_to("/staff/admin/units", "staff.web.done.saved")


@pages.page("GET", "/staff/admin/audit", ADMIN)
async def audit_log(request: web.Request, staff: Staff) -> web.StreamResponse:
    actor = request.query.get("actor", "").strip()[:80]
    action = request.query.get("action", "").strip()[:48]
    contact_id = int_param(request, "contact")
    before = int_param(request, "before")
    statement = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(AUDIT_PAGE)
    if actor:
        statement = statement.where(col(AuditLog.actor) == actor)
    if action:
        statement = statement.where(col(AuditLog.action).startswith(action))
    if contact_id:
        statement = statement.where(col(AuditLog.contact_id) == contact_id)
    if before:
        statement = statement.where(col(AuditLog.id) < before)
    async with services_of(request).db.transaction() as session:
        rows = list((await session.execute(statement)).scalars())
        await audit(session, staff.now(), staff.name, "view.audit_log",
                    contact_id=contact_id, detail=f"actor={actor} action={action}"[:400])
    older = rows[-1].id if len(rows) == AUDIT_PAGE else None
    return render(request, staff, "staff/admin_audit.html", rows=rows, actor=actor,
                  action=action, contact=contact_id or "", older=older)
