"""Scale-out: two web and two worker processes of `jobbtorg serve` on one PostgreSQL.

Everything runs as in production: real `serve --role web|worker` child processes
(tests/processes.py) sharing one database, the fake Bot API in a process of its own with
no rate limit (bench/fake_process.py). Two measurements:

1. Dispatcher throughput: a broadcast already in the outbox, sent by one worker, then
   (a fresh broadcast to the same people) by two; the ratio is two workers over one.
   Rate = accepted sends per second at the fake from the first to the last.
2. Everything at once: signed webhooks posted by Debian's `wrk` (one thread for each of
   the two web processes; each person's two updates at once, one to each) while timed
   jobs (follow-up surveys and visit reminders) fall due, with two workers sending.
   Checked: every update recorded once, no message sent twice (the fake's
   records against the outbox), every timed job fired exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from bench.dbs import postgres_database, postgres_problem
from bench.inbound import run_load, wrk_problem
from bench.outreach_db import seed_people
from bench.pacing import FakeProcess, enqueue_all
from bot.clock import Clock
from bot.root import build_services
from bot.settings import load_settings
from handlers.reminders import REMINDER
from storage.db import Database
from storage.models import InboundMessage, Job, Outbox
from storage.places import seed_stockholm
from tests.processes import SECRET, ServeProcess, serve_env, wait_until
from tests.timed_work import firings, schedule_soon

FULL = {"broadcast": 10_000, "updates": 600, "jobs": 400}
QUICK = {"broadcast": 3_000, "updates": 200, "jobs": 100}
FIRST_CHAT = 900_000_000  # webhook senders; seeded people have chat id = contact id
CONCURRENCY = 16  # webhooks in flight at once (wrk connections)
JOB_SPREAD = 15.0  # seconds over which the timed jobs fall due


async def stats(fake: FakeProcess, texts: bool = False) -> dict[str, Any]:
    return await fake.call("GET", "/_stats?texts=1" if texts else "/_stats")


async def queued(db: Database) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(Outbox).where(
            Outbox.status == "queued"))).scalar_one())


def start_workers(count: int, env: dict[str, str], folder: Path, tag: str) -> list[ServeProcess]:
    return [ServeProcess("worker", env, folder / f"{tag}-worker-{n}.log").start()
            for n in range(1, count + 1)]


async def dispatcher_run(url: str, fake: FakeProcess, recipients: int, workers: int,
                         folder: Path) -> dict[str, Any]:
    """Queue a broadcast to everyone, then let `workers` worker processes send it."""
    services = await build_services(load_settings(database_url=url), clock=Clock())
    try:
        await enqueue_all(services, recipients)
        await hold_queue(services.db, True)  # nothing is due until every worker is up
        await fake.reset()
        running = start_workers(workers, serve_env(url, fake.root_url), folder, f"dispatch{workers}")
        try:
            for worker in running:
                await worker.ready()
            await hold_queue(services.db, False)
            async def all_sent() -> bool:
                return await queued(services.db) == 0

            await wait_until(all_sent, recipients / 20 + 120, "the broadcast to be sent")
        finally:
            for worker in running:
                worker.stop()
        seen = await stats(fake)
    finally:
        await services.close()
    accepted = sorted(at for _chat, at in seen["sent"])
    chats = Counter(chat for chat, _at in seen["sent"])
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else float("nan")
    return {"workers": workers, "recipients": recipients, "accepted": len(accepted),
            "rate": (len(accepted) - 1) / span, "seconds": span,
            "duplicates": sum(chats.values()) - len(chats), "lost": recipients - len(chats)}


async def hold_queue(db: Database, hold: bool) -> None:
    """Make the queued rows due in a day (hold) or now (release), so workers start together."""
    due = Clock().now() + (timedelta(days=1) if hold else timedelta(0))
    async with db.transaction() as session:
        await session.execute(update(Outbox).where(Outbox.status == "queued").values(next_attempt_at=due))


async def dispatcher_throughput(fake: FakeProcess, recipients: int, folder: Path) -> list[dict[str, Any]]:
    async with postgres_database() as url:
        db = Database(url)
        await seed_people(db, recipients)
        await db.dispose()
        return [await dispatcher_run(url, fake, recipients, workers, folder) for workers in (1, 2)]


async def everything_at_once(fake: FakeProcess, sizes: dict[str, int], folder: Path) -> dict[str, Any]:
    """Two web and two worker processes: webhooks to both while timed jobs fall due."""
    async with postgres_database() as url:
        db = Database(url)
        try:
            async with db.transaction() as session:
                await seed_stockholm(session)
            await seed_people(db, sizes["jobs"])
            env = serve_env(url, fake.root_url)
            webs = [ServeProcess("web", env, folder / f"web-{n}.log").start() for n in (1, 2)]
            workers = start_workers(2, env, folder, "mixed")
            try:
                for process in webs + workers:
                    await process.ready()
                await fake.reset()
                expected = await schedule_soon(db, list(range(1, sizes["jobs"] + 1)), Clock().now(),
                                               JOB_SPREAD)
                inbound = await post_round_robin([web.url for web in webs], sizes["updates"])

                async def settled() -> bool:
                    return await queued(db) == 0 and await due_jobs_left(db) == 0

                await wait_until(settled, 300, "every reply and timed job sent")
            finally:
                for process in webs + workers:
                    process.stop()
            seen = await stats(fake, texts=True)
            async with db.transaction() as session:
                recorded = Counter((await session.execute(select(InboundMessage.provider_id))).scalars())
                sent_rows = Counter(str(a) for a in (await session.execute(
                    select(Outbox.to_address).where(Outbox.status == "sent"))).scalars())
                statuses = Counter((await session.execute(select(Outbox.status))).scalars())
                jobs = Counter((await session.execute(select(Job.status).where(
                    Job.kind.in_(("survey.send", REMINDER))))).scalars())  # type: ignore[attr-defined]
        finally:
            await db.dispose()
    at_fake = Counter(str(chat) for chat, _text in seen["texts"])
    fired = firings(expected, ((chat, text) for chat, text in seen["texts"]))
    return {
        **inbound,
        "recorded_once": sum(1 for n in recorded.values() if n == 1),
        "recorded_twice": sum(1 for n in recorded.values() if n > 1),
        "outbox": dict(statuses), "sends_at_fake": sum(at_fake.values()),
        "sent_twice": sum(max(0, at_fake[a] - sent_rows[a]) for a in at_fake),
        "fake_matches_outbox": at_fake == sent_rows,
        "jobs": sizes["jobs"], "job_rows": dict(jobs),
        "fired_once": sum(1 for n in fired.values() if n == 1),
        "fired_twice": sum(1 for n in fired.values() if n > 1),
        "not_fired": sizes["jobs"] - len(fired),
    }


async def due_jobs_left(db: Database) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(Job).where(
            Job.status == "pending", Job.kind.in_(("survey.send", REMINDER)),  # type: ignore[attr-defined]
            Job.due_at <= Clock().now()))).scalar_one())


async def post_round_robin(urls: list[str], count: int) -> dict[str, Any]:
    """Post `count` updates (two per person) with wrk (bench/inbound.lua), one thread per
    web process: person k writes update k to the first and update k + count/2 to the
    second at about the same time. Telegram would post again what was not answered 200;
    here any such answer shows in `answers`, and as an update not recorded."""
    ports = [int(url.rpartition(":")[2]) for url in urls]
    found = await asyncio.to_thread(run_load, ports, 1, count, connections=CONCURRENCY,
                                    chats=count // 2, chat_base=FIRST_CHAT, secret=SECRET)
    answers = {**found["statuses"], **{kind: n for kind, n in found["errors"].items()
                                       if n and kind != "status"}}
    return {"updates": count, "webhook_seconds": found["elapsed"],
            "updates_per_second": found["rate"], "answers": answers,
            "per_process": sorted(found["per_thread"])}


def describe(throughput: list[dict[str, Any]], mixed: dict[str, Any]) -> str:
    one, two = throughput
    ratio = two["rate"] / one["rate"]
    rows = [f"| {run['workers']} | {run['recipients']:,} | {run['rate']:,.0f} | "
            f"{run['rate'] / one['rate']:.2f} | {run['duplicates']} | {run['lost']} |"
            for run in throughput]
    return "\n".join([
        "## Scale-out: two web and two worker processes on one PostgreSQL", "",
        "`python -m bench.run scaleout` (`--quick`: smaller sizes). Real `jobbtorg serve` child",
        "processes share one PostgreSQL database; the fake Bot API runs in its own process with no",
        "rate limit, and `JOBBTORG_TELEGRAM_RATE` is set to 10,000 so our own pacing does not cap",
        "the rate. All on the same two cores as the fake and the load generator.", "",
        "**Dispatcher throughput.** A broadcast already in the outbox (made due once every worker",
        "is up), sent by one worker, then a fresh one to the same people by two workers.",
        "Baseline: the one-worker run.", "",
        "| workers | recipients | msg/s | ratio to one worker | duplicates | lost |",
        "|---|---|---|---|---|---|",
        *rows, "",
        f"Two workers send at **{ratio:.2f}x** the rate of one. Each claims with `FOR UPDATE SKIP",
        "LOCKED`, so neither ever holds the other's rows (duplicates above are counted at the fake).",
        "A worker spends much of its time waiting on the database and the provider, so a second one",
        "adds throughput even here; both share two cores with PostgreSQL, the fake and the other",
        "processes, so the ratio is a floor for machines with a core per process.", "",
        "**Everything at once.** Two `--role web` processes take signed Telegram webhooks from",
        f"`wrk` ({mixed['updates']:,} updates over {CONCURRENCY} connections, one wrk thread per "
        "process, two per person: each person's two at once, one to each process) while",
        f"{mixed['jobs']:,} timed jobs (follow-up surveys and visit reminders) fall due over "
        f"{JOB_SPREAD:.0f} s and two workers send.", "",
        "| check | result |", "|---|---|",
        f"| webhooks answered 200 per web process | {mixed['per_process']} (answers {mixed['answers']}) |",
        f"| webhook rate over both web processes | {mixed['updates_per_second']:,.0f} updates/s |",
        f"| updates recorded once / more than once | {mixed['recorded_once']:,} / "
        f"{mixed['recorded_twice']} |",
        f"| outbox rows by status | {mixed['outbox']} |",
        f"| sends at the fake / sent twice | {mixed['sends_at_fake']:,} / {mixed['sent_twice']} |",
        f"| fake's records equal the outbox's sent rows, per chat | {mixed['fake_matches_outbox']} |",
        f"| timed jobs: rows | {mixed['job_rows']} |",
        f"| timed jobs fired once / twice / never | {mixed['fired_once']} / {mixed['fired_twice']} / "
        f"{mixed['not_fired']} |", "",
        f"<!-- {json.dumps({'throughput': throughput, 'mixed': mixed})} -->", "",
    ])


async def main(args: argparse.Namespace) -> str:
    problem = await postgres_problem()
    if problem is not None:
        return ("## Scale-out: two web and two worker processes on one PostgreSQL\n\n"
                f"Not run: no PostgreSQL server ({problem}).\n")
    if (problem := wrk_problem()) is not None:
        raise SystemExit(problem)
    sizes = QUICK if getattr(args, "quick", False) else FULL
    with tempfile.TemporaryDirectory(prefix="jobbtorg-scaleout-") as folder:
        async with FakeProcess(None) as fake:
            print(f"  scaleout: a {sizes['broadcast']:,}-recipient broadcast, one worker then two ...",
                  flush=True)
            throughput = await dispatcher_throughput(fake, sizes["broadcast"], Path(folder))
            print(f"  scaleout: {sizes['updates']} webhooks and {sizes['jobs']} timed jobs "
                  "on two web and two worker processes ...", flush=True)
            mixed = await everything_at_once(fake, sizes, Path(folder))
    return describe(throughput, mixed)
