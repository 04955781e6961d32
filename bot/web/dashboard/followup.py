"""The coach's follow-up list: people whose three-month survey went unanswered, to record an outcome."""

from __future__ import annotations

from aiohttp import web
from sqlmodel import col, select

from bot.web.dashboard.core import ADMIN, COACH, Pages, Staff, render, services_of
from storage.followup import UNANSWERED_STATUSES, Avslut, StaffOutcome, SurveyRun
from storage.models import Contact
from storage.staff import audit

pages = Pages()  # this area's pages, listed in bot/root.py

pages.nav("/staff/followup", "staff.web.nav.followup", COACH, ADMIN)

SHOWN = 200


@pages.page("GET", "/staff/followup", COACH, ADMIN)
async def unanswered(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Avslut whose survey expired or could not be sent and that have no staff outcome yet."""
    recorded = select(StaffOutcome.avslut_id)
    statement = (
        select(Avslut, SurveyRun.status, Contact.first_name)
        .join(SurveyRun, col(SurveyRun.avslut_id) == Avslut.id)
        .join(Contact, col(Contact.id) == Avslut.contact_id)
        .where(col(SurveyRun.status).in_(UNANSWERED_STATUSES),
               col(Avslut.id).not_in(recorded))
        .order_by(col(Avslut.ended_on)).limit(SHOWN))
    scope = staff.unit_scope
    if scope is not None:
        statement = statement.where(Avslut.unit_id == scope)
    async with services_of(request).db.transaction() as session:
        rows = (await session.execute(statement)).all()
        for avslut, _, _ in rows:
            await audit(session, staff.now(), staff.name, "view.followup_list",
                        contact_id=avslut.contact_id)
    return render(request, staff, "staff/followup.html", rows=rows)
