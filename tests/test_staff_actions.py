"""The staff actions every edge shares: cancel, move, mark again, book on behalf, find a person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from handlers.actions.bookings import Actor, Refused, book_on_behalf, cancel_visit, mark_visit, move_visit
from handlers.actions.broadcasts import approve_broadcast, cancel_broadcast
from handlers.phone import e164
from storage.bookings import Booking, Slot
from storage.models import Job, Outbox, StaffUser
from storage.outreach import AWAITING_APPROVAL, SENT, Broadcast
from storage.places import unit_by_slug
from storage.search import find_contacts
from tests.booking_helpers import app_at, book, local
from tests.sim import SimPerson, advance

MONDAY_MORNING = local(2026, 11, 30, 8)
HOUR = 3600
OPERATOR = Actor("cli")


async def booked(services, client, user="amina", channel="telegram", language="sv"):
    person = SimPerson(client, user, channel)
    await person.onboard(language=language)
    await book(person, day="2026-12-01", time_index=1)  # Tuesday 10.00
    async with services.db.transaction() as session:
        item = (await session.execute(select(Booking).order_by(Booking.id.desc()))).scalars().first()
    return person, item


async def seats_taken(services, slot_id):
    async with services.db.transaction() as session:
        return (await session.get(Slot, slot_id)).taken


async def jobs_of(services, booking_id, kind="booking_reminder"):
    async with services.db.transaction() as session:
        rows = (await session.execute(select(Job).where(
            Job.kind == kind, Job.key.startswith(f"reminder:{booking_id}:")))).scalars()
        return sorted((j.status, j.due_at) for j in rows)


async def calendar_sent_last(services):
    async with services.db.transaction() as session:
        row = (await session.execute(select(Outbox).where(Outbox.attachment.is_not(None))
                                     .order_by(Outbox.id.desc()))).scalars().first()
        return Calendar.from_ical(row.attachment)


async def test_staff_cancel_frees_the_seat_stops_reminders_and_tells_the_person(database_url):
    async with app_at(database_url, MONDAY_MORNING) as (services, client):
        person, item = await booked(services, client)
        assert await seats_taken(services, item.slot_id) == 1
        async with services.db.transaction() as session:
            await cancel_visit(session, services.engine.policy, OPERATOR, services.clock.now(),
                               item.id, "Coachen är sjuk")
        await advance(client, 1)  # the due message jobs run and are delivered
        assert await seats_taken(services, item.slot_id) == 0
        assert {status for status, _ in await jobs_of(services, item.id)} == {"cancelled"}
        last = (await person.inbox())[-3:]
        assert "tagit bort din tid" in last[0]["text"] and "tisdag 1 december" in last[0]["text"]
        assert last[1]["text"] == "Skäl: Coachen är sjuk"
        assert last[2]["attachments"][0]["content_type"] == "text/calendar"
        calendar = await calendar_sent_last(services)
        assert str(calendar["method"]) == "CANCEL"
        event = calendar.walk("VEVENT")[0]
        assert str(event["status"]) == "CANCELLED" and str(event["uid"]).startswith(item.code)
        async with services.db.transaction() as session:
            with pytest.raises(Refused) as again:
                await cancel_visit(session, services.engine.policy, OPERATOR,
                                   services.clock.now(), item.id)
        assert again.value.reason == "not-booked"
        await advance(client, 30 * HOUR)  # past the visit: no reminder came
        assert not [m for m in await person.inbox() if "påminnelse" in m["text"].lower()]


async def test_staff_move_takes_the_new_seat_and_the_reminders_follow_in_english(database_url):
    async with app_at(database_url, MONDAY_MORNING) as (services, client):
        person, item = await booked(services, client, user="sam", language="en")
        old_slot = item.slot_id
        new_start = local(2026, 12, 2, 13)
        async with services.db.transaction() as session:
            moved = await move_visit(session, services.engine.policy, OPERATOR,
                                     services.clock.now(), item.id, new_start)
            new_slot = moved.slot_id
        await advance(client, 1)  # the due message jobs run and are delivered
        assert await seats_taken(services, old_slot) == 0
        assert await seats_taken(services, new_slot) == 1
        pending = [due for status, due in await jobs_of(services, item.id) if status == "pending"]
        assert pending and all(due < new_start and due > new_start - timedelta(days=2)
                               for due in pending)
        texts = [m["text"] for m in await person.inbox()]
        assert any("has moved your time" in t and "2 December" in t for t in texts)
        event = (await calendar_sent_last(services)).walk("VEVENT")[0]
        assert event.decoded("dtstart") == new_start
        async with services.db.transaction() as session:
            with pytest.raises(Refused) as taken:  # the first visit's time is not free now
                await move_visit(session, services.engine.policy, OPERATOR,
                                 services.clock.now(), item.id, new_start)
        assert taken.value.reason == "same"


async def test_a_coach_cannot_cancel_or_move_another_units_visit(database_url):
    async with app_at(database_url, MONDAY_MORNING) as (services, client):
        _person, item = await booked(services, client)
        async with services.db.transaction() as session:
            other = await unit_by_slug(session, "vasterort")
            coach = Actor("coach-vasterort", other.id)
            for action in (cancel_visit(session, services.engine.policy, coach,
                                        services.clock.now(), item.id),
                           move_visit(session, services.engine.policy, coach,
                                      services.clock.now(), item.id, local(2026, 12, 2, 13))):
                with pytest.raises(Refused) as refused:
                    await action
                assert refused.value.reason == "not-found"


async def test_remarking_no_show_attended_no_show_keeps_one_offer_of_a_new_time(sqlite_url):
    async with app_at(sqlite_url, MONDAY_MORNING) as (services, client):
        person, item = await booked(services, client, channel="sms")
        await advance(client, 27 * HOUR)  # Tuesday 11.00, after the visit
        for outcome in ("no-show", "attended", "no-show"):
            async with services.db.transaction() as session:
                await mark_visit(session, services.engine.policy, OPERATOR, services.clock.now(),
                                 item.id, outcome)
        await advance(client, 24 * HOUR)  # Wednesday 11.00
        offers = [m for m in await person.inbox() if "saknade dig" in m["text"]]
        assert len(offers) == 1
        async with services.db.transaction() as session:  # and attended withdraws it again
            await mark_visit(session, services.engine.policy, OPERATOR, services.clock.now(),
                             item.id, "attended")
            job = (await session.execute(select(Job).where(
                Job.key == f"no-show:{item.id}"))).scalar_one()
            assert job.status == "done"


async def test_yesterdays_visit_can_still_be_marked(database_url):
    async with app_at(database_url, MONDAY_MORNING) as (services, client):
        _person, item = await booked(services, client)
        await advance(client, 2 * 24 * HOUR)  # Wednesday: the visit was yesterday
        async with services.db.transaction() as session:
            marked = await mark_visit(session, services.engine.policy, Actor("c", item.unit_id),
                                      services.clock.now(), item.id, "attended")
            assert marked.status == "attended"


async def test_a_walk_in_gets_the_unit_of_the_booking_and_is_found_by_the_coach(database_url):
    async with app_at(database_url, MONDAY_MORNING) as (services, client):
        async with services.db.transaction() as session:
            jarva = await unit_by_slug(session, "jarva")
            coach = Actor("coach-jarva", jarva.id)
            done = await book_on_behalf(
                session, services.engine.policy, coach, services.clock.now(),
                channel="sim-sms", phone="+46701234567", kind="forsta-besok",
                start=local(2026, 12, 1, 10), unit_id=jarva.id, first_name="Hodan")
            assert done.contact.unit_id == jarva.id and done.new_contact
            code = done.booking.code
            for query in (code, code.lower(), "hodan", "HODAN", "070-123 45 67", "0701234567",
                          "+46 70 123 45 67", "0046701234567", "+46701234567"):
                found = await find_contacts(session, query, e164(query), jarva.id)
                assert [c.id for c in found] == [done.contact.id], query
            other = await unit_by_slug(session, "vasterort")
            assert await find_contacts(session, code, None, other.id) == []
            assert await find_contacts(session, "Hoda", None, jarva.id) == []
            assert await find_contacts(session, "0701234568", e164("0701234568"), None) == []
            with pytest.raises(Refused) as refused:  # a kind of another unit is not theirs
                await book_on_behalf(
                    session, services.engine.policy, Actor("coach-vasterort", other.id),
                    services.clock.now(), channel="sim-sms", phone="+46701234567",
                    kind="forsta-besok", start=local(2026, 12, 1, 11), unit_id=jarva.id)
            assert refused.value.reason == "kind"


async def test_a_person_is_found_by_their_exact_channel_address(database_url):
    async with app_at(database_url, MONDAY_MORNING) as (services, client):
        await SimPerson(client, "zahra-42", "telegram").onboard()
        async with services.db.transaction() as session:
            assert len(await find_contacts(session, "zahra-42", None, None)) == 1
            assert await find_contacts(session, "zahra", None, None) == []


async def test_approving_needs_a_named_admin_and_a_finished_broadcast_cannot_be_cancelled(
        database_url):
    async with app_at(database_url, MONDAY_MORNING) as (services, _client):
        now = services.clock.now()
        async with services.db.transaction() as session:
            session.add(StaffUser(username="outreach-anna", role="outreach", created_at=now))
            waiting = Broadcast(name="dyr", texts={"sv": "Hej"}, segment={},
                                status=AWAITING_APPROVAL, created_at=now, created_by="x")
            finished = Broadcast(name="klar", texts={"sv": "Hej"}, segment={}, status=SENT,
                                 created_at=now, created_by="x")
            session.add_all([waiting, finished])
            await session.flush()
            for who in ("", "outreach-anna", "nobody"):
                with pytest.raises(Refused) as refused:
                    await approve_broadcast(session, services.engine.policy, who, now, waiting.id)
                assert refused.value.reason == "not-admin"
            approved = await approve_broadcast(session, services.engine.policy, "admin", now,
                                               waiting.id)
            assert approved.approved_by == "admin" and approved.status != AWAITING_APPROVAL
            with pytest.raises(Refused) as refused:
                await cancel_broadcast(session, "cli", now, finished.id)
            assert refused.value.reason == "finished" and finished.status == SENT
