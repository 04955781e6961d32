"""Runs one inbound message (or one due job) through handlers/ in one transaction."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

import handlers.router as router
from bot.clock import Clock
from bot.group_commit import GroupCommit
from bot.media import is_unicode, render_text
from bot.metrics import count_inbound, observe_batch
from bot.settings import Settings
from handlers.ages import without_id_numbers
from handlers.base import Inbound, Policy, Reply, Turn
from handlers.handoff import OPEN, remember_open_requests
from handlers.parts import Parts
from handlers.staff import StaffTurn, staff_handler_for
from messages import Texts
from storage.batch_facts import batch_facts
from storage.capabilities import CHANNELS
from storage.db import Database
from storage.erasure import erase_contact
from storage.jobs import acts_at, claim_due, retry_later
from storage.models import (
    ChannelAddress,
    Contact,
    ConversationState,
    Job,
    Outbox,
)
from storage.people import (
    Person,
    lock_state,
    people_for,
    record_inbound,
    record_inbound_many,
)
from storage.queue import outbox_row, write_outbox
from storage.staff import staff_by_telegram

log = logging.getLogger("jobbtorg.engine")


def policy_from(settings: Settings) -> Policy:
    start, end = settings.quiet_hours.split("-")
    return Policy(zone=settings.zone, reminders=tuple(settings.reminder_offsets),
                  quiet_hours=(start.strip(), end.strip()),
                  survey_delay_days=settings.survey_delay_days,
                  retention_months=settings.retention_months,
                  sms_approval_sek=settings.sms_approval_sek)


def clean(inbound: Inbound) -> Inbound:
    """Drop control characters (PostgreSQL refuses NUL in text; none mean anything here)
    and replace a lone surrogate (valid JSON, but no UTF-8 can store it)."""
    def strip(text: str | None) -> str | None:
        if text is None:
            return None
        if not is_unicode(text):
            text = text.encode("utf-8", "replace").decode("utf-8")
        return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return replace(inbound, text=strip(inbound.text), choice=strip(inbound.choice),
                   start_payload=strip(inbound.start_payload))


class _Duplicate(Exception):
    """Raised inside a turn's transaction when its provider id was seen before."""


class _Alone(Exception):
    """Raised inside a batch's transaction when its messages must each go alone."""


@dataclass(frozen=True)
class Message:
    """One message from a person, waiting for its turn."""

    channel: str
    address: str
    inbound: Inbound
    provider_id: str | None
    now: datetime

    @property
    def provider_key(self) -> tuple[str, str] | None:
        return None if self.provider_id is None else (self.channel, self.provider_id)

    @property
    def address_key(self) -> tuple[str, str]:
        return (self.channel, self.address)


def _staff_sender(message: Message) -> int | None:
    """The sender's user id on a channel where staff write too (Telegram), else None."""
    if message.inbound.sender_id is None or not CHANNELS.of(message.channel).staff:
        return None
    return message.inbound.sender_id


# Last active is for retention and segments, which count in days; writing it on every
# message would cost an UPDATE of the contact in nearly every batch.
LAST_ACTIVE_STEP = timedelta(minutes=10)


def touch(contact: Contact, now: datetime) -> None:
    if contact.last_active_at is None or now - contact.last_active_at >= LAST_ACTIVE_STEP:
        contact.last_active_at = now


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
    """`parts`: the flows, hooks, jobs and staff commands the root built it with."""

    def __init__(self, db: Database, settings: Settings, clock: Clock, parts: Parts) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.parts = parts
        self.policy = policy_from(settings)
        self.batches = GroupCommit(self._handle_batch, max_batch=settings.inbound_batch,
                                   key=lambda message: message.address_key)

    async def handle(
        self, channel: str, address: str, inbound: Inbound, provider_id: str | None = None
    ) -> Handled:
        """Handle one message from a person. A provider id seen before is not handled again.

        Messages arriving together are handled in one transaction (bot/group_commit.py)."""
        count_inbound(channel)
        message = Message(channel, address, clean(inbound), provider_id, self.clock.now())
        handled = await self.batches.submit(message)
        if handled.duplicate:
            count_inbound(channel, duplicate=True)
        return handled

    async def _handle_batch(self, messages: list[Message]) -> list[Handled | BaseException]:
        if len(messages) == 1:  # nothing to split
            observe_batch(1, split=False)
            return [await self._handle_alone(messages[0])]
        try:
            handled = await self._handle_together(messages)
            observe_batch(len(messages), split=False)
            return handled
        except _Alone:
            pass
        except Exception as exc:  # one turn failed, or a race: undo all and go one by one
            log.warning("inbound_batch_split", extra={"event": "inbound_batch_split",
                                                      "size": len(messages),
                                                      "error": type(exc).__name__})
        observe_batch(len(messages), split=True)
        return [await self._handle_alone(message) for message in messages]

    async def _handle_alone(self, message: Message) -> Handled | BaseException:
        try:
            return (await self._handle_together([message]))[0]
        except _Duplicate:  # the transaction was rolled back: nothing of this turn is kept
            return Handled([], duplicate=True)
        except Exception as exc:  # this message's caller answers with an error
            return exc

    async def _handle_together(self, messages: list[Message]) -> list[Handled | BaseException]:
        """Every message in one transaction, reading and locking for all at once. Raises
        when any turn fails, so that the caller can undo the batch and go one by one."""
        results: list[Handled | BaseException] = [Handled([], duplicate=True)] * len(messages)
        async with self.db.transaction() as session:
            # Repeats, staff and open hand-offs: one statement before anyone is locked.
            facts = await batch_facts(session, [key for m in messages if (key := m.provider_key)],
                                      {sender for m in messages if (sender := _staff_sender(m))},
                                      OPEN)
            remember_open_requests(session, facts.open_requests)
            taken = facts.seen
            fresh: list[int] = []  # the messages not seen before, by index
            for index, message in enumerate(messages):
                if (key := message.provider_key) is not None:
                    if key in taken:
                        continue
                    taken.add(key)
                fresh.append(index)
            if not fresh:
                return results
            if staff := await self._staff_command(session, [messages[i] for i in fresh],
                                                  facts.staff):
                results[fresh[0]] = staff
                return results
            now = messages[fresh[0]].now
            people = await people_for(session, [messages[i].address_key for i in fresh], now)
            recorded = [self._inbound_row(messages[i], people[messages[i].address_key])
                        for i in fresh if messages[i].provider_id is not None]
            if len(await record_inbound_many(session, recorded)) < len(recorded):
                raise _Duplicate  # recorded meanwhile by another process
            earlier: set[int] = set()  # people with a turn earlier in this batch
            erased: set[int] = set()
            replies: list[dict[str, Any]] = []  # written together at the end
            for index in fresh:
                message = messages[index]
                person = people[message.address_key]
                contact_id = person.address.contact_id
                if contact_id in erased:
                    raise _Alone  # erased by a turn earlier in this batch
                if contact_id in earlier:  # write their replies before this turn reads
                    await write_outbox(session, replies)
                    replies.clear()
                turn = self._turn(session, person.contact, person.address, person.state,
                                  message.inbound, message.now)
                await router.handle(turn, person.is_new and contact_id not in earlier)
                earlier.add(contact_id)
                touch(person.contact, message.now)
                rendered, rows = await self._finish(turn)
                replies += rows
                if turn.erased:
                    erased.add(contact_id)
                results[index] = Handled(rendered, contact_id=None if turn.erased else contact_id)
            await write_outbox(session, replies)
        return results

    @staticmethod
    def _inbound_row(message: Message, person: Person) -> dict[str, Any]:
        inbound = message.inbound
        return {"channel": message.channel, "provider_id": message.provider_id,
                "received_at": message.now, "kind": inbound.kind,
                # A personnummer typed (at the age question) is read, never kept.
                "text": without_id_numbers((inbound.text or inbound.choice or "")[:4000]) or None,
                "contact_id": person.address.contact_id}

    async def _staff_command(self, session: AsyncSession, messages: list[Message],
                             staff_ids: set[int]) -> Handled | None:
        """A linked staff user's command, handled when it is the only message; None when no
        sender is staff (`staff_ids`: the active staff among the senders), or it is no
        staff command (then it is a participant's message). Staff in a batch of several
        make each message go alone."""
        if not any(_staff_sender(m) in staff_ids for m in messages):
            return None
        if len(messages) > 1:
            raise _Alone
        message = messages[0]
        staff = await staff_by_telegram(session, message.inbound.sender_id)  # type: ignore[arg-type]
        assert staff is not None
        turn = StaffTurn(session, staff, message.inbound, message.now, self.policy)
        handler = staff_handler_for(turn, self.parts.staff)
        if handler is None:
            return None
        if message.provider_id is not None and await record_inbound(
                session, message.channel, message.provider_id, message.now, "staff") is None:
            raise _Duplicate
        await handler(turn)
        rendered = render_turn(message.channel, turn.replies, turn.t)
        for shown in rendered:  # to the staff user's chat, which is no participant's address
            session.add(Outbox(channel=message.channel, to_address=message.address,
                               text=shown.text, options=shown.options, created_at=message.now,
                               next_attempt_at=message.now))
        return Handled(rendered)

    def _turn(self, session: AsyncSession, contact: Contact, address: ChannelAddress,
              state: ConversationState, inbound: Inbound, now: datetime) -> Turn:
        return Turn(session=session, contact=contact, address=address, state=state,
                    inbound=inbound, now=now, medium=CHANNELS.of(address.channel).medium,
                    policy=self.policy, parts=self.parts)

    async def _finish(self, turn: Turn, priority: int = 0,
                      started: bool = False) -> tuple[list[Rendered], list[dict[str, Any]]]:
        """Save the state and erase the person if the turn asked to. Returns the replies
        as shown, and as outbox rows for the caller to write (`write_outbox`). `started`:
        the bot starts these messages (a timed job), so each row says its kind and fields."""
        turn.state.version += 1
        turn.state.updated_at = turn.now
        texts = Texts(turn.contact.language)
        if turn.erased:
            await erase_contact(turn.session, turn.contact, turn.erase_reason, turn.now)
        rendered = render_turn(turn.address.channel, turn.replies, texts)
        rows = []
        for reply, shown in zip(turn.replies, rendered, strict=True):
            rows.append(outbox_row(turn.address, shown.text, turn.now, options=shown.options,
                                   priority=priority, ephemeral=turn.erased,
                                   kind=reply.kind if started else None,
                                   fields=reply.fields if started and reply.kind else None))
            rows += [outbox_row(turn.address, "", turn.now, priority=priority, ephemeral=turn.erased,
                                attachment=(item.filename, item.content_type, item.content))
                     for item in reply.attachments]
        return rendered, rows

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
                    job.status, job.done_at = "done", now
                except Exception as exc:  # one bad job must not stop the others
                    log.exception("job_failed", extra={"event": "job_failed", "kind": job.kind})
                    retry_later(job, now, type(exc).__name__)
            return len(jobs)

    async def _run_job(self, session: AsyncSession, job: Job, now: datetime) -> None:
        moment = acts_at(job)
        if job.kind in self.parts.system_jobs:
            await self.parts.system_jobs[job.kind](session, job.payload, moment)
            return
        handler = self.parts.contact_jobs.get(job.kind)
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
        turn = self._turn(session, contact, address, state, Inbound(kind="job"), moment)
        if now > moment:
            turn.ran_at = now  # run late: a job that sends may check the real moment
        await handler(turn, job.payload)
        _, replies = await self._finish(turn, priority=int(job.payload.get("priority", 0)),
                                        started=True)
        await write_outbox(session, replies)

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
