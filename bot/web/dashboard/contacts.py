"""A person's page for coaches: the least needed to help them, each view written to the audit log."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

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
from handlers.actions.bookings import Actor, Refused, move_person
from handlers.outcome_parse import CATEGORIES, EMPLOYMENTS, EXTENTS, SCHOOLS
from handlers.phone import e164
from handlers.survey import FollowupError, checked_outcome, record_staff_outcome, record_target_groups
from handlers.visit_words import kind_label
from storage.bookings import Booking, VisitKind, bookings_of
from storage.followup import (
    AVSLUT_REASONS,
    PROGRAMMES,
    TARGET_GROUPS,
    avslut_of,
    staff_outcomes_of,
    surveys_of,
    target_groups_of,
)
from storage.models import Contact, District, HandoffRequest, Unit
from storage.people import addresses_of
from storage.places import all_units
from storage.search import find_contacts
from storage.staff import audit

pages = Pages()  # this area's pages, listed in bot/root.py

pages.nav("/staff/contacts", "staff.web.nav.contacts", COACH, ADMIN)

MAX_RESULTS = 50


def masked(address: str) -> str:
    """Enough of an address to confirm it on the phone with the person, no more."""
    return "…" + address[-3:] if len(address) > 3 else "…"


async def contact_in_scope(session: AsyncSession, staff: Staff, contact_id: int) -> Contact | None:
    """A person a staff member may see: a coach only those of their own unit, or, while
    they have no home unit yet, a walk-in booked there. Booking on behalf of a number
    never opens the page of a person who belongs to another unit."""
    contact = await session.get(Contact, contact_id)
    if contact is None:
        return None
    if staff.may_see_unit(contact.unit_id):
        return contact
    scope = staff.unit_scope
    if contact.unit_id is not None:
        return None
    booked_here = await session.execute(
        select(Booking.id).where(Booking.contact_id == contact_id, Booking.unit_id == scope).limit(1))
    return contact if scope is not False and booked_here.first() is not None else None


@pages.page("GET", "/staff/contacts", COACH, ADMIN)
async def search(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Exactly the people of the staff member's unit whose booking code, first name, phone
    number (any common way of writing it) or channel address is what was typed."""
    query = " ".join(request.query.get("q", "").split())[:60]
    rows: list[Contact] = []
    if query:
        async with services_of(request).db.transaction() as session:
            rows = await find_contacts(session, query, e164(query), staff.unit_scope, MAX_RESULTS)
            for contact in rows:
                await audit(session, staff.now(), staff.name, "view.contact_search",
                            contact_id=contact.id)
    return render(request, staff, "staff/contacts.html", query=query, rows=rows)


@pages.page("GET", "/staff/contacts/{id}", COACH, ADMIN)
async def show(request: web.Request, staff: Staff) -> web.StreamResponse:
    async with services_of(request).db.transaction() as session:
        contact = await contact_in_scope(session, staff, int_param(request, "id") or 0)
        if contact is None or contact.id is None:
            return not_found(request, staff)
        district = await session.get(District, contact.district_id) if contact.district_id else None
        unit = await session.get(Unit, contact.unit_id) if contact.unit_id else None
        units = await all_units(session) if staff.is_admin else []
        channels = [(a.channel, masked(a.address), a.opted_out or a.unreachable)
                    for a in await addresses_of(session, contact.id)]
        handoffs = list((await session.execute(
            select(HandoffRequest).where(HandoffRequest.contact_id == contact.id)
            .order_by(col(HandoffRequest.created_at).desc()))).scalars())
        kinds = {k.id: kind_label(k, staff.texts) for k in (await session.execute(
            select(VisitKind).where(col(VisitKind.id).in_(
                select(Booking.kind_id).where(Booking.contact_id == contact.id))))).scalars()}
        visits = await bookings_of(session, contact.id)
        endings = await avslut_of(session, contact.id)
        surveys = {run.avslut_id: run for run in await surveys_of(session, contact.id)}
        outcomes = {row.avslut_id: row for row in await staff_outcomes_of(session, contact.id)}
        groups = await target_groups_of(session, contact.id)
        await audit(session, staff.now(), staff.name, "view.contact", contact_id=contact.id)
    return render(request, staff, "staff/contact.html", contact=contact, district=district,
                  unit=unit, channels=channels, handoffs=handoffs, visits=visits, kinds=kinds,
                  endings=endings, surveys=surveys, outcomes=outcomes, groups=groups,
                  all_groups=TARGET_GROUPS, reasons=AVSLUT_REASONS, categories=CATEGORIES,
                  programmes=PROGRAMMES, units=units,
                  extents=EXTENTS, employments=EMPLOYMENTS, schools=SCHOOLS,
                  today=staff.now().astimezone(services_of(request).settings.zone).date(),
                  error=error_key(request, "staff.web.contact.")
                  or error_key(request, "staff.web.visits."))  # the enrol and avslut forms


@pages.page("POST", "/staff/contacts/{id}/outcome", COACH, ADMIN)
async def record_outcome(request: web.Request, staff: Staff) -> web.StreamResponse:
    """What a person does now, for someone who did not answer the survey (kept apart)."""
    contact_id = int_param(request, "id") or 0
    back = f"/staff/contacts/{contact_id}"
    data = staff.form
    try:
        outcome = checked_outcome(data.get("category", ""), data.get("extent") or None,
                                  data.get("employment") or None, data.get("school") or None)
    except FollowupError:
        return back_to(back, error="staff.web.contact.error_outcome")
    async with services_of(request).db.transaction() as session:
        if await contact_in_scope(session, staff, contact_id) is None:
            return not_found(request, staff)
        try:
            await record_staff_outcome(session, contact_id, outcome, staff.name, staff.now(),
                                       avslut_id=int_param_of(data.get("avslut")))
        except FollowupError:
            return back_to(back, error="staff.web.contact.error_no_avslut")
    return back_to(back, "staff.web.done.outcome")


@pages.page("POST", "/staff/contacts/{id}/groups", COACH, ADMIN)
async def record_groups(request: web.Request, staff: Staff) -> web.StreamResponse:
    contact_id = int_param(request, "id") or 0
    chosen = [key for key in TARGET_GROUPS if staff.form.get(f"group-{key}") == "on"]
    async with services_of(request).db.transaction() as session:
        if await contact_in_scope(session, staff, contact_id) is None:
            return not_found(request, staff)
        await record_target_groups(session, contact_id, chosen, staff.name, staff.now())
    return back_to(f"/staff/contacts/{contact_id}", "staff.web.done.saved")


@pages.page("POST", "/staff/contacts/{id}/unit", ADMIN)
async def move_to_unit(request: web.Request, staff: Staff) -> web.StreamResponse:
    """An admin moves a person to another jobbtorg (a number booked at a unit not theirs)."""
    contact_id = int_param(request, "id") or 0
    back = f"/staff/contacts/{contact_id}"
    try:
        async with services_of(request).db.transaction() as session:
            await move_person(session, Actor(staff.name, staff.unit_scope), staff.now(),
                              contact_id, int_param_of(staff.form.get("unit")) or 0)
    except Refused as error:
        if error.reason == "same":
            return back_to(back, error="staff.web.contact.error_same_unit")
        return not_found(request, staff)
    return back_to(back, "staff.web.done.moved_unit")
