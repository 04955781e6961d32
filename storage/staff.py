"""Queries about staff users and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import AuditLog, StaffUser

ROLES = ("admin", "outreach", "coach", "analyst")


async def staff_by_username(session: AsyncSession, username: str) -> StaffUser | None:
    result = await session.execute(select(StaffUser).where(StaffUser.username == username))
    return result.scalar_one_or_none()


async def staff_by_telegram(session: AsyncSession, telegram_user_id: int) -> StaffUser | None:
    result = await session.execute(
        select(StaffUser).where(StaffUser.telegram_user_id == telegram_user_id,
                                StaffUser.active.is_(True))  # type: ignore[attr-defined]
    )
    return result.scalar_one_or_none()


async def staff_telegram_ids(session: AsyncSession, telegram_user_ids: set[int]) -> set[int]:
    """Which of these Telegram users are active staff."""
    result = await session.execute(
        select(StaffUser.telegram_user_id).where(
            col(StaffUser.telegram_user_id).in_(telegram_user_ids),
            col(StaffUser.active).is_(True)))
    return {user_id for user_id in result.scalars() if user_id is not None}


async def audit(session: AsyncSession, now: datetime, actor: str, action: str,
                contact_id: int | None = None, detail: str | None = None) -> None:
    """Record that someone read or changed a person's data."""
    session.add(AuditLog(at=now, actor=actor, action=action, contact_id=contact_id,
                         detail=detail[:400] if detail else None))
