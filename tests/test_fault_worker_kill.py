"""Fault: the worker is killed with SIGKILL in the middle of a 5,000-recipient broadcast.

A real `jobbtorg serve --role worker` sends the broadcast (enqueued by the scheduler's
batch job, as staff start one) to a fake Bot API with no rate limit. Once some hundreds
went out it is killed without warning and a new worker is started. Nothing may be lost;
the only duplicates allowed are the messages the fake accepted whose outcome the dead
worker had not yet saved (its in-flight window: requests in flight plus answers waiting
for the next batch of outcomes to be written), measured at the moment of the kill.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from bench.outreach_db import seed_people
from bot.clock import Clock
from bot.root import build_services
from bot.settings import load_settings
from handlers.broadcasts import start
from storage.models import Outbox
from storage.outreach import SENT, Broadcast
from tests.fakes import FakeTelegram
from tests.processes import ServeProcess, serve_env, settled, wait_until

RECIPIENTS = 5000
KILL_AFTER = 400  # accepted sends before the kill

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


async def statuses(services, broadcast_id: int) -> Counter[str]:
    async with services.db.transaction() as session:
        rows = await session.execute(
            select(Outbox.status, func.count()).where(Outbox.broadcast_id == broadcast_id)
            .group_by(Outbox.status))
        return Counter({status: count for status, count in rows.all()})


async def test_a_worker_killed_mid_broadcast_loses_nothing_and_repeats_only_its_in_flight_window(
        database_url, tmp_path):
    async with FakeTelegram() as fake:
        services = await build_services(load_settings(database_url=database_url), clock=Clock())
        workers: list[ServeProcess] = []
        try:
            await seed_people(services.db, RECIPIENTS)
            now = services.clock.now()
            async with services.db.transaction() as session:
                broadcast = Broadcast(name="kill test", texts={"sv": "Välkommen till Jobbtorg!"},
                                      segment={}, created_at=now)
                session.add(broadcast)
                await session.flush()
                assert await start(session, broadcast, now, services.engine.policy) == "scheduled"
                broadcast_id = broadcast.id
            env = serve_env(database_url, fake.root_url)
            workers.append(ServeProcess("worker", env, tmp_path / "worker-1.log").start())

            async def some_hundreds_sent() -> bool:
                return len(fake.sent) >= KILL_AFTER

            await wait_until(some_hundreds_sent, 120, f"{KILL_AFTER} sends")
            workers[0].kill()
            accepted = await settled(lambda: len(fake.sent))  # those already written still arrive
            at_kill = await statuses(services, broadcast_id)
            unsaved = accepted - at_kill["sent"]  # the fake has them, the outbox does not know

            workers.append(ServeProcess("worker", env, tmp_path / "worker-2.log").start())

            async def all_sent() -> bool:
                found = await statuses(services, broadcast_id)
                return found["sent"] == RECIPIENTS or sum(found.values()) > RECIPIENTS

            # The dead worker's leases (60 s) must run out before its rows go again.
            await wait_until(all_sent, 240, "every recipient sent")
            workers[1].stop()

            by_chat = Counter(message.chat_id for message in fake.sent)
            duplicates = sum(by_chat.values()) - len(by_chat)
            lost = RECIPIENTS - len(by_chat)
            print(f"\nSIGKILL after {accepted} accepted sends ({at_kill['sent']} saved as sent): "
                  f"{unsaved} in the in-flight window; after the restart {lost} lost, "
                  f"{duplicates} duplicates")
            async with services.db.transaction() as session:
                stored = await session.get(Broadcast, broadcast_id)
                assert stored is not None and stored.status == SENT
                assert stored.recipients == RECIPIENTS
            assert await statuses(services, broadcast_id) == Counter({"sent": RECIPIENTS})
            assert lost == 0
            assert set(by_chat) == set(range(1, RECIPIENTS + 1))
            # Exactly the unsaved ones went twice: nothing the dead worker had saved, and
            # nothing it had only claimed (those waited for their lease to run out).
            assert duplicates == unsaved
            assert max(by_chat.values()) <= 2
            assert 0 < at_kill["sent"] < accepted  # it was saving as it went
        finally:
            for worker in workers:
                worker.kill()
            await services.close()
