"""The engine: one person's messages in order, duplicates once, state saved with replies."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from handlers.base import Inbound
from storage.models import ConversationState, InboundMessage, Outbox
from tests.sim import SimPerson, advance

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage


async def test_two_messages_from_one_person_at_once_are_handled_one_after_the_other(services):
    engine = services.engine
    await engine.handle("sim-sms", "racer", Inbound(text="hej"), provider_id="m1")
    first, second = await asyncio.gather(
        engine.handle("sim-sms", "racer", Inbound(text="1"), provider_id="m2"),
        engine.handle("sim-sms", "racer", Inbound(text="1"), provider_id="m3"),
    )
    # One of them chose Swedish at the language question; the other then answered the
    # consent question with "1" (= Ja). Neither saw a stale state.
    texts = [r.text for r in first.replies + second.replies]
    assert any("okej?" in t for t in texts)
    assert any("Hur gammal" in t for t in texts)
    async with services.db.transaction() as session:
        state = (await session.execute(select(ConversationState))).scalar_one()
        assert (state.flow, state.step, state.version) == ("onboarding", "age", 3)


async def test_the_same_provider_id_twice_is_handled_once(services):
    engine = services.engine
    first = await engine.handle("sim-sms", "dup", Inbound(text="hej"), provider_id="same")
    again = await engine.handle("sim-sms", "dup", Inbound(text="hej"), provider_id="same")
    assert first.replies and not again.replies and again.duplicate
    async with services.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(InboundMessage))
                ).scalar() == 1
        assert (await session.execute(select(func.count()).select_from(Outbox))).scalar() == 2


async def test_many_people_at_once_each_get_their_own_conversation(services):
    engine = services.engine
    await asyncio.gather(*(engine.handle("sim-telegram", f"p{n}", Inbound(text="hej"),
                                         provider_id=f"x{n}") for n in range(20)))
    async with services.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(ConversationState))
                ).scalar() == 20


async def test_after_seven_silent_days_the_conversation_restarts_from_the_menu(client):
    person = SimPerson(client, "sleeper")
    await person.onboard()
    await person.press("faq")
    await advance(client, 8 * 86400)
    await person.send("hej")
    assert "igen" in person.text
    assert "faq" in person.keys and "human" in person.keys


async def test_within_seven_days_the_conversation_resumes_where_it_stopped(client):
    person = SimPerson(client, "napper")
    await person.onboard()
    await person.press("faq")
    await advance(client, 6 * 86400)
    await person.send("komvux")
    assert "vuxna" in person.text


async def test_the_inbox_lists_every_message_sent_with_its_time(client):
    person = SimPerson(client, "reader", "sms")
    await person.send("hej")
    inbox = await person.inbox()
    assert len(inbox) == 2
    assert inbox[1]["options"] and "1. Svenska" in inbox[1]["text"]
    assert inbox[0]["at"].endswith(("+01:00", "+02:00"))


async def test_a_failing_job_is_retried_with_backoff_at_its_own_moment_then_given_up(services):
    """Not every second: after 1, 5, 30 and 120 minutes; the fifth failure gives up."""
    from dataclasses import replace
    from datetime import timedelta

    from storage.jobs import RETRY_AFTER, schedule
    from storage.models import Job

    moments = []

    async def explode(session, payload, due_at):
        moments.append(due_at)
        raise RuntimeError("provider down")

    built = services.engine.parts
    services.engine.parts = replace(built, system_jobs={**built.system_jobs, "test-explode": explode})
    try:
        start = services.clock.now()
        async with services.db.transaction() as session:
            await schedule(session, "test-explode", start, start, key="explode")
        for wait in (timedelta(0), *RETRY_AFTER):
            services.clock.offset += wait
            assert await services.engine.run_due_jobs() == 1
            assert await services.engine.run_due_jobs() == 0  # not again at once
        async with services.db.transaction() as session:
            job = (await session.execute(select(Job).where(Job.key == "explode"))).scalar_one()
    finally:
        services.engine.parts = built
    assert (job.status, job.attempts, job.error) == ("failed", 5, "RuntimeError")
    assert moments == [start] * 5  # each try acts at the job's own due time
