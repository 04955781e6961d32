"""The dispatcher: the only code that sends messages to people, from the outbox table.

It claims queued rows with a lease, sends many at once through each channel's Sender at
the pace the provider allows (bot/ratelimit.py), and writes the outcomes in batches.
Replies (priority 0) go before bulk (priority 1). Temporary failures are retried with
exponential backoff and jitter, at most MAX_ATTEMPTS times within GIVE_UP_AFTER; a person
who blocked the bot or replied STOP gets nothing more. Pacing uses real monotonic time;
the times written to the database come from the clock.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import DataError, IntegrityError

from bot.clock import Clock
from bot.metrics import count_outbound, observe_send
from bot.ratelimit import Pacer
from storage.db import Database
from storage.models import Outbox
from storage.queue import (
    BULK,
    blank_sent,
    claim_ready,
    mark_address,
    release,
    rows_to_save,
    save_outcomes,
    unusable_addresses,
)

log = logging.getLogger("jobbtorg.outbox")

LEASE = timedelta(seconds=60)
# A row not sent this long after its claim goes back to the queue (its lease runs out).
HOLD_AT_MOST = 40.0
MAX_ATTEMPTS = 5
GIVE_UP_AFTER = timedelta(hours=1)
FIRST_BACKOFF = 15.0  # seconds; then x4: 15 s, 1 min, 4 min, 16 min (all within the hour)

# What a Sender may report, and the outbox status each leads to.
SENT, RETRY, RATE_LIMITED, FAILED = "sent", "retry", "rate-limited", "failed"
BLOCKED, OPTED_OUT, UNREACHABLE, SKIPPED = "blocked", "opted-out", "unreachable", "skipped"
STOPPING = {BLOCKED: {"unreachable": True}, UNREACHABLE: {"unreachable": True},
            OPTED_OUT: {"opted_out": True}}


@dataclass
class SendResult:
    """What a Sender reports for one message."""

    outcome: str  # one of the outcomes above
    provider_message_id: str | None = None
    retry_after: float | None = None  # seconds, from a 429
    detail: str | None = None


class Sender(Protocol):
    """Delivers one outbox row over one channel. Implemented in bot/channels/."""

    async def send(self, row: Outbox) -> SendResult: ...


@dataclass(frozen=True)
class ChannelPace:
    """How fast one channel may send: `rate` per second overall (None: no limit), a gap
    per recipient, and how many requests may be in flight."""

    rate: float | None = None
    per_recipient_gap: float = 0.0
    max_in_flight: int = 64

    @property
    def buffer(self) -> int:
        """How many claimed rows to hold in memory: about two seconds of sending."""
        if self.rate is None:
            return 2000
        return max(10, min(2000, math.ceil(self.rate * 2)))


def backoff_seconds(attempt: int, rng: random.Random) -> float:
    """Wait before the next try after failed try number `attempt` (1-based), with jitter."""
    return FIRST_BACKOFF * 4 ** (attempt - 1) * (0.5 + rng.random() / 2)


@dataclass
class _Done:
    row: Outbox
    result: SendResult


@dataclass
class _Lane:
    """One channel's sender, pacer and claimed rows."""

    name: str
    sender: Sender
    pace: ChannelPace
    pacer: Pacer
    held: dict[int, float] = field(default_factory=dict)  # row id -> monotonic claim time
    idle_until: float = 0.0
    # Addresses that just blocked us or said STOP, until the flag is surely saved.
    stopped: dict[str, float] = field(default_factory=dict)

    def is_stopped(self, address: str) -> bool:
        until = self.stopped.get(address)
        if until is not None and until < time.monotonic():
            del self.stopped[address]
            return False
        return until is not None


class Dispatcher:
    """Sends queued messages through the Sender of each channel."""

    def __init__(self, db: Database, clock: Clock, senders: dict[str, Sender],
                 paces: dict[str, ChannelPace] | None = None, *, flush_size: int = 500,
                 tick: float = 0.02, seed: int | None = None) -> None:
        self.db = db
        self.clock = clock
        self.senders = senders
        self.paces = paces or {}
        self.flush_size = flush_size
        self.tick = tick
        self.rng = random.Random(seed)
        self.closers: list[Callable[[], Awaitable[None]]] = []
        self._lanes: dict[str, _Lane] = {}
        self._done: list[_Done] = []
        self._flush_lock = asyncio.Lock()
        self._wake = asyncio.Event()

    # -- public -----------------------------------------------------------------------------

    def wake(self) -> None:
        """Something was queued just now (a webhook's reply): claim without waiting."""
        self._wake.set()
        for lane in self._lanes.values():
            lane.idle_until = 0.0

    async def drain(self, channels: list[str] | None = None, batch: int = 500) -> int:
        """Send everything ready now on the given channels (all by default); return when
        each row has an outcome saved. Returns how many rows were handled."""
        lanes = [self._lane(name) for name in channels or list(self.senders)
                 if name in self.senders]
        total = 0
        while lanes:  # every channel's ready rows in one claim, replies first
            rows, claimed = await self._claim(lanes, batch)
            if rows:
                await asyncio.gather(*(self._deliver(self._lanes[row.channel], row)
                                       for row in rows))
                await self.flush()
                total += len(rows)
            if claimed < batch:  # that was all that was ready: no empty claim after it
                break
        return total

    async def run(self, stop: asyncio.Event, idle: float = 0.2) -> None:
        """Keep sending until told to stop: claim while there is room, flush outcomes often."""
        tasks: set[asyncio.Task[None]] = set()
        try:
            while not stop.is_set():
                for name in self.senders:
                    try:
                        await self._top_up(self._lane(name), tasks, idle)
                    except Exception:
                        log.exception("claim_failed", extra={"event": "claim_failed", "channel": name})
                        self._lane(name).idle_until = time.monotonic() + idle
                try:
                    await self.flush()
                except Exception:
                    log.exception("flush_failed", extra={"event": "flush_failed"})
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), self.tick if tasks else idle)
                except TimeoutError:
                    pass
        finally:
            await self._stop(tasks)

    async def flush(self) -> None:
        """Save the outcomes gathered so far in one transaction."""
        async with self._flush_lock:
            batch, self._done = self._done, []
            if not batch:
                return
            try:
                await self._save(batch)
            except (IntegrityError, DataError):
                kept = await self._save_one_by_one(batch)  # one bad row must not block the rest
                self._done[:0] = kept
            except BaseException:
                self._done[:0] = batch  # keep them; the next flush tries again
                raise
            for item in batch:
                self._forget(item.row)

    async def _save_one_by_one(self, batch: list[_Done]) -> list[_Done]:
        """Save each outcome alone; drop one the database refuses. Returns the outcomes to
        try again at the next flush (the database could not be reached for them)."""
        kept: list[_Done] = []
        for item in batch:
            try:
                await self._save([item])
            except (IntegrityError, DataError):
                log.exception("delivery_result_dropped", extra={
                    "event": "delivery_result_dropped", "outbox_id": item.row.id})
            except Exception:
                kept.append(item)
        return kept

    async def close(self) -> None:
        for closer in self.closers:
            try:
                await closer()
            except Exception:
                log.exception("sender_close_failed", extra={"event": "sender_close_failed"})

    # -- claiming and sending ---------------------------------------------------------------

    def _lane(self, name: str) -> _Lane:
        lane = self._lanes.get(name)
        if lane is None:
            pace = self.paces.get(name, ChannelPace())
            lane = _Lane(name, self.senders[name], pace,
                         Pacer(pace.rate, pace.per_recipient_gap, pace.max_in_flight))
            self._lanes[name] = lane
        return lane

    async def _top_up(self, lane: _Lane, tasks: set[asyncio.Task[None]], idle: float) -> None:
        room = lane.pace.buffer - len(lane.held)
        if room < max(1, lane.pace.buffer // 4) or time.monotonic() < lane.idle_until:
            return
        rows, _claimed = await self._claim([lane], room)
        if not rows:
            lane.idle_until = time.monotonic() + idle
            return
        for row in rows:
            task = asyncio.create_task(self._deliver(lane, row))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    async def _claim(self, lanes: list[_Lane], limit: int) -> tuple[list[Outbox], int]:
        """The rows of these lanes to send now, and how many were ready (held or stopped
        ones included)."""
        now = self.clock.now()
        by_channel = {lane.name: lane for lane in lanes}
        async with self.db.transaction() as session:
            rows = await claim_ready(session, now, list(by_channel), limit, now + LEASE)
            claimed = len(rows)
            # Rows this process still holds (a moved demo clock can end a lease early).
            rows = [row for row in rows if row.id not in by_channel[row.channel].held]
            bulk_to = {row.address_id for row in rows
                       if row.priority >= BULK and row.address_id is not None}
            stopped = await unusable_addresses(session, bulk_to)  # type: ignore[arg-type]
            if stopped:
                for row in rows:
                    if row.priority >= BULK and row.address_id in stopped:
                        row.status = "cancelled"
                        session.add(row)
                rows = [row for row in rows if row.status != "cancelled"]
        claimed_at = time.monotonic()
        for row in rows:
            by_channel[row.channel].held[row.id] = claimed_at  # type: ignore[index]
        return rows, claimed

    async def _deliver(self, lane: _Lane, row: Outbox) -> None:
        result: SendResult | None = None
        try:
            async with lane.pacer.slot(row.to_address, row.priority):
                if time.monotonic() - lane.held.get(row.id, 0.0) > HOLD_AT_MOST:  # type: ignore[arg-type]
                    return  # held too long (a long pause): its lease lapses and it is claimed again
                if lane.is_stopped(row.to_address):  # claimed with a row that just failed so
                    result = SendResult(SKIPPED, detail="the address stopped receiving")
                else:
                    sending = time.monotonic()
                    result = await lane.sender.send(row)
                    observe_send(lane.name, time.monotonic() - sending)
                if result.outcome in STOPPING:
                    lane.stopped[row.to_address] = time.monotonic() + LEASE.total_seconds()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a Sender should not raise; treat it as temporary
            log.exception("send_crashed", extra={"event": "send_crashed", "channel": lane.name})
            result = SendResult(RETRY, detail=f"{type(exc).__name__}")
        finally:
            if result is None:
                lane.held.pop(row.id, None)  # type: ignore[arg-type]
        if result is None:
            return
        if result.outcome == RATE_LIMITED:
            lane.pacer.pause(result.retry_after or 1.0)
        self._done.append(_Done(row, result))
        if len(self._done) >= self.flush_size:
            self._wake.set()

    def _forget(self, row: Outbox) -> None:
        lane = self._lanes.get(row.channel)
        if lane is not None:
            lane.held.pop(row.id, None)  # type: ignore[arg-type]

    async def _stop(self, tasks: set[asyncio.Task[None]]) -> None:
        """Let sends in flight finish briefly, save their outcomes, give back the rest."""
        if tasks:
            _, pending = await asyncio.wait(set(tasks), timeout=5.0)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        try:
            await self.flush()
            unsent = [row_id for lane in self._lanes.values() for row_id in lane.held]
            async with self.db.transaction() as session:
                await release(session, unsent)
            for lane in self._lanes.values():
                lane.held.clear()
        except Exception:
            log.exception("dispatcher_stop_failed", extra={"event": "dispatcher_stop_failed"})

    # -- outcomes ---------------------------------------------------------------------------

    async def _save(self, batch: list[_Done]) -> None:
        now = self.clock.now()
        changes: list[dict[str, Any]] = []
        attempts: list[dict[str, Any]] = []
        blank: list[int] = []
        stop_addresses: list[tuple[str, str, dict[str, bool]]] = []
        for item in batch:
            row, result = item.row, item.result
            change = self._change(row, result, now)
            changes.append(change)
            attempts.append({"outbox_id": row.id, "at": now, "outcome": result.outcome,
                             "detail": _short(result.detail)})
            if change["status"] != "queued" and row.ephemeral:
                blank.append(row.id)  # type: ignore[arg-type]
            if result.outcome in STOPPING and row.to_address:
                stop_addresses.append((row.channel, row.to_address, STOPPING[result.outcome]))
        async with self.db.transaction() as session:
            live = await rows_to_save(session, [change["id"] for change in changes])
            await save_outcomes(session, [c for c in changes if c["id"] in live],
                                [a for a in attempts if a["outbox_id"] in live])
            await blank_sent(session, [row_id for row_id in blank if row_id in live])
            for channel, address, flags in stop_addresses:
                await mark_address(session, channel, address, **flags)
        if dropped := len(changes) - len(live):
            # Erased (emptied) or deleted meanwhile: nothing of the person is written back.
            log.info("delivery_results_dropped", extra={
                "event": "delivery_results_dropped", "count": dropped})
        changes = [change for change in changes if change["id"] in live]
        batch = [item for item in batch if item.row.id in live]
        for item, change in zip(batch, changes, strict=True):
            count_outbound(item.row.channel, change["status"])  # once saved, so counted once
        for change in changes:
            if change["status"] != SENT:
                log.info("delivery_not_sent", extra={
                    "event": "delivery_not_sent", "outbox_id": change["id"],
                    "status": change["status"], "error": change["error"]})

    def _change(self, row: Outbox, result: SendResult, now: datetime) -> dict[str, Any]:
        """The row's new columns after this try."""
        tries = row.attempts + 1
        change: dict[str, Any] = {
            "id": row.id, "status": "queued", "attempts": tries,
            "next_attempt_at": row.next_attempt_at, "sent_at": None,
            "provider_message_id": row.provider_message_id, "error": _short(result.detail),
        }
        outcome = result.outcome
        if outcome == SENT:
            change.update(status=SENT, sent_at=now, error=None,
                          provider_message_id=result.provider_message_id)
        elif outcome == SKIPPED:
            change.update(status="cancelled")
        elif outcome in (RETRY, RATE_LIMITED):
            wait = (result.retry_after or 1.0) if outcome == RATE_LIMITED \
                else backoff_seconds(tries, self.rng)
            retry_at = now + timedelta(seconds=wait)
            if tries >= MAX_ATTEMPTS or retry_at - row.created_at > GIVE_UP_AFTER:
                change.update(status=FAILED, error=_short(
                    f"gave up after {tries} attempts: {result.detail or outcome}"))
            else:
                change.update(next_attempt_at=retry_at)
        else:  # failed, blocked, opted-out, unreachable: permanent
            change.update(status=FAILED, error=_short(result.detail or outcome))
        return change


def _short(text: str | None, limit: int = 200) -> str | None:
    return None if text is None else text[:limit]
