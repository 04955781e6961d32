"""Dashboard sign-in state: server-side staff sessions and the counted sign-in tries."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from storage.models import StaffUser, utc

LOCK_AFTER_FAILURES = 5  # tries of one account from one address
LOCK_FOR = timedelta(minutes=15)
ADDRESS_TRIES = 30  # tries from one address, whatever the accounts (an office shares one)
ACCOUNT_DELAY_AT_MOST = timedelta(minutes=1)


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


class LoginThrottle(SQLModel, table=True):
    """Sign-in tries counted under one key: an account, an address, or the two together.

    Each try is counted before its password is checked, on a locked row, so tries made
    at the same moment cannot slip past the count."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=140)
    tries: int = 0
    window_start: datetime = utc(nullable=False)  # the first try counted (account: the last)
    blocked_until: datetime | None = utc()


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


def throttle_keys(username: str, address: str) -> dict[str, str]:
    """The keys a sign-in try is counted under."""
    user, where = username[:64].casefold(), address[:64]
    return {"pair": f"pair:{user}|{where}", "address": f"addr:{where}", "account": f"user:{user}"}


def account_delay(tries: int) -> timedelta:
    """How long an account waits after its `tries`-th try in a row that was not a success:
    nothing for the first few, then a doubling wait that stops growing, so the account is
    slowed down for an attacker but never locked against its owner."""
    if tries < LOCK_AFTER_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (tries - LOCK_AFTER_FAILURES)), ACCOUNT_DELAY_AT_MOST)


async def _locked_rows(session: AsyncSession, keys: list[str], now: datetime) -> dict[str, LoginThrottle]:
    """The throttle rows of these keys, made if missing, locked until the transaction ends
    (PostgreSQL: row locks in key order; SQLite: one writer at a time)."""
    insert = postgresql.insert if session.bind is not None and \
        session.bind.dialect.name == "postgresql" else sqlite.insert
    await session.execute(
        insert(LoginThrottle).on_conflict_do_nothing(index_elements=["key"]),
        [{"key": key, "tries": 0, "window_start": now} for key in keys])
    statement = (select(LoginThrottle).where(col(LoginThrottle.key).in_(keys))
                 .order_by(col(LoginThrottle.key)).with_for_update()
                 .execution_options(populate_existing=True))
    return {row.key: row for row in (await session.execute(statement)).scalars()}


async def take_login_try(session: AsyncSession, username: str, address: str,
                         now: datetime) -> datetime | None:
    """Count one sign-in try before its password is checked. Returns None when the try
    may go ahead, else the moment to try again (the caller rolls back: nothing counted).

    The pair (account, address) is locked for LOCK_FOR after LOCK_AFTER_FAILURES tries
    within LOCK_FOR; one address after ADDRESS_TRIES tries (many accounts from one place);
    one account, from anywhere, waits `account_delay` between tries."""
    keys = throttle_keys(username, address)
    rows = await _locked_rows(session, sorted(keys.values()), now)
    pair, place, account = rows[keys["pair"]], rows[keys["address"]], rows[keys["account"]]
    waits = [row.blocked_until for row in (pair, place, account)
             if row.blocked_until is not None and row.blocked_until > now]
    if waits:
        return max(waits)
    for row, limit in ((pair, LOCK_AFTER_FAILURES), (place, ADDRESS_TRIES)):
        if now - row.window_start > LOCK_FOR:
            row.tries, row.window_start = 0, now
        row.tries += 1
        row.blocked_until = now + LOCK_FOR if row.tries >= limit else None
    if now - account.window_start > LOCK_FOR:
        account.tries = 0
    account.tries += 1
    account.window_start = now
    account.blocked_until = now + account_delay(account.tries)
    return None


async def forget_login_tries(session: AsyncSession, username: str, address: str) -> None:
    """A success: the account and the pair start afresh; the address keeps its other tries."""
    keys = throttle_keys(username, address)
    await session.execute(delete(LoginThrottle).where(
        col(LoginThrottle.key).in_([keys["pair"], keys["account"]])))
    await session.execute(update(LoginThrottle).where(col(LoginThrottle.key) == keys["address"],
                                                      col(LoginThrottle.tries) > 0)
                          .values(tries=LoginThrottle.tries - 1, blocked_until=None))


async def unlock_account(session: AsyncSession, username: str) -> int:
    """Let an account try again at once from everywhere (an admin's `staff unlock`). The
    address counts go too: thirty wrong tries from a shared office address would
    otherwise keep the account out for fifteen minutes whatever the admin does."""
    user = username[:64].casefold()
    result = await session.execute(delete(LoginThrottle).where(
        (col(LoginThrottle.key) == f"user:{user}") | col(LoginThrottle.key).startswith(f"pair:{user}|")
        | col(LoginThrottle.key).startswith("addr:")))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def prune_login_tries(session: AsyncSession, now: datetime) -> None:
    """Rows that no longer hold anyone back."""
    await session.execute(delete(LoginThrottle).where(
        col(LoginThrottle.window_start) < now - 2 * LOCK_FOR,
        col(LoginThrottle.blocked_until).is_(None) | (col(LoginThrottle.blocked_until) < now)))


async def active_session_count(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(select(func.count()).select_from(StaffSession)
                                   .where(col(StaffSession.expires_at) > now))
    return int(result.scalar_one())
