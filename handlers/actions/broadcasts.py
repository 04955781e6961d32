"""Staff actions on broadcasts: an admin's approval, and stopping one.

Shared by the CLI, the dashboard and the staff Telegram commands; each edge parses its
input and presents the result or the `Refused` reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import broadcasts
from handlers.actions.bookings import Refused
from handlers.base import Policy
from storage.outreach import CANCELLED, SENT, Broadcast, broadcast_progress
from storage.staff import audit, staff_by_username


async def approve_broadcast(session: AsyncSession, policy: Policy, admin: str, now: datetime,
                            broadcast_id: int) -> Broadcast:
    """A named, active admin approves a broadcast waiting for approval; it then goes out.
    Raise Refused: not-admin, not-found, state."""
    staff = await staff_by_username(session, admin) if admin else None
    if staff is None or staff.role != "admin" or not staff.active:
        raise Refused("not-admin", f"{admin or 'nobody'} is not an active admin: "
                                   "approve with --by and an admin's username")
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise Refused("not-found", f"no broadcast {broadcast_id}")
    try:
        await broadcasts.approve(session, broadcast, staff.username, now, policy)
    except broadcasts.BroadcastError as error:
        raise Refused("state", str(error)) from None
    await audit(session, now, staff.username, "broadcast.approve",
                detail=f"broadcast {broadcast_id}, {broadcast.estimate_sek:.2f} SEK")
    return broadcast


async def cancel_broadcast(session: AsyncSession, actor: str, now: datetime,
                           broadcast_id: int) -> tuple[Broadcast, int]:
    """Stop a broadcast: no more batches, every queued message cancelled. One already
    cancelled, or sent with nothing left queued, is refused and keeps its status.
    Returns the broadcast and how many queued messages were stopped.
    Raise Refused: not-found, cancelled, finished."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise Refused("not-found", f"no broadcast {broadcast_id}")
    if broadcast.status == CANCELLED:
        raise Refused("cancelled", f"broadcast {broadcast_id} is already cancelled")
    if broadcast.status == SENT and not (await broadcast_progress(session, broadcast_id))["queued"]:
        raise Refused("finished", f"broadcast {broadcast_id} has finished: everything is sent")
    stopped = await broadcasts.cancel(session, broadcast, now)
    await audit(session, now, actor, "broadcast.cancel",
                detail=f"broadcast {broadcast_id}, {stopped} queued messages stopped")
    return broadcast, stopped
