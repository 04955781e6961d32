"""The dashboard's start page, logout and the language switch."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import func
from sqlmodel import col, select

from bot.web.dashboard import auth
from bot.web.dashboard.core import NAV, Staff, page, render, services_of
from storage.models import HandoffRequest

page("POST", "/staff/logout")(auth.logout)
page("POST", "/staff/lang")(auth.switch_language)


@page("GET", "/staff/")
async def start(request: web.Request, staff: Staff) -> web.StreamResponse:
    open_handoffs = 0
    if staff.role in ("coach", "admin"):
        statement = select(func.count()).select_from(HandoffRequest).where(
            col(HandoffRequest.status) == "open")
        scope = staff.unit_scope
        if scope is not None:
            statement = statement.where(col(HandoffRequest.unit_id) == scope)
        async with services_of(request).db.transaction() as session:
            open_handoffs = int((await session.execute(statement)).scalar_one())
    sections = [(path, key) for path, key, roles in NAV if staff.role in roles]
    return render(request, staff, "staff/home.html", sections=sections,
                  open_handoffs=open_handoffs)
