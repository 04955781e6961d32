"""Runs timed jobs (reminders, surveys, scheduled broadcasts) when they fall due."""

from __future__ import annotations

import asyncio
import logging

from bot.engine import Engine

log = logging.getLogger("jobbtorg.scheduler")


async def run_scheduler(engine: Engine, stop: asyncio.Event, interval: float = 1.0) -> None:
    """Poll for due jobs until told to stop. Jobs are rows, so a restart loses none."""
    daily_jobs_ready = False
    while not stop.is_set():
        try:
            if not daily_jobs_ready:  # retried each round while the database is not there yet
                await ensure_daily_jobs(engine)
                daily_jobs_ready = True
            ran = await engine.run_due_jobs()
            if ran:
                log.info("jobs_ran", extra={"event": "jobs_ran", "count": ran})
        except Exception:
            log.exception("scheduler_failed", extra={"event": "scheduler_failed"})
        try:
            await asyncio.wait_for(stop.wait(), interval)
        except TimeoutError:
            pass


async def ensure_daily_jobs(engine: Engine) -> None:
    """Recurring system work (retention) exists once, keyed by day, however many workers
    run: each of the root's `ENSURE_JOBS` makes sure its next run is there."""
    async with engine.db.transaction() as session:
        for ensure in engine.parts.ensure_jobs:
            await ensure(session, engine.clock.now(), engine.policy)
