"""Timed jobs: schedule once, cancel, and claim the ones that fell due."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Job
from storage.people import dialect, insert_for


async def schedule(
    session: AsyncSession, kind: str, due_at: datetime, now: datetime,
    contact_id: int | None = None, payload: dict[str, Any] | None = None, key: str | None = None,
    revive: bool = False,
) -> None:
    """Add a job. A job with a key exists at most once (scheduling it again does nothing),
    except that `revive` makes a cancelled job with that key pending again at `due_at`."""
    statement = insert_for(session, Job).values(
        kind=kind, due_at=due_at, contact_id=contact_id, payload=payload or {}, key=key,
        status="pending", attempts=0, created_at=now,
    )
    if key is not None and revive:
        statement = statement.on_conflict_do_update(
            index_elements=["key"], set_={"status": "pending", "due_at": due_at, "attempts": 0},
            where=col(Job.status) == "cancelled")
    elif key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["key"])
    await session.execute(statement)


async def cancel(
    session: AsyncSession, contact_id: int, kinds: list[str] | None = None,
    key_prefix: str | None = None,
) -> int:
    """Cancel a person's pending jobs (of some kinds, or whose key starts with a prefix)."""
    statement = update(Job).where(col(Job.contact_id) == contact_id, col(Job.status) == "pending")
    if kinds:
        statement = statement.where(col(Job.kind).in_(kinds))
    if key_prefix:
        statement = statement.where(col(Job.key).startswith(key_prefix))
    result = await session.execute(statement.values(status="cancelled"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def due_between(session: AsyncSession, contact_id: int, kind: str, key_prefix: str,
                      after: datetime, by: datetime) -> int:
    """How many of a person's pending jobs of a kind (keys starting with `key_prefix`)
    fell due after `after` and by `by`: a later one that will run too."""
    result = await session.execute(
        select(func.count()).select_from(Job).where(
            col(Job.contact_id) == contact_id, col(Job.kind) == kind,
            col(Job.status) == "pending", col(Job.key).startswith(key_prefix),
            col(Job.due_at) > after, col(Job.due_at) <= by))
    return int(result.scalar_one())


async def claim_due(session: AsyncSession, now: datetime, limit: int = 50) -> list[Job]:
    """Lock up to `limit` due jobs, oldest due first, for this transaction.

    The caller runs them and marks them done before committing, so a job fires once:
    PostgreSQL's FOR UPDATE SKIP LOCKED lets several workers claim side by side, and
    SQLite has a single writer. A worker that dies mid-way rolls back and the job waits.
    """
    statement = (
        select(Job)
        .where(Job.status == "pending", Job.due_at <= now)
        .order_by(Job.due_at, Job.id)  # type: ignore[arg-type]
        .limit(limit)
    )
    if dialect(session) == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return list((await session.execute(statement)).scalars())


async def next_due(session: AsyncSession) -> datetime | None:
    result = await session.execute(
        select(Job.due_at).where(Job.status == "pending").order_by(col(Job.due_at)).limit(1)
    )
    return result.scalar_one_or_none()


# A failing job is tried again later, not on the scheduler's next round: after 1, 5, 30
# and 120 minutes; the fifth failure gives up (status "failed", the error kept).
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
               timedelta(hours=2))
ACTS_AT = "acts_at"  # payload key: the moment a retried job still acts at


def acts_at(job: Job) -> datetime:
    """The moment a job acts at (its texts and follow-ups use it): its due time, also when
    a failure moved that time for a retry."""
    value = job.payload.get(ACTS_AT)
    return datetime.fromisoformat(value) if isinstance(value, str) else job.due_at


def retry_later(job: Job, now: datetime, error: str) -> None:
    """Record a failed run: try again after the next backoff step, or give up."""
    job.attempts += 1
    job.error = error[:200]
    if job.attempts > len(RETRY_AFTER):
        job.status, job.done_at = "failed", now
        return
    # A new dict, so the JSON column sees the change.
    job.payload = {**job.payload, ACTS_AT: acts_at(job).isoformat()}
    job.due_at = now + RETRY_AFTER[job.attempts - 1]
