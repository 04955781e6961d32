"""Scheduler: how long finding the due jobs takes with 1,000 and with 1,000,000 pending.

The job table is filled with N pending jobs, of which the same 200 are due now and the
rest fall due over the next six months (reminders and surveys ahead), loaded with COPY on
PostgreSQL and executemany on SQLite. Then `storage.jobs.claim_due` (the scheduler's own
query: the 50 oldest due, locked with SKIP LOCKED on PostgreSQL) runs many times, each in a
transaction that is rolled back. The figure is the ratio of the median time at N=1,000,000
to the median at N=1,000 (goal: at most 2, i.e. the index keeps the search independent of
how much lies ahead).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bench.dbs import database, postgres_problem
from storage.db import Database
from storage.jobs import claim_due

DUE_NOW = 200
CLAIM = 50


def job_rows(count: int, now: datetime, seed: int = 7) -> list[tuple[object, ...]]:
    """(kind, contact_id, due_at, payload, status, attempts, created_at) for `count` jobs."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        if n < DUE_NOW:
            due = now - timedelta(seconds=rng.uniform(1, 3600))
        else:
            due = now + timedelta(seconds=rng.uniform(60, 180 * 86400))
        rows.append(("reminder", n + 1, due, "{}", "pending", 0, now))
    rng.shuffle(rows)
    return rows


async def load_postgres(url: str, rows: list[tuple[object, ...]]) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute("TRUNCATE job RESTART IDENTITY")
        await connection.copy_records_to_table(
            "job", records=rows,
            columns=["kind", "contact_id", "due_at", "payload", "status", "attempts", "created_at"])
        await connection.execute("ANALYZE job")
    finally:
        await connection.close()


def load_sqlite(url: str, rows: list[tuple[object, ...]]) -> None:
    path = url.split("///", 1)[1]

    def stored(moment: object) -> str:
        assert isinstance(moment, datetime)
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")

    connection = sqlite3.connect(path)
    try:
        connection.execute("DELETE FROM job")
        connection.executemany(
            "INSERT INTO job (kind, contact_id, due_at, payload, status, attempts, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(k, c, stored(d), p, s, a, stored(t)) for k, c, d, p, s, a, t in rows])
        connection.commit()
        connection.execute("ANALYZE")
    finally:
        connection.close()


async def claim_once(db: Database, now: datetime) -> float:
    """Seconds for one claim_due, in a transaction rolled back so the jobs stay due."""
    async with db.sessions() as session:
        await session.begin()
        started = time.perf_counter()
        jobs = await claim_due(session, now, CLAIM)
        elapsed = time.perf_counter() - started
        assert len(jobs) == CLAIM
        await session.rollback()
    return elapsed


async def plan(db: Database, now: datetime) -> str:
    """How PostgreSQL finds the due jobs (the index, not a scan of all pending)."""
    if db.is_sqlite:
        return ""
    async with db.sessions() as session:
        result = await session.execute(text(
            "EXPLAIN SELECT id FROM job WHERE status = 'pending' AND due_at <= :now "
            "ORDER BY due_at, id LIMIT 50 FOR UPDATE SKIP LOCKED"), {"now": now})
        return " / ".join(line.strip() for line in result.scalars())


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


async def measure(kind: str, sizes: list[int], repeats: int
                  ) -> tuple[dict[int, list[float]], str]:
    """Claim times per size; the sizes take turns, so a busy moment hits both alike."""
    now = datetime.now(UTC)
    async with AsyncExitStack() as stack:
        dbs: dict[int, Database] = {}
        for size in sizes:
            url = await stack.enter_async_context(database(kind))  # type: ignore[arg-type]
            rows = job_rows(size, now)
            started = time.perf_counter()
            if kind == "postgresql":
                await load_postgres(url, rows)
            else:
                load_sqlite(url, rows)
            print(f"  {kind}: loaded {size:,} jobs in {time.perf_counter() - started:.1f} s", flush=True)
            dbs[size] = Database(url)
            stack.push_async_callback(dbs[size].dispose)
        results: dict[int, list[float]] = {size: [] for size in sizes}
        for round_number in range(repeats + 5):
            for size in sizes:
                elapsed = await claim_once(dbs[size], now)
                if round_number >= 5:  # the first rounds warm the caches and the pool
                    results[size].append(elapsed)
        return results, await plan(dbs[sizes[-1]], now)


async def main(args: argparse.Namespace) -> str:
    quick = getattr(args, "quick", False)
    sizes = [1_000, 100_000 if quick else 1_000_000]
    repeats = 50 if quick else 300
    lines = [
        "## Scheduler: finding due jobs", "",
        f"`storage.jobs.claim_due` (the {CLAIM} oldest due jobs, locked) with {DUE_NOW} jobs due "
        "and the rest pending over the next six months; median and 95th percentile of "
        f"{repeats} claims, each rolled back. Baseline: the same query with {sizes[0]:,} pending. "
        "Goal: ratio at most 2.", "",
        "| database | pending | median | p95 | ratio to 1,000 pending |",
        "|---|---|---|---|---|",
    ]
    record: dict[str, object] = {}
    plans: list[str] = []
    for kind in ("sqlite", "postgresql"):
        if kind == "postgresql" and (problem := await postgres_problem()):
            lines.append(f"| postgresql | skipped: {problem} | | | |")
            continue
        results, query_plan = await measure(kind, sizes, repeats)
        if query_plan:
            plans.append(f"PostgreSQL plan at {sizes[-1]:,}: `{query_plan}`")
        base = statistics.median(results[sizes[0]])
        for size in sizes:
            timings = sorted(results[size])
            median = statistics.median(timings)
            p95 = timings[int(len(timings) * 0.95) - 1]
            ratio = median / base
            verdict = "" if size == sizes[0] else (" (goal met)" if ratio <= 2 else " (goal missed)")
            lines.append(f"| {kind} | {size:,} | {ms(median)} | {ms(p95)} | {ratio:.2f}{verdict} |")
            record[f"{kind}_{size}"] = {"median_ms": median * 1000, "p95_ms": p95 * 1000,
                                        "ratio": ratio}
    lines += ["", *plans, "", "Rerun: `.venv/bin/python -m bench.run scheduler` (`--quick`: 100,000 instead "
              "of 1,000,000).", "", f"<!-- {json.dumps(record)} -->", ""]
    return "\n".join(lines)
