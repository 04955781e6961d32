"""Fault: reminders and surveys falling due while a real worker is killed and restarted.

200 people each have one timed job (a follow-up survey or a visit reminder) due over ten
seconds of real time. A `jobbtorg serve --role worker` runs them and is killed with
SIGKILL once a third went out; a new worker takes over. Each job must fire exactly once
(one done job row, its message queued once); on the wire the only repeats allowed are
messages the dead worker sent but had not yet recorded.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from bench.outreach_db import seed_people
from bot.clock import Clock
from handlers.reminders import REMINDER
from storage.db import Database
from storage.followup import SurveyRun
from storage.models import Job, Outbox
from storage.places import seed_stockholm
from tests.fakes import FakeTelegram
from tests.processes import ServeProcess, serve_env, settled, wait_until
from tests.timed_work import firings, schedule_soon

PEOPLE = 200
SPREAD = 10.0  # seconds over which the jobs fall due
KINDS = ("survey.send", REMINDER)

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


async def outbox_counts(db: Database) -> Counter[str]:
    async with db.transaction() as session:
        rows = await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))
        return Counter(dict(rows.all()))


async def test_reminders_and_surveys_due_across_a_killed_worker_fire_exactly_once(
        database_url, tmp_path):
    db = Database(database_url)
    async with FakeTelegram() as fake:
        workers: list[ServeProcess] = []
        try:
            async with db.transaction() as session:
                await seed_stockholm(session)
            await seed_people(db, PEOPLE)
            expected = await schedule_soon(db, list(range(1, PEOPLE + 1)), Clock().now(), SPREAD)
            env = serve_env(database_url, fake.root_url)

            def delivered() -> Counter[int]:
                return firings(expected, ((m.chat_id, m.text) for m in fake.sent))

            async def a_third_fired() -> bool:
                return len(delivered()) >= PEOPLE // 3

            workers.append(ServeProcess("worker", env, tmp_path / "worker-1.log").start())
            await wait_until(a_third_fired, 120, "a third of the jobs")
            workers[0].kill()
            # requests already written to the socket still arrive
            unsaved = await settled(lambda: len(fake.sent)) - (await outbox_counts(db))["sent"]
            workers.append(ServeProcess("worker", env, tmp_path / "worker-2.log").start())

            async def all_done() -> bool:
                counts = await outbox_counts(db)
                return len(delivered()) == PEOPLE and not counts["queued"]

            # A row the dead worker had claimed waits for its 60-second lease to run out.
            await wait_until(all_done, 180, "every job's message sent")
            workers[1].stop()

            async with db.transaction() as session:
                jobs = Counter((await session.execute(
                    select(Job.status).where(Job.kind.in_(KINDS)))).scalars())  # type: ignore[attr-defined]
                queued = list((await session.execute(
                    select(Outbox.contact_id, Outbox.text))).all())
                surveys = Counter((await session.execute(select(SurveyRun.status))).scalars())
            in_outbox = firings(expected, queued)
            on_the_wire = delivered()
            print(f"\nSIGKILL with {unsaved} sent but unrecorded; jobs {dict(jobs)}; "
                  f"{sum(on_the_wire.values()) - PEOPLE} repeated on the wire")
            assert jobs == Counter({"done": PEOPLE})
            assert in_outbox == Counter(dict.fromkeys(expected, 1))  # each fired exactly once
            assert surveys == Counter({"sent": PEOPLE // 2})
            assert set(on_the_wire) == set(expected)  # none lost
            assert sum(on_the_wire.values()) - PEOPLE <= unsaved
        finally:
            for worker in workers:
                worker.kill()
            await db.dispose()
