"""Inbound: signed Telegram webhooks end to end, ours on SQLite and PostgreSQL against PTB.

The server runs in its own process (`python -m bench.inbound serve ...`) and Debian's
`wrk` drives the load (`bench/inbound.lua` builds each update), on loopback: a load
generator in C takes a small share of the two cores it shares with what it measures,
where a Python client took about as much as the server. Ours does the whole job per
update: checks the secret header, parses, records the update once by its id, locks and
saves the person's state and puts the reply in the outbox, then answers 200. The
baseline is python-telegram-bot's `Application.process_update` with an in-memory echo
handler behind the same kind of aiohttp webhook (secret checked, `Update.de_json`),
which stores nothing.

Three loads each, after a warm-up in which 1,000 chats write their first message: as
fast as it goes (a fixed number of updates over 32 connections) from those chats again
("conversations", what a running service mostly sees), the same from chats never seen
("first messages": a new person costs a contact, an address and a state more), and 300
updates/s from the known chats, each wrk thread spacing its sends on a clock over 64
connections (latency from each send; how late the latest send started is recorded too,
so a slow server cannot hide a queue). Each load sends an exact number of updates: wrk
counts the sends and the answers, and the database must hold each update once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import web

TOKEN = "123456:bench-token"
SECRET = "bench-secret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/webhooks/telegram"
CHAT_BASE = 10_000_000  # the first chat id
KNOWN_CHATS = 1_000  # chats that write first in the warm-up, then again
ROOT = Path(__file__).parent.parent

LIMITS = """What limits ours. A batch is a chain of round trips to PostgreSQL, and on two cores
shared with other work each one waits for PostgreSQL, then for us, to be scheduled again:
with a load average near 10 the round trips can cost more than a batch's own CPU, which
is why our rates swing from run to run more than the baseline's (it makes none). Until
2026-12-02 a batch made twelve: a pool pre-ping (on asyncpg that is BEGIN, a query and
ROLLBACK), BEGIN, the repeat check, the staff check, the locked read of everyone, the
inbound rows, the open hand-offs, the states, the replies and COMMIT. Now it makes seven:
BEGIN, one read of the repeats, the staff among the senders and who has an open hand-off
(`storage/batch_facts.py`), the locked read, the inbound rows, the states, the replies,
COMMIT (`test_a_batch_of_people_who_wrote_before_costs_five_statements`). There is no
pre-ping: a connection that died fails its first statement and SQLAlchemy then drops the
pool, so one batch answers 5xx and Telegram resends it
(`tests/test_fault_postgres_restart.py`). A first message makes six more (the contact,
the address and the state, each written and read back).

In CPU an update of a conversation cost our process 0.6-1.1 ms and PostgreSQL 0.2-0.3 ms
(less when the machine is quiet and batches are bigger; per message about 0.6 ms in the
engine and 0.25 ms of HTTP, per statement about 0.45 ms through SQLAlchemy's async
session, shared by the batch: measured 2026-11-23). On two free cores that allows 900 to
1,600 updates/s; the one run on a quieter machine (load 3.3, 1,000 updates) took 1,101/s.
The goal is not shown on this machine while others use it.

Before and after the change, with this driver: the old server (commit b61cb49, load
11-12) took 257 conversations/s on PostgreSQL, 0.22 of the baseline, 1.10 ms of our CPU
per update; SQLite 395/s (0.33). The new one (commit 7d36f29, load 9-12): 629/s (0.45),
0.89 ms; SQLite 994/s (0.71). Later runs at load 7-15, this one included, gave 80-330/s on
PostgreSQL and ratios of 0.06-0.28 for 0.86-1.10 ms per update: at this load the rate
measures the machine as much as the server, and what the change certainly did is the
round trips above. An interleaved run of old and new servers (three pairs, load 8-12)
was as inconclusive. Before group commit (one transaction per update) this bench gave
159 updates/s on PostgreSQL, 0.03 of the baseline. The Python client this bench used
until 2026-12-02 took about as much CPU as the server, so its figures (939/s on
PostgreSQL at load 3.5) are not comparable with these.

Tried and left out: a prepared-statement cache of 1,000 per connection and a LIFO pool
(asyncpg keeps 100; batch sizes make many statement texts, but with batches of 2-33 only
121 of 3,000 statements were prepared, with or without it), two batches in flight per
process (a third more CPU per message, no more throughput) and uvloop (the event loop is
not where the time goes). Found on the way: PostgreSQL kept a generic plan made while the
inbound table was small and scanned the whole table on every lookup; the engine now has
it plan each statement with its values (`storage/db.py`)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the servers (child process) ---------------------------------------------------------

async def serve_ours(database_url: str, port: int) -> None:
    from bot.app import build_app
    from bot.root import build_services
    from bot.settings import load_settings
    from storage.places import seed_stockholm
    from tests.fakes import FakeTelegram

    fake = await FakeTelegram().start()  # only for a button's acknowledgement; none here
    settings = load_settings(database_url=database_url, telegram_token=TOKEN,
                             telegram_webhook_secret=SECRET, telegram_api_url=fake.root_url,
                             secret_key="bench", log_level="WARNING")
    services = await build_services(settings)
    async with services.db.transaction() as session:
        await seed_stockholm(session)
    await run_site(build_app(services), port)


async def serve_ptb(port: int) -> None:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from tests.fakes import FakeTelegram

    fake = await FakeTelegram().start()  # answers getMe at initialize()
    application = (ApplicationBuilder().token(TOKEN).base_url(f"{fake.root_url}/bot")
                   .updater(None).build())
    replies: list[tuple[int, str]] = []

    async def echo(update: Update, _context: Any) -> None:
        assert update.effective_chat is not None and update.effective_message is not None
        replies.append((update.effective_chat.id, update.effective_message.text or ""))

    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()

    async def webhook(request: web.Request) -> web.Response:
        if request.headers.get(SECRET_HEADER) != SECRET:
            return web.json_response({"error": "wrong secret token"}, status=403)
        try:
            update = Update.de_json(json.loads(await request.read()), application.bot)
        except ValueError:
            return web.json_response({"error": "not an update"}, status=400)
        await application.process_update(update)
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post(PATH, webhook)
    await run_site(app, port)


async def run_site(app: web.Application, port: int) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, backlog=1024).start()
    print("ready", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()


# -- the load generator: wrk ---------------------------------------------------------------

WRK = "/usr/bin/wrk"
SCRIPT = Path(__file__).with_suffix(".lua")
THREADS = 2  # wrk threads; each sends its share of a run's updates (see inbound.lua)


def wrk_problem() -> str | None:
    """Why wrk cannot drive the load, or None."""
    if shutil.which(WRK) is None:
        return f"{WRK} not found: `apt-get install wrk` (Debian's wrk drives this bench)"
    return None


def run_load(ports: list[int], first_id: int, count: int, connections: int = 32,
             rate: float = 0.0, chats: int = KNOWN_CHATS,
             chat_base: int = CHAT_BASE, secret: str = SECRET) -> dict[str, Any]:
    """Send `count` updates with wrk from chats chat_base.. (cycling through `chats` of
    them): closed-loop over `connections`, or paced at `rate`/s when rate > 0. With
    several servers, wrk thread i sends to ports[i % len(ports)] (`per_thread`: how many
    each thread had answered)."""
    threads = max(THREADS, len(ports))
    with tempfile.TemporaryDirectory(prefix="jobbtorg-wrk-") as markers:
        env = {**os.environ, "BENCH_FIRST_ID": str(first_id), "BENCH_COUNT": str(count),
               "BENCH_CHATS": str(chats), "BENCH_CHAT_BASE": str(chat_base),
               "BENCH_RATE": str(rate), "BENCH_THREADS": str(threads),
               "BENCH_SECRET": secret, "BENCH_MARKERS": markers,
               "BENCH_PORTS": ",".join(map(str, ports))}
        # wrk runs for a duration; this one is only a ceiling: each thread stops once its
        # share is answered, and wrk is told to finish (SIGINT) when every thread has.
        ceiling = int(count / rate * 2 + 60) if rate else int(count / 50 + 60)
        process = subprocess.Popen(
            [WRK, "-t", str(threads), "-c", str(max(connections, threads)), "-d",
             f"{ceiling}s", "--timeout", "10s", "-s", str(SCRIPT),
             f"http://127.0.0.1:{ports[0]}{PATH}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        while process.poll() is None:
            if len(os.listdir(markers)) == threads:
                process.send_signal(signal.SIGINT)  # repeated until wrk's main thread has it
            time.sleep(0.05)
        out, err = process.communicate()
    if process.returncode != 0 or not out.strip().splitlines()[-1].startswith("{"):
        raise RuntimeError(f"wrk failed ({process.returncode}): {err[-2000:]} {out[-2000:]}")
    found = json.loads(out.strip().splitlines()[-1])
    elapsed = found["elapsed_ms"] / 1000
    return {"count": found["sent"], "completed": found["completed"], "elapsed": elapsed,
            "rate": found["completed"] / elapsed if elapsed else 0.0,
            "statuses": found["statuses"], "errors": found["errors"],
            "p50_ms": found["p50_us"] / 1000, "p99_ms": found["p99_us"] / 1000,
            "latest_ms": found["latest_ms"], "per_thread": found["per_thread"]}


# -- the orchestrator --------------------------------------------------------------------

class Server:
    """A server child process on a free port."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.inbound", "serve", "--port", str(self.port), *args],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
            env={k: v for k, v in os.environ.items() if not k.startswith("JOBBTORG_")})
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            self.stop()
            raise RuntimeError(f"the bench server did not start: {line!r}")

    def cpu_seconds(self) -> float:
        return _cpu_of(self.process.pid)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


async def stored(database_url: str) -> tuple[int, int]:
    """(updates recorded, replies queued) in the database after a run."""
    from sqlalchemy import func, select

    from storage.db import Database
    from storage.models import InboundMessage, Outbox

    db = Database(database_url)
    try:
        async with db.transaction() as session:
            inbound = (await session.execute(select(func.count()).select_from(InboundMessage))).scalar_one()
            outbox = (await session.execute(select(func.count()).select_from(Outbox))).scalar_one()
    finally:
        await db.dispose()
    return int(inbound), int(outbox)


def _cpu_of(pid: int | str) -> float:
    """CPU time a process has used so far (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu(database_url: str) -> float:
    """CPU time of the PostgreSQL backends serving this database (their process titles
    name it), so far; 0 for SQLite or when none is found."""
    name = database_url.rpartition("/")[2]
    if not database_url.startswith("postgresql") or not name:
        return 0.0
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                if f" {name} " in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    total += _cpu_of(entry.name)
    return total


def wrk_cpu() -> float:
    """CPU time of the finished children (each wrk run, once it has been waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


REPEATS = 3  # each fast load, ours and the baseline's in turn: a burst elsewhere hits one pair


def measure(servers: list[Server], fast_count: int, rate_seconds: float,
            database_url: str = "", baseline: Server | None = None) -> dict[str, Any]:
    """The three loads on `servers`. Each fast load runs REPEATS times, and with a
    `baseline` server the baseline's same load runs just before each, so that a ratio
    compares runs seconds apart on a machine whose load comes and goes; the run with the
    median rate is reported, and the median of the ratios."""
    ports = [server.port for server in servers]  # wrk thread i sends to server i % len

    def timed(*args: Any, **kwargs: Any) -> dict[str, Any]:
        """run_load, with the CPU time each update cost the servers, PostgreSQL and wrk
        (a shared machine slows the rate, but hardly what an update costs) and the load
        average after it."""
        before = (sum(server.cpu_seconds() for server in servers), postgres_cpu(database_url),
                  wrk_cpu())
        found = run_load(ports, *args, **kwargs)
        after = (sum(server.cpu_seconds() for server in servers), postgres_cpu(database_url),
                 wrk_cpu())
        per_update = [1000 * (b - a) / max(found["completed"], 1) for a, b in zip(before, after, strict=True)]
        return {**found, "cpu_ms": per_update[0], "postgres_cpu_ms": per_update[1],
                "wrk_cpu_ms": per_update[2], "load": os.getloadavg()[0]}

    # Warm-up: connections, caches, and the first message of each known chat.
    runs = [timed(1, KNOWN_CHATS, connections=16)]
    found: dict[str, Any] = {}
    for load, first_id in (("fast", 100_000), ("first", 200_000)):
        ours, ratios, beside = [], [], []
        for repeat in range(REPEATS):
            # Conversations cycle through the known chats; first messages need new ones.
            chats = {} if load == "fast" else {
                "chats": fast_count, "chat_base": CHAT_BASE + KNOWN_CHATS + repeat * fast_count}
            if baseline is not None:
                beside.append(run_load([baseline.port], 500_000 + first_id + repeat * 10_000,
                                       fast_count, connections=32, **chats))
            ours.append(timed(first_id + repeat * 10_000, fast_count, connections=32, **chats))
            ratios.append(ours[-1]["rate"] / beside[-1]["rate"] if beside else 1.0)
        runs += ours
        found[load] = sorted(ours, key=lambda run: run["rate"])[REPEATS // 2]
        found[f"{load}_rates"] = [run["rate"] for run in ours]
        found[f"{load}_ratio"] = statistics.median(ratios)
        if beside:
            found[f"baseline_{load}_rates"] = [run["rate"] for run in beside]
    # Paced: enough connections that a send never waits for a free one unless the
    # server's queue is long; `latest_ms` says how late the latest send started.
    found["steady"] = timed(1_000_000, int(300 * rate_seconds), connections=64, rate=300.0)
    runs.append(found["steady"])
    return {**found, "sent": sum(run["count"] for run in runs),
            "answered": sum(run["completed"] for run in runs)}


async def main(args: argparse.Namespace) -> str:
    if problem := wrk_problem():
        raise SystemExit(problem)
    quick = getattr(args, "quick", False)
    fast_count, rate_seconds = (1000, 4.0) if quick else (4000, 10.0)
    results: dict[str, dict[str, Any]] = {}
    checks: dict[str, tuple[int, int, int, int]] = {}
    skipped: dict[str, str] = {}
    print("  baseline: python-telegram-bot", flush=True)
    ptb = Server("--mode", "ptb")  # up all along: measured again beside each of ours
    try:
        results["ptb"] = measure([ptb], fast_count, rate_seconds)
        await measure_ours(results, checks, skipped, fast_count, rate_seconds, ptb)
    finally:
        ptb.stop()
    return report(results, checks, skipped, fast_count, rate_seconds)


async def measure_ours(results: dict[str, dict[str, Any]],
                       checks: dict[str, tuple[int, int, int, int]], skipped: dict[str, str],
                       fast_count: int, rate_seconds: float, ptb: Server) -> None:
    from bench.dbs import database, postgres_problem

    # (result key, database, web processes): SQLite has one writer, so one process there.
    for key, kind, processes in (("sqlite", "sqlite", 1), ("postgresql", "postgresql", 1),
                                 ("postgresql-2", "postgresql", 2)):
        if kind == "postgresql" and (problem := await postgres_problem()):
            skipped[key] = problem
            continue
        print(f"  ours on {kind}, {processes} web process(es)", flush=True)
        async with database(kind) as url:  # type: ignore[attr-defined]
            servers = [Server("--mode", "ours", "--db", url) for _ in range(processes)]
            try:
                results[key] = measure(servers, fast_count, rate_seconds, url, baseline=ptb)
            finally:
                for server in servers:
                    server.stop()
            inbound, outbox = await stored(url)
            checks[key] = (results[key]["sent"], results[key]["answered"], inbound, outbox)


def ratio(results: dict[str, dict[str, Any]], key: str, load: str) -> float:
    """Ours against the baseline's same load run just before it: the median of REPEATS
    (the baseline's own row: 1)."""
    return float(results[key][f"{load}_ratio"])


def free_cores_rate(run: dict[str, Any], processes: int, cores: int = 2) -> float:
    """The rate the measured CPU per update allows on `cores` free cores: each server
    process takes one core at most; PostgreSQL and wrk have the rest."""
    total = run["cpu_ms"] + run.get("postgres_cpu_ms", 0.0) + run["wrk_cpu_ms"]
    return min(min(processes, cores) * 1000 / run["cpu_ms"], cores * 1000 / total)


def report(results: dict[str, dict[str, Any]], checks: dict[str, tuple[int, int, int, int]],
           skipped: dict[str, str], fast_count: int, rate_seconds: float) -> str:
    lines = [
        "## Inbound: signed Telegram webhooks end to end", "",
        "Load from Debian's `wrk` (C, two threads; `bench/inbound.lua` gives every update its "
        "own id and sends an exact number per load), the server in its own process, on "
        "loopback. Ours: secret checked, update recorded once, state locked and saved, reply "
        "in the outbox, then 200; the messages that arrive together share one transaction "
        "(group commit, `bot/group_commit.py`). Baseline: python-telegram-bot "
        "`Application.process_update` with an in-memory echo handler behind an aiohttp "
        "webhook; it stays up all run and each fast load of ours runs three times, each just "
        "after the baseline's same load, so that a ratio compares runs seconds apart (the "
        "median is shown). "
        f"*Conversations*: {fast_count:,} updates over 32 connections from {KNOWN_CHATS:,} "
        f"chats that wrote before; *first messages*: {fast_count:,} updates from chats never "
        "seen (each makes a contact, an address and a state); *at 300/s*: "
        f"{rate_seconds:.0f} s paced by wrk's `delay()` over 64 connections. Goals: at least "
        "1,000 updates/s on PostgreSQL; p99 under 100 ms at 300 updates/s; ratio to the "
        "baseline reported (aim 0.5).",
        "",
        "| server | conversations/s | ratio to baseline | p50 | p99 | first messages/s "
        "| ratio | p50 at 300/s | p99 at 300/s | non-200 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    names = {"ptb": "PTB echo (baseline)", "sqlite": "ours, SQLite",
             "postgresql": "ours, PostgreSQL", "postgresql-2": "ours, PostgreSQL, 2 web processes"}
    shown = [key for key in names if key in results]
    for key in names:
        if key not in results:
            if key in skipped:
                lines.append(f"| {names[key]} | skipped: {skipped[key]} | | | | | | | | |")
            continue
        fast, first, steady = (results[key][load] for load in ("fast", "first", "steady"))
        bad = sum(v for run in (fast, first, steady) for k, v in run["statuses"].items() if k != "200")
        bad += sum(run["errors"][kind] for run in (fast, first, steady)
                   for kind in ("connect", "read", "write", "timeout"))
        lines.append(
            f"| {names[key]} | {fast['rate']:,.0f} | {ratio(results, key, 'fast'):.2f} | "
            f"{fast['p50_ms']:.1f} ms | {fast['p99_ms']:.1f} ms | {first['rate']:,.0f} | "
            f"{ratio(results, key, 'first'):.2f} | {steady['p50_ms']:.1f} ms | "
            f"{steady['p99_ms']:.1f} ms | {bad} |")
    def rates(values: list[float]) -> str:
        return "/".join(f"{value:,.0f}" for value in values)
    lines += ["", f"Each of the {REPEATS} runs (conversations/s; first messages/s), ours then the "
              "baseline's just before it: " + "; ".join(
                  f"{names[key]} {rates(results[key]['fast_rates'])} against "
                  f"{rates(results[key]['baseline_fast_rates'])}; "
                  f"{rates(results[key]['first_rates'])} against "
                  f"{rates(results[key]['baseline_first_rates'])}"
                  for key in shown if "baseline_fast_rates" in results[key]) + "."]
    lines += [
        "", "What an update costs in CPU (ms), whatever else the machine runs, and the rate "
        "that allows on two free cores (the server one process, so one core at most; "
        "PostgreSQL's backends and wrk beside it). Load average as each row's conversations "
        "ended.", "",
        "| server | ours, conversations | PostgreSQL | wrk | two free cores allow | ours, first "
        "messages | PostgreSQL | two free cores allow | load average |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key in shown:
        fast, first = results[key]["fast"], results[key]["first"]
        processes = 2 if key == "postgresql-2" else 1

        def postgres(run: dict[str, Any]) -> str:
            return f"{run['postgres_cpu_ms']:.2f}" if run.get("postgres_cpu_ms") else "-"
        lines.append(
            f"| {names[key]} | {fast['cpu_ms']:.2f} | {postgres(fast)} | {fast['wrk_cpu_ms']:.2f} | "
            f"{free_cores_rate(fast, processes):,.0f}/s | {first['cpu_ms']:.2f} | "
            f"{postgres(first)} | {free_cores_rate(first, processes):,.0f}/s | {fast['load']:.1f} |")
    lines += ["", "At 300/s the latest send started " + ", ".join(
        f"{results[key]['steady']['latest_ms']:.0f} ms" for key in shown)
        + " after its time (rows in order): wrk's clock per thread fell behind when every "
        "connection was waiting.", ""]
    for kind, (sent, answered, inbound, outbox) in checks.items():
        lines.append(f"Check on {names[kind]}: {sent:,} updates sent, {answered:,} answered, "
                     f"{inbound:,} recorded once each, {outbox:,} replies in the outbox.")
    lines += ["", LIMITS, ""]
    lines.append(f"Load average when written: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
                 "(other work on the machine slows every row, and not alike when it comes and "
                 "goes: compare ratios, and the CPU per update).")
    lines += ["", "Rerun: `.venv/bin/python -m bench.run inbound` (`--quick`: 1,000 updates and "
              "4 s at 300/s); needs `/usr/bin/wrk` (`apt-get install wrk`).", "",
              f"<!-- {json.dumps(results)} -->", ""]
    return "\n".join(lines)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--mode", choices=["ours", "ptb"], required=True)
    serve.add_argument("--db", default="")
    serve.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    coroutine = serve_ours(args.db, args.port) if args.mode == "ours" else serve_ptb(args.port)
    asyncio.run(coroutine)


if __name__ == "__main__":
    cli()
