"""The dashboard's start page (each role's figures for today), logout and the language switch."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.web.dashboard.auth import logout, switch_language
from bot.web.dashboard.core import (
    ADMIN,
    ANALYST,
    COACH,
    DASHBOARD,
    OUTREACH,
    Pages,
    Staff,
    render,
    services_of,
)
from storage.bookings import Booking, day_bounds
from storage.followup import ANSWERED, SENT, SurveyRun
from storage.models import Contact, HandoffRequest
from storage.outreach import AWAITING_APPROVAL, SCHEDULED, SENDING, Broadcast

pages = Pages()  # this area's pages, listed in bot/root.py

pages.page("POST", "/staff/logout")(logout)
pages.page("POST", "/staff/lang")(switch_language)

# Which figures each role sees first: (figure, the page it links to).
FIGURES: dict[str, tuple[tuple[str, str], ...]] = {
    COACH: (("visits_today", "/staff/visits"), ("visits_left", "/staff/visits"),
            ("open_handoffs", "/staff/handoffs")),
    OUTREACH: (("broadcasts_running", "/staff/outreach/broadcasts"),
               ("awaiting_approval", "/staff/outreach/broadcasts"),
               ("reached_today", "/staff/outreach/sources")),
    ANALYST: (("reached_today", "/staff/reports/funnel"),
              ("visits_today", "/staff/reports/funnel"),
              ("answered_30_days", "/staff/reports/outcomes")),
    ADMIN: (("visits_today", "/staff/visits"), ("open_handoffs", "/staff/handoffs"),
            ("broadcasts_running", "/staff/outreach/broadcasts"),
            ("awaiting_approval", "/staff/admin/approvals")),
}


async def _count(session: AsyncSession, statement: Any) -> int:
    return int((await session.execute(statement)).scalar_one())


async def figures_for(session: AsyncSession, staff: Staff, zone: Any) -> dict[str, int]:
    """Today's counts for the staff member's role, within their unit for a coach."""
    now = staff.now()
    first, last = day_bounds(now.astimezone(zone).date(), zone)
    scope = staff.unit_scope if staff.role == COACH else None
    wanted = {name for name, _ in FIGURES.get(staff.role, ())}
    visits = (select(func.count()).select_from(Booking)
              .where(col(Booking.start) >= first, col(Booking.start) < last,
                     col(Booking.status) != "cancelled"))
    if scope is not None:
        visits = visits.where(col(Booking.unit_id) == scope)
    found: dict[str, int] = {}
    if "visits_today" in wanted:
        found["visits_today"] = await _count(session, visits)
    if "visits_left" in wanted:
        found["visits_left"] = await _count(session, visits.where(
            col(Booking.status) == "booked", col(Booking.start) > now))
    if "open_handoffs" in wanted:
        handoffs = select(func.count()).select_from(HandoffRequest).where(
            col(HandoffRequest.status) == "open")
        if scope is not None:
            handoffs = handoffs.where(col(HandoffRequest.unit_id) == scope)
        found["open_handoffs"] = await _count(session, handoffs)
    if "broadcasts_running" in wanted:
        found["broadcasts_running"] = await _count(session, select(func.count()).select_from(
            Broadcast).where(col(Broadcast.status).in_((SCHEDULED, SENDING))))
    if "awaiting_approval" in wanted:
        found["awaiting_approval"] = await _count(session, select(func.count()).select_from(
            Broadcast).where(col(Broadcast.status) == AWAITING_APPROVAL))
    if "reached_today" in wanted:
        found["reached_today"] = await _count(session, select(func.count()).select_from(
            Contact).where(col(Contact.created_at) >= first, col(Contact.created_at) < last))
    if "answered_30_days" in wanted:
        found["answered_30_days"] = await _count(session, select(func.count()).select_from(
            SurveyRun).where(col(SurveyRun.status).in_((ANSWERED, SENT)),
                             col(SurveyRun.answered_at) >= now - timedelta(days=30)))
    return found


@pages.page("GET", "/staff/")
async def start(request: web.Request, staff: Staff) -> web.StreamResponse:
    services = services_of(request)
    async with services.db.transaction() as session:
        counts = await figures_for(session, staff, services.settings.zone)
    figures = [(name, counts[name], href) for name, href in FIGURES.get(staff.role, ())
               if name in counts]
    sections = request.app[DASHBOARD].nav_for(staff)
    return render(request, staff, "staff/home.html", sections=sections, figures=figures,
                  open_handoffs=counts.get("open_handoffs", 0))
