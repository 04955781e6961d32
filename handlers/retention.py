"""The daily retention job: erase people kept too long, then schedule tomorrow's run.

The job has a key per day ("retention:2026-11-24"), so however many workers start, it
exists once. `ensure_retention_job` is called when a worker's scheduler starts.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, update

from handlers.base import Policy
from handlers.jobs import Jobs
from storage.jobs import schedule
from storage.models import Job
from storage.retention import sweep

KIND = "retention"
jobs = Jobs()  # this feature's timed jobs, listed in bot/root.py
RUN_AT = time(3, 0)  # local time: quiet, and before staff start the day
BATCH = 500  # people per rule and transaction; a bigger backlog continues in a minute


def next_run(after: datetime, zone: ZoneInfo) -> datetime:
    """The first RUN_AT local time strictly after `after`."""
    local = after.astimezone(zone)
    candidate = datetime.combine(local.date(), RUN_AT, zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), RUN_AT, zone)
    return candidate.astimezone(after.tzinfo)


def _key(due_at: datetime) -> str:
    return f"{KIND}:{due_at.date().isoformat()}"


async def ensure_retention_job(session: AsyncSession, now: datetime, policy: Policy) -> None:
    """Make sure the next daily run exists, carrying the configured RETENTION_MONTHS."""
    months, zone = policy.retention_months, policy.zone
    payload = {"months": months, "zone": zone.key}
    due_at = next_run(now, zone)
    await schedule(session, KIND, due_at, now, payload=payload, key=_key(due_at))
    # A changed RETENTION_MONTHS applies from the next run.
    await session.execute(update(Job).where(col(Job.kind) == KIND, col(Job.status) == "pending")
                          .values(payload=payload))


@jobs.system(KIND)
async def run_retention(session: AsyncSession, payload: dict[str, Any], due_at: datetime) -> None:
    months = int(payload.get("months", 24))
    swept = await sweep(session, due_at, months, limit=BATCH)
    if swept.inactive >= BATCH or swept.no_consent >= BATCH:
        more = due_at + timedelta(minutes=1)
        await schedule(session, KIND, more, due_at, payload=dict(payload),
                       key=f"{KIND}:more:{more.isoformat()}")
        return
    zone = ZoneInfo(str(payload.get("zone", "Europe/Stockholm")))
    following = next_run(due_at, zone)
    await schedule(session, KIND, following, due_at, payload=dict(payload), key=_key(following))
