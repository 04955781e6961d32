"""Shared machinery of the fake provider servers: lifecycle, rate windows and scripted faults."""

from __future__ import annotations

import asyncio
import bisect
import math
import random
import socket
import time
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from aiohttp import web

SENDS = "sends"
"""Fault scope: only calls that deliver a message (the default)."""
ANY = "*"
"""Fault scope: every call, whatever its method."""


@dataclass(slots=True)
class Fault:
    """One scripted answer: an HTTP error, or a response held back for `seconds`."""

    kind: str  # "error" or "timeout"
    status: int = 500
    retry_after: int | None = None
    description: str | None = None
    code: int | None = None
    seconds: float = 0.0
    deliver: bool = False
    scope: str = SENDS


def busiest_window(times: list[float], window: float = 1.0) -> int:
    """Most of the sorted `times` that fall in any half-open interval [t, t + window)."""
    best = 0
    for i, start in enumerate(times):
        best = max(best, bisect.bisect_left(times, start + window, lo=i) - i)
    return best


class RateWindow:
    """Sliding 1-second windows of accepted sends: one overall and one per recipient."""

    def __init__(self, overall_limit: int | None, per_key_limit: int | None) -> None:
        self.overall_limit = overall_limit
        self.per_key_limit = per_key_limit
        self._overall: deque[float] = deque()
        self._per_key: dict[Hashable, deque[float]] = {}

    @staticmethod
    def _wait(times: deque[float], limit: int | None, now: float) -> int | None:
        if limit is None:
            return None
        cutoff = now - 1.0
        while times and times[0] <= cutoff:
            times.popleft()
        if len(times) < limit:
            return None
        return max(1, math.ceil(times[-limit] + 1.0 - now))

    def refuse(self, key: Hashable, now: float) -> int | None:
        """Seconds to wait if a send to `key` now would break a limit, else record it."""
        wait = self._wait(self._overall, self.overall_limit, now)
        keyed: deque[float] | None = None
        if wait is None and self.per_key_limit is not None:
            keyed = self._per_key.setdefault(key, deque())
            wait = self._wait(keyed, self.per_key_limit, now)
        if wait is not None:
            return wait
        if self.overall_limit is not None:
            self._overall.append(now)
        if keyed is not None:
            keyed.append(now)
        return None

    def clear(self) -> None:
        self._overall.clear()
        self._per_key.clear()


class FakeServer:
    """An aiohttp server on 127.0.0.1 with a free port, rate limits and a plan of faults."""

    def __init__(
        self,
        *,
        overall_limit: int | None = None,
        per_key_limit: int | None = None,
        error_ratio: float = 0.0,
        error_status: int = 500,
        timeout_ratio: float = 0.0,
        timeout_seconds: float = 10.0,
        seed: int | None = None,
    ) -> None:
        self.rates = RateWindow(overall_limit, per_key_limit)
        self.error_ratio = error_ratio
        self.error_status = error_status
        self.timeout_ratio = timeout_ratio
        self.timeout_seconds = timeout_seconds
        self.random = random.Random(seed)
        self.accepted_at: list[float] = []
        self._plan: deque[Fault] = deque()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = asyncio.Event()

    # -- lifecycle -------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        raise NotImplementedError

    async def start(self) -> Self:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this on Linux; aiohttp also sets it on every connection.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        self._closing = asyncio.Event()
        self._runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.SockSite(self._runner, sock, backlog=1024).start()
        return self

    async def stop(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the fake server is not started")
        return self._port

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:PORT`, the server root that replaces the provider's host."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root_url

    # -- scripted and random faults ---------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        status: int = 500,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        code: int | None = None,
        scope: str = SENDS,
    ) -> None:
        """Answer the next `n` calls in `scope` (SENDS, ANY or a method name) with an error."""
        for _ in range(n):
            self._plan.append(Fault("error", status, retry_after, description, code, scope=scope))

    def timeout_next(
        self, n: int = 1, seconds: float = 10.0, *, deliver: bool = False, scope: str = SENDS
    ) -> None:
        """Hold the next `n` answers for `seconds`; then deliver normally or answer 504."""
        for _ in range(n):
            self._plan.append(Fault("timeout", 504, seconds=seconds, deliver=deliver, scope=scope))

    def clear_faults(self) -> None:
        self._plan.clear()
        self.error_ratio = 0.0
        self.timeout_ratio = 0.0

    def take_fault(self, method: str, is_send: bool) -> Fault | None:
        """The fault this call gets, if any: first from the plan, then from the ratios."""
        for i, fault in enumerate(self._plan):
            if fault.scope == ANY or fault.scope == method or (fault.scope == SENDS and is_send):
                del self._plan[i]
                return fault
        if not is_send or (self.error_ratio <= 0 and self.timeout_ratio <= 0):
            return None
        roll = self.random.random()
        if roll < self.timeout_ratio:
            return Fault("timeout", 504, seconds=self.timeout_seconds)
        if roll < self.timeout_ratio + self.error_ratio:
            return Fault("error", self.error_status)
        return None

    async def hold(self, seconds: float) -> None:
        """Sleep `seconds`, or less if the server is stopping."""
        try:
            await asyncio.wait_for(self._closing.wait(), seconds)
        except TimeoutError:
            pass

    # -- accounting ------------------------------------------------------------------------

    def record_accepted(self, now: float) -> None:
        self.accepted_at.append(now)

    def max_window_count(self, window: float = 1.0) -> int:
        """The most sends accepted in any `window` seconds (half-open) of this run."""
        return busiest_window(sorted(self.accepted_at), window)

    @staticmethod
    def now() -> float:
        return time.monotonic()
