"""Enqueueing a broadcast to a million people: peak memory and time, streamed against loaded.

The people are made in the database; a child process then enqueues the whole broadcast
with `handlers.broadcasts.enqueue_batch` (keyset batches of 2,000, one transaction each,
as the scheduler's job does) and reports its peak resident memory. The baseline is what
streaming avoids: a child that only loads the same recipients into memory at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path

from bench.outreach_db import bench_database, seed_people
from bot.engine import policy_from
from bot.settings import load_settings
from handlers.broadcasts import BATCH, enqueue_batch
from storage.db import Database
from storage.outreach import SENDING, Broadcast
from storage.segments import Segment, recipients

FULL, QUICK = 1_000_000, 50_000


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the program's own memory;
    ru_maxrss is kept across exec, so a child of a big parent would report the parent's."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def child(url: str, mode: str) -> dict[str, float]:
    """Runs in the child process: enqueue everything (or load it all, for the baseline)."""
    db = Database(url)
    policy = policy_from(load_settings(database_url=url))
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    before = peak_mb()
    started = time.perf_counter()
    rows = 0
    if mode == "stream":
        async with db.transaction() as session:
            broadcast = Broadcast(name="bench", texts={"sv": "Välkommen till Jobbtorg!",
                                                       "en": "Welcome to Jobbtorg!"},
                                  segment={}, status=SENDING, created_at=now)
            session.add(broadcast)
        more = True
        while more:
            async with db.transaction() as session:
                stored = await session.get(Broadcast, broadcast.id)
                assert stored is not None
                more = await enqueue_batch(session, stored, now, policy.zone, policy.quiet_hours, BATCH)
                rows = stored.recipients
    else:
        async with db.transaction() as session:
            rows = len((await session.execute(recipients(Segment(), now))).all())
    seconds = time.perf_counter() - started
    await db.dispose()
    return {"rows": rows, "seconds": seconds, "peak_mb": peak_mb(), "start_mb": before}


async def run_child(url: str, mode: str) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.enqueue", "--child", url, mode, stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the {mode} child failed")
    result: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def main(args: argparse.Namespace) -> str:
    size = QUICK if getattr(args, "quick", False) else FULL
    async with bench_database() as url:
        db = Database(url)
        print(f"  enqueue: seeding {size:,} people ...", flush=True)
        started = time.perf_counter()
        await seed_people(db, size, sms_every=3)
        seeded = time.perf_counter() - started
        await db.dispose()
        print("  enqueue: streaming the broadcast into the outbox ...", flush=True)
        stream = await run_child(url, "stream")
        print("  enqueue: baseline, loading every recipient at once ...", flush=True)
        loaded = await run_child(url, "load")
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    return "\n".join([
        "## Enqueueing a broadcast", "",
        "`python -m bench.run enqueue` (add `--quick` for 50,000). A broadcast to everyone among",
        f"{size:,} consented people (one in three by SMS) on {engine}, enqueued by a child process",
        f"with `handlers.broadcasts.enqueue_batch` in keyset batches of {BATCH:,} (one transaction",
        "each, as the scheduler's job runs them); peak resident memory is the child's own",
        f"(seeding the people in the database took {seeded:.0f} s and is not counted).", "",
        "| run | rows | time | rows/s | peak memory | memory before |",
        "|---|---|---|---|---|---|",
        f"| ours: streamed into the outbox | {stream['rows']:,.0f} | {stream['seconds']:.1f} s | "
        f"{stream['rows'] / stream['seconds']:,.0f} | {stream['peak_mb']:.0f} MB | "
        f"{stream['start_mb']:.0f} MB |",
        f"| baseline: load every recipient at once (no insert) | {loaded['rows']:,.0f} | "
        f"{loaded['seconds']:.1f} s | {loaded['rows'] / loaded['seconds']:,.0f} | "
        f"{loaded['peak_mb']:.0f} MB | {loaded['start_mb']:.0f} MB |", "",
        f"Goal: peak <= 300 MB. Streaming needs {stream['peak_mb'] / loaded['peak_mb']:.2f}x the "
        "memory of merely loading the list, and stays flat as the list grows.", "",
    ])


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(asyncio.run(child(sys.argv[2], sys.argv[3]))))
