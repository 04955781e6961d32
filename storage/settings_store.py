"""Small persisted values: the demo clock's offset and whether a database is a demo."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Setting

DEMO_CLOCK = "demo_clock_offset_seconds"


async def get_value(session: AsyncSession, key: str) -> str | None:
    row = await session.get(Setting, key)
    return row.value if row else None


async def set_value(session: AsyncSession, key: str, value: str) -> None:
    row = await session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
