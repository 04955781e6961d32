"""Group commit: the messages that arrive while one batch is being saved share the next.

A transaction costs its round trips and its commit whatever it holds, so one per webhook
caps a process at a few hundred a second. Here every caller waits for its own result, but
the work runs in batches: the first message starts a batch at once, and whatever arrives
meanwhile goes into the next. Under light load a batch holds one message and nothing
waits; under heavy load batches grow and the cost per message falls.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

log = logging.getLogger("jobbtorg.group_commit")

# Handles a batch; gives one result or exception per item, in order.
BatchRunner = Callable[[list[Item]], Awaitable[list[Result | BaseException]]]


class GroupCommit(Generic[Item, Result]):
    def __init__(self, run: BatchRunner[Item, Result], max_batch: int = 64) -> None:
        self._run = run
        self.max_batch = max_batch
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """Handle one item with whatever else is waiting; its own result or exception."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            batch = self._waiting[:self.max_batch]
            del self._waiting[:self.max_batch]
            try:
                results = await self._run([item for item, _ in batch])
            except BaseException as exc:  # the runner itself broke: every caller hears of it
                results = [exc] * len(batch)
                if not isinstance(exc, Exception):  # cancelled (shutdown): pass it on
                    _settle(batch, results)
                    self._fail_waiting(exc)
                    raise
                log.exception("group_commit_failed", extra={"event": "group_commit_failed"})
            _settle(batch, results)

    def _fail_waiting(self, exc: BaseException) -> None:
        failures: list[Result | BaseException] = [exc] * len(self._waiting)
        _settle(self._waiting, failures)
        self._waiting.clear()


def _settle(batch: list[tuple[Item, asyncio.Future[Result]]],
            results: list[Result | BaseException]) -> None:
    for (_, future), result in zip(batch, results, strict=True):
        if future.done():  # the caller went away (its request was cancelled)
            continue
        if isinstance(result, asyncio.CancelledError):
            future.cancel()
        elif isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)
