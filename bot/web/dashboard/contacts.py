"""A person's page for coaches: the least needed to help them, each view written to the audit log."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.web.dashboard.core import (
    ADMIN,
    COACH,
    Staff,
    int_param,
    nav_item,
    not_found,
    page,
    render,
    services_of,
)
from storage.models import Contact, District, HandoffRequest, Unit
from storage.people import addresses_of
from storage.staff import audit

nav_item("/staff/contacts", "staff.web.nav.contacts", COACH, ADMIN)

MAX_RESULTS = 50


def masked(address: str) -> str:
    """Enough of an address to confirm it on the phone with the person, no more."""
    return "…" + address[-3:] if len(address) > 3 else "…"


async def contact_in_scope(session: AsyncSession, staff: Staff, contact_id: int) -> Contact | None:
    """A person a staff member may see: a coach only those of their own unit."""
    contact = await session.get(Contact, contact_id)
    if contact is None or contact.status == "erased" or not staff.may_see_unit(contact.unit_id):
        return None
    return contact


@page("GET", "/staff/contacts", COACH, ADMIN)
async def search(request: web.Request, staff: Staff) -> web.StreamResponse:
    query = request.query.get("q", "").strip()[:60]
    rows: list[Contact] = []
    if query:
        conditions = [func.lower(Contact.first_name) == query.lower()]
        reference = query.lstrip("#")
        if reference.isdigit() and len(reference) < 12:
            conditions.append(col(Contact.id) == int(reference))
        statement = (select(Contact).where(or_(*conditions), col(Contact.status) != "erased")
                     .order_by(col(Contact.id)).limit(MAX_RESULTS))
        scope = staff.unit_scope
        if scope is not None:
            statement = statement.where(col(Contact.unit_id) == scope)
        async with services_of(request).db.transaction() as session:
            rows = list((await session.execute(statement)).scalars())
            for contact in rows:
                await audit(session, staff.now(), staff.name, "view.contact_search",
                            contact_id=contact.id)
    return render(request, staff, "staff/contacts.html", query=query, rows=rows)


@page("GET", "/staff/contacts/{id}", COACH, ADMIN)
async def show(request: web.Request, staff: Staff) -> web.StreamResponse:
    async with services_of(request).db.transaction() as session:
        contact = await contact_in_scope(session, staff, int_param(request, "id") or 0)
        if contact is None or contact.id is None:
            return not_found(request, staff)
        district = await session.get(District, contact.district_id) if contact.district_id else None
        unit = await session.get(Unit, contact.unit_id) if contact.unit_id else None
        channels = [(a.channel, masked(a.address), a.opted_out or a.unreachable)
                    for a in await addresses_of(session, contact.id)]
        handoffs = list((await session.execute(
            select(HandoffRequest).where(col(HandoffRequest.contact_id) == contact.id)
            .order_by(col(HandoffRequest.created_at).desc()))).scalars())
        await audit(session, staff.now(), staff.name, "view.contact", contact_id=contact.id)
    return render(request, staff, "staff/contact.html", contact=contact, district=district,
                  unit=unit, channels=channels, handoffs=handoffs)
