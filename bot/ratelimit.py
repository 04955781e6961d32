"""Pacing for the dispatcher: provider rate limits that hold however long a send takes.

A provider counts a send when it receives it, somewhere between the moment we start the
request and the moment its answer arrives. So a send here occupies its slot from its start
until `period` seconds after its answer: then no window of `period` seconds at the provider
can ever hold more than `limit` sends, whatever the network delay, and the rate still
reaches limit / (period + latency). Time is the real monotonic clock, never the demo clock.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


def now() -> float:
    return time.monotonic()


def window_for(rate: float) -> tuple[int, float]:
    """(sends, seconds) that never exceed `rate` per second in any 1-second window.

    30 -> (30, 1.0); 2.5 -> (2, 1.0); 0.5 -> (1, 2.0).
    """
    if rate >= 1:
        return math.floor(rate), 1.0
    return 1, 1.0 / rate


class SlidingWindow:
    """At most `limit` sends per `period` seconds overall; waiters with a lower priority
    number go first (a reply to a person before bulk)."""

    def __init__(self, limit: int, period: float = 1.0) -> None:
        self.limit = limit
        self.period = period
        self._free = limit
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._paused_until = 0.0
        self._wake_handle: asyncio.TimerHandle | None = None

    @classmethod
    def per_second(cls, rate: float) -> SlidingWindow:
        return cls(*window_for(rate))

    async def acquire(self, priority: int = 0) -> None:
        """Wait for a slot. Give it back with `release_after_send` once the answer is in."""
        if self._free > 0 and not self._waiters and now() >= self._paused_until:
            self._free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), future))
        self._wake()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._give_back()  # granted just as we were cancelled: pass it on
            raise

    def release_after_send(self) -> None:
        """The send's answer arrived: its slot frees `period` seconds from now."""
        asyncio.get_running_loop().call_later(self.period, self._give_back)

    def release_unused(self) -> None:
        """The slot was taken but nothing was sent: free it at once."""
        self._give_back()

    def pause(self, seconds: float) -> None:
        """The provider said 'retry after': nothing starts for `seconds`."""
        self._paused_until = max(self._paused_until, now() + seconds)

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def _give_back(self) -> None:
        self._free += 1
        self._wake()

    def _wake(self) -> None:
        left = self._paused_until - now()
        if left > 0:
            if self._wake_handle is None or self._wake_handle.cancelled():
                self._wake_handle = asyncio.get_running_loop().call_later(left, self._resume)
            return
        while self._free > 0 and self._waiters:
            _, _, future = heapq.heappop(self._waiters)
            if future.done():
                continue
            self._free -= 1
            future.set_result(None)

    def _resume(self) -> None:
        self._wake_handle = None
        self._wake()


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    free_at: float = 0.0


class PerKeyGate:
    """One send at a time per recipient, in arrival order, at least `interval` seconds
    after the previous one's answer (Telegram: 1 message per chat per second)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._lanes: dict[str, _Lane] = {}

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        lane = self._lanes.setdefault(key, _Lane())
        async with lane.lock:
            wait = lane.free_at - now()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                lane.free_at = now() + self.interval
        if not lane.lock.locked() and len(self._lanes) > 10_000:
            self._prune()

    def _prune(self) -> None:
        moment = now()
        for key in [k for k, lane in self._lanes.items()
                    if not lane.lock.locked() and lane.free_at <= moment]:
            del self._lanes[key]


class Pacer:
    """Everything one channel's sends must respect: the overall window, the per-recipient
    gap and a cap on requests in flight (the HTTP connection pool)."""

    def __init__(self, rate: float | None, per_key_interval: float = 0.0,
                 max_in_flight: int = 64) -> None:
        self.window = SlidingWindow.per_second(rate) if rate else None
        self.gate = PerKeyGate(per_key_interval)
        self.in_flight = asyncio.Semaphore(max_in_flight)

    @asynccontextmanager
    async def slot(self, key: str, priority: int = 0) -> AsyncIterator[None]:
        """Hold this while sending one message to `key`."""
        async with self.gate.turn(key):
            if self.window is not None:
                await self.window.acquire(priority)
            try:
                async with self.in_flight:
                    yield
            finally:
                if self.window is not None:
                    self.window.release_after_send()

    def pause(self, seconds: float) -> None:
        if self.window is not None:
            self.window.pause(seconds)
