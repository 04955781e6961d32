"""Runs timed jobs (reminders, surveys, scheduled broadcasts) when they fall due."""

from __future__ import annotations

import asyncio
import logging

from bot.engine import Engine

log = logging.getLogger("jobbtorg.scheduler")


async def run_scheduler(engine: Engine, stop: asyncio.Event, interval: float = 1.0) -> None:
    """Poll for due jobs until told to stop. Jobs are rows, so a restart loses none."""
    while not stop.is_set():
        try:
            ran = await engine.run_due_jobs()
            if ran:
                log.info("jobs_ran", extra={"event": "jobs_ran", "count": ran})
        except Exception:
            log.exception("scheduler_failed", extra={"event": "scheduler_failed"})
        try:
            await asyncio.wait_for(stop.wait(), interval)
        except TimeoutError:
            pass
