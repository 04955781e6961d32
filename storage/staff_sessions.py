"""Dashboard sign-in state: server-side staff sessions and failed-login records for the lock."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from storage.models import StaffUser, utc

LOCK_AFTER_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


class StaffSession(SQLModel, table=True):
    """One signed-in browser. The cookie holds the token; only its hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    staff_id: int = Field(foreign_key="staffuser.id", index=True, ondelete="CASCADE")
    csrf_token: str = Field(max_length=64)
    language: str = Field(default="sv", max_length=8)
    created_at: datetime = utc(nullable=False)
    last_seen_at: datetime = utc(nullable=False)
    expires_at: datetime = utc(nullable=False, index=True)


class LoginFailure(SQLModel, table=True):
    """A wrong password (or unknown user) from one address, kept for the login lock."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, index=True)
    address: str = Field(max_length=64)
    at: datetime = utc(nullable=False, index=True)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_session(session: AsyncSession, staff_id: int, token: str, csrf_token: str,
                         language: str, now: datetime, lifetime: timedelta) -> StaffSession:
    row = StaffSession(token_hash=token_digest(token), staff_id=staff_id, csrf_token=csrf_token,
                       language=language, created_at=now, last_seen_at=now,
                       expires_at=now + lifetime)
    session.add(row)
    await session.flush()
    return row


async def live_session(session: AsyncSession, token: str,
                       now: datetime) -> tuple[StaffSession, StaffUser] | None:
    """The unexpired session for a cookie token and its active staff user, or None."""
    result = await session.execute(
        select(StaffSession, StaffUser)
        .join(StaffUser, col(StaffUser.id) == col(StaffSession.staff_id))
        .where(col(StaffSession.token_hash) == token_digest(token), col(StaffSession.expires_at) > now,
               col(StaffUser.active).is_(True))
    )
    found = result.first()
    return (found[0], found[1]) if found else None


async def end_session(session: AsyncSession, token: str) -> None:
    await session.execute(delete(StaffSession).where(col(StaffSession.token_hash) == token_digest(token)))


async def end_sessions_of(session: AsyncSession, staff_id: int) -> None:
    """Sign a staff user out everywhere (deactivated, or a new password)."""
    await session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == staff_id))


async def set_session_language(session: AsyncSession, session_id: int, language: str) -> None:
    await session.execute(update(StaffSession).where(col(StaffSession.id) == session_id)
                          .values(language=language))


async def record_failure(session: AsyncSession, username: str, address: str, now: datetime) -> None:
    session.add(LoginFailure(username=username[:64], address=address[:64], at=now))
    # Old failures say nothing about the lock; drop them so the table stays small.
    await session.execute(delete(LoginFailure).where(col(LoginFailure.at) < now - 2 * LOCK_FOR))


async def locked_until(session: AsyncSession, username: str, address: str,
                       now: datetime) -> datetime | None:
    """When the lock on this user from this address ends, or None if there is none.

    Five failures within fifteen minutes lock the pair for fifteen minutes from the fifth.
    Attempts while locked are refused unchecked and not recorded, so the lock does not grow.
    """
    result = await session.execute(
        select(LoginFailure.at)
        .where(col(LoginFailure.username) == username[:64], col(LoginFailure.address) == address[:64],
               col(LoginFailure.at) > now - 2 * LOCK_FOR)
        .order_by(col(LoginFailure.at))
    )
    times = list(result.scalars())
    until: datetime | None = None
    last = LOCK_AFTER_FAILURES - 1
    for first in range(len(times) - last):
        if times[first + last] - times[first] <= LOCK_FOR:
            ends = times[first + last] + LOCK_FOR
            if ends > now and (until is None or ends > until):
                until = ends
    return until


async def clear_failures(session: AsyncSession, username: str, address: str) -> None:
    await session.execute(delete(LoginFailure).where(col(LoginFailure.username) == username[:64],
                                                     col(LoginFailure.address) == address[:64]))


async def active_session_count(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(select(func.count()).select_from(StaffSession)
                                   .where(col(StaffSession.expires_at) > now))
    return int(result.scalar_one())
