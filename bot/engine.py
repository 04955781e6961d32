"""Runs one inbound message (or one due job) through handlers/ in one transaction."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

import handlers.router as router
from bot.channels import medium_of, render_text
from bot.clock import Clock
from bot.metrics import count_inbound
from bot.settings import Settings
from handlers.base import Inbound, Policy, Reply, Turn
from handlers.jobs import CONTACT_JOBS, SYSTEM_JOBS
from handlers.staff import StaffTurn, staff_handler_for
from messages import Texts
from storage.db import Database
from storage.jobs import claim_due
from storage.models import (
    ChannelAddress,
    Contact,
    ConversationState,
    Job,
    Outbox,
)
from storage.people import address_for, erase_contact, lock_state, record_inbound
from storage.queue import enqueue
from storage.staff import staff_by_telegram

STAFF_CHANNELS = ("telegram", "sim-telegram")  # staff commands come over Telegram

log = logging.getLogger("jobbtorg.engine")


def policy_from(settings: Settings) -> Policy:
    start, end = settings.quiet_hours.split("-")
    return Policy(zone=settings.zone, reminders=tuple(settings.reminder_offsets),
                  quiet_hours=(start.strip(), end.strip()),
                  survey_delay_days=settings.survey_delay_days,
                  sms_price_sek=settings.sms_price_sek, sms_approval_sek=settings.sms_approval_sek)


def clean(inbound: Inbound) -> Inbound:
    """Drop control characters (PostgreSQL refuses NUL in text; none mean anything here)."""
    def strip(text: str | None) -> str | None:
        if text is None:
            return None
        return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return replace(inbound, text=strip(inbound.text), choice=strip(inbound.choice),
                   start_payload=strip(inbound.start_payload))


class _Duplicate(Exception):
    """Raised inside a turn's transaction when its provider id was seen before."""


@dataclass
class Rendered:
    """A reply as the person's channel shows it."""

    text: str
    options: list[dict[str, str]]
    attachments: list[dict[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "options": self.options, "attachments": self.attachments}


def render_turn(channel: str, replies: list[Reply], texts: Texts) -> list[Rendered]:
    """The turn's replies as the channel shows them; only the last carries options."""
    rendered = []
    for index, reply in enumerate(replies):
        options = [o.as_dict() for o in reply.options] if index == len(replies) - 1 else []
        shown = replace(reply, options=reply.options if options else [])
        rendered.append(Rendered(render_text(channel, shown, texts), options,
                                 [{"filename": a.filename, "content_type": a.content_type}
                                  for a in reply.attachments]))
    return rendered


@dataclass
class Handled:
    """What a turn produced: the replies as sent, and whether it was a repeat delivery."""

    replies: list[Rendered]
    duplicate: bool = False
    contact_id: int | None = None


class Engine:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.policy = policy_from(settings)

    async def handle(
        self, channel: str, address: str, inbound: Inbound, provider_id: str | None = None
    ) -> Handled:
        """Handle one message from a person. A provider id seen before is not handled again."""
        now = self.clock.now()
        count_inbound(channel)
        inbound = clean(inbound)
        try:
            return await self._handle(channel, address, inbound, provider_id, now)
        except _Duplicate:  # the transaction was rolled back: nothing of this turn is kept
            count_inbound(channel, duplicate=True)
            return Handled([], duplicate=True)

    async def _handle(self, channel: str, address: str, inbound: Inbound,
                      provider_id: str | None, now: datetime) -> Handled:
        # One transaction per message, with as few round trips as the turn allows: the
        # inbound webhook's throughput is bounded by them.
        async with self.db.transaction() as session:
            if inbound.sender_id is not None and channel in STAFF_CHANNELS:
                staff_reply = await self._handle_staff(session, channel, address, inbound,
                                                       provider_id, now)
                if staff_reply is not None:
                    return staff_reply
            row, is_new = await address_for(session, channel, address, now)
            # Lock first, then read the contact, so a turn waiting for the lock sees what
            # the turn before it saved.
            state = await lock_state(session, row.contact_id, now)
            contact = await session.get(Contact, row.contact_id, populate_existing=True)
            assert contact is not None and contact.id is not None
            if provider_id is not None and await record_inbound(
                    session, channel, provider_id, now, inbound.kind,
                    (inbound.text or inbound.choice or "")[:4000] or None,
                    contact_id=contact.id) is None:
                raise _Duplicate
            turn = self._turn(session, contact, row, state, inbound, now)
            await router.handle(turn, is_new)
            contact.last_active_at = now
            rendered = await self._finish(turn)
            return Handled(rendered, contact_id=None if turn.erased else contact.id)

    async def _handle_staff(self, session: AsyncSession, channel: str, address: str,
                            inbound: Inbound, provider_id: str | None,
                            now: datetime) -> Handled | None:
        """A linked staff user's command; None when the sender is not staff or it is no
        staff command (then the message is handled as a participant's)."""
        staff = await staff_by_telegram(session, inbound.sender_id)  # type: ignore[arg-type]
        if staff is None:
            return None
        turn = StaffTurn(session, staff, inbound, now, self.policy)
        handler = staff_handler_for(turn)
        if handler is None:
            return None
        if provider_id is not None and await record_inbound(
                session, channel, provider_id, now, "staff") is None:
            raise _Duplicate
        await handler(turn)
        rendered = render_turn(channel, turn.replies, turn.t)
        for shown in rendered:
            session.add(Outbox(channel=channel, to_address=address, text=shown.text,
                               options=shown.options, created_at=now, next_attempt_at=now))
        return Handled(rendered)

    def _turn(self, session: AsyncSession, contact: Contact, address: ChannelAddress,
              state: ConversationState, inbound: Inbound, now: datetime) -> Turn:
        return Turn(session=session, contact=contact, address=address, state=state,
                    inbound=inbound, now=now, medium=medium_of(address.channel),
                    policy=self.policy)

    async def _finish(self, turn: Turn, priority: int = 0) -> list[Rendered]:
        """Save the state and queue the replies; erase the person if the turn asked to."""
        turn.state.version += 1
        turn.state.updated_at = turn.now
        texts = Texts(turn.contact.language)
        if turn.erased:
            await erase_contact(turn.session, turn.contact, turn.erase_reason, turn.now)
        rendered = render_turn(turn.address.channel, turn.replies, texts)
        for reply, shown in zip(turn.replies, rendered, strict=True):
            await enqueue(turn.session, turn.address, shown.text, turn.now, flush=False,
                          options=shown.options, priority=priority, ephemeral=turn.erased)
            for item in reply.attachments:
                await enqueue(turn.session, turn.address, "", turn.now, priority=priority,
                              attachment=(item.filename, item.content_type, item.content),
                              ephemeral=turn.erased, flush=False)
        await turn.session.flush()
        return rendered

    async def run_due_jobs(self, limit: int = 50) -> int:
        """Run every job due by the clock's now, in due order. Returns how many ran."""
        total = 0
        while True:
            ran = await self._run_batch(limit)
            total += ran
            if ran < limit:
                return total

    async def _run_batch(self, limit: int) -> int:
        now = self.clock.now()
        async with self.db.transaction() as session:
            jobs = await claim_due(session, now, limit)
            for job in jobs:
                try:
                    async with session.begin_nested():
                        await self._run_job(session, job, now)
                    job.status = "done"
                except Exception as exc:  # one bad job must not stop the others
                    log.exception("job_failed", extra={"event": "job_failed", "kind": job.kind})
                    job.status = "failed" if job.attempts >= 4 else "pending"
                    job.attempts += 1
                    job.error = type(exc).__name__
                job.done_at = now
            return len(jobs)

    async def _run_job(self, session: AsyncSession, job: Job, now: datetime) -> None:
        if job.kind in SYSTEM_JOBS:
            await SYSTEM_JOBS[job.kind](session, job.payload, job.due_at)
            return
        handler = CONTACT_JOBS.get(job.kind)
        if handler is None or job.contact_id is None:
            raise LookupError(f"no handler for job kind {job.kind}")
        contact = await session.get(Contact, job.contact_id)
        if contact is None:
            return  # erased since; nothing to do
        address = await self._address_for_job(session, contact.id, job.payload)  # type: ignore[arg-type]
        if address is None:
            return  # opted out or unreachable everywhere: nothing is sent
        state = await lock_state(session, job.contact_id, now)
        # The job acts at its due time, so texts and follow-ups use that moment.
        turn = self._turn(session, contact, address, state, Inbound(kind="job"), job.due_at)
        await handler(turn, job.payload)
        await self._finish(turn, priority=int(job.payload.get("priority", 0)))

    async def _address_for_job(self, session: AsyncSession, contact_id: int,
                               payload: dict[str, Any]) -> ChannelAddress | None:
        statement = select(ChannelAddress).where(
            ChannelAddress.contact_id == contact_id,
            ChannelAddress.opted_out.is_(False),  # type: ignore[attr-defined]
            ChannelAddress.unreachable.is_(False),  # type: ignore[attr-defined]
        )
        if payload.get("address_id"):
            statement = statement.where(ChannelAddress.id == payload["address_id"])
        statement = statement.order_by(ChannelAddress.id.desc())  # type: ignore[union-attr]
        return (await session.execute(statement.limit(1))).scalar_one_or_none()
