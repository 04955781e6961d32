"""Group commit: the messages that arrive while a batch is being saved share the next.

A transaction costs its round trips and its commit whatever it holds, so one per webhook
caps a process at a few hundred a second. Here every caller waits for its own result, but
the work runs in batches: a message starts a batch at once when one of the `concurrency`
slots is free, and whatever arrives while all are busy goes into the next. Under light
load a batch holds one message and nothing waits; under heavy load batches grow and the
cost per message falls.

With more than one slot, a batch can compute while another waits for the database, and
items with the same key (one person's address) are never in two running batches, so a
person's messages are still handled in the order they came. The engine uses one slot:
on two cores, two cost a third more CPU per message (smaller batches) for no more
throughput (measured with bench/inbound.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

log = logging.getLogger("jobbtorg.group_commit")

# Handles a batch; gives one result or exception per item, in order.
BatchRunner = Callable[[list[Item]], Awaitable[list[Result | BaseException]]]
Waiting = tuple[Item, "asyncio.Future[Result]"]


class GroupCommit(Generic[Item, Result]):
    def __init__(self, run: BatchRunner[Item, Result], max_batch: int = 64,
                 concurrency: int = 1, key: Callable[[Item], Hashable] = id) -> None:
        self._run = run
        self.max_batch = max_batch
        self.concurrency = concurrency
        self._key = key
        self._waiting: list[Waiting[Item, Result]] = []
        self._busy: set[Hashable] = set()  # keys in running batches
        self._running: set[asyncio.Task[None]] = set()

    async def submit(self, item: Item) -> Result:
        """Handle one item with whatever else is waiting; its own result or exception."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        self._start()
        return await future

    def _start(self) -> None:
        while len(self._running) < self.concurrency and (batch := self._take()):
            task = asyncio.create_task(self._run_batch(batch))
            self._running.add(task)
            task.add_done_callback(self._finished)

    def _take(self) -> list[Waiting[Item, Result]]:
        """The oldest waiting items whose keys no running batch holds, in order."""
        batch: list[Waiting[Item, Result]] = []
        keep: list[Waiting[Item, Result]] = []
        held = set(self._busy)
        for waiting in self._waiting:
            if len(batch) < self.max_batch and self._key(waiting[0]) not in held:
                batch.append(waiting)
            else:
                keep.append(waiting)
                held.add(self._key(waiting[0]))  # what comes after it waits too
        self._waiting = keep
        self._busy |= {self._key(item) for item, _ in batch}
        return batch

    async def _run_batch(self, batch: list[Waiting[Item, Result]]) -> None:
        try:
            results = await self._run([item for item, _ in batch])
        except Exception as exc:  # the runner itself broke: every caller hears of it
            log.exception("group_commit_failed", extra={"event": "group_commit_failed"})
            results = [exc] * len(batch)
        except BaseException as exc:  # cancelled (shutdown): pass it on to the callers
            failures: list[Result | BaseException] = [exc] * len(batch)
            _settle(batch, failures)
            raise
        finally:
            self._busy -= {self._key(item) for item, _ in batch}
        _settle(batch, results)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if not task.cancelled():
            self._start()


def _settle(batch: list[Waiting[Item, Result]], results: list[Result | BaseException]) -> None:
    for (_, future), result in zip(batch, results, strict=True):
        if future.done():  # the caller went away (its request was cancelled)
            continue
        if isinstance(result, asyncio.CancelledError):
            future.cancel()
        elif isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)
