"""The hand-off inbox: coaches read a person's conversation and answer in the person's channel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.web.dashboard.core import (
    ADMIN,
    COACH,
    Pages,
    Staff,
    back_to,
    error_key,
    fill_badges,
    int_param,
    not_found,
    refuse,
    render,
    services_of,
)
from handlers.gsm7 import is_gsm7, non_gsm7_characters, sms_segments
from handlers.handoff import unread, unread_count
from storage.capabilities import CHANNELS
from storage.models import ChannelAddress, Contact, HandoffRequest, InboundMessage, Outbox, Unit
from storage.people import addresses_of
from storage.queue import REPLY, enqueue
from storage.staff import audit

pages = Pages()  # this area's pages, listed in bot/root.py

STATUSES = ("open", "answered", "closed")
MAX_ANSWER = 1600  # Twilio refuses longer bodies; Telegram allows 4096
MAX_SMS_SEGMENTS = 10
HISTORY = 60

pages.nav("/staff/handoffs", "staff.web.nav.handoffs", COACH, ADMIN)
# How an outbound message's status reads to a coach; anything else reads as "waiting".
DELIVERY = ("queued", "sent", "delivered", "read", "failed", "cancelled")
INTERNAL_KEY = re.compile(r"^[\w-]+(:[\w-]+)+$")  # "rsvp:2:wait", "staff:visit:3:attended"


async def count_unread(staff: Staff) -> int:
    async with staff.services.db.transaction() as session:
        return await unread_count(session, staff.unit_scope)


pages.counts["/staff/handoffs"] = count_unread


@dataclass
class Line:
    """One message in a conversation, from the person or to them."""

    at: datetime
    incoming: bool
    text: str
    status: str = ""  # an outbound message's delivery status, one of DELIVERY
    pressed: bool = False  # the person pressed an option; `text` is its label


def is_sms(channel: str) -> bool:
    """Whether an answer over `channel` is counted in SMS segments (the counter shows them)."""
    return CHANNELS.of(channel).segmented


async def conversation(session: AsyncSession, contact_id: int) -> list[Line]:
    """The latest messages both ways, oldest first, as a coach reads them: a pressed
    option shows its label (never a key such as "rsvp:2:wait"), an outbound message its
    true delivery status (a cancelled SMS was never sent)."""
    inbound = await session.execute(
        select(InboundMessage).where(col(InboundMessage.contact_id) == contact_id,
                                     col(InboundMessage.text).is_not(None))
        .order_by(col(InboundMessage.received_at).desc()).limit(HISTORY))
    outbound = await session.execute(
        select(Outbox).where(col(Outbox.contact_id) == contact_id, col(Outbox.text) != "")
        .order_by(col(Outbox.created_at).desc()).limit(HISTORY))
    sent = sorted(outbound.scalars(), key=lambda m: (m.created_at, m.id or 0))
    lines = [Line(m.sent_at or m.created_at, False, m.text,
                  m.status if m.status in DELIVERY else "queued") for m in sent]
    for message in inbound.scalars():
        text, pressed = as_read(message, sent)
        lines.append(Line(message.received_at, True, text, pressed=pressed))
    lines.sort(key=lambda line: (line.at, not line.incoming))  # a message before its replies
    return lines[-HISTORY:]


def as_read(message: InboundMessage, sent: list[Outbox]) -> tuple[str, bool]:
    """What the person sent, in words: an option key becomes the label of the option
    it was offered with (the latest message before it that offered the key), and a
    number typed at a numbered list says which option it is: "1 (Ja)"."""
    text = message.text or ""
    before = [m for m in sent if m.created_at < message.received_at]  # not its own replies
    if text.isdigit() and before and before[-1].options:  # a number from a numbered list
        index = int(text) - 1
        if 0 <= index < len(before[-1].options):
            return f"{text} ({before[-1].options[index].get('label', '')})", False
    for earlier in reversed(before):
        label = next((o.get("label") for o in earlier.options or [] if o.get("key") == text),
                     None)
        if label:
            return label, True
    if INTERNAL_KEY.match(text):
        return "", True  # an option no longer known: say only that one was pressed
    return text, False


async def answer_address(session: AsyncSession, contact_id: int) -> ChannelAddress | None:
    """Where to answer: the channel the person last wrote from, else any address that works."""
    usable = [a for a in await addresses_of(session, contact_id)
              if not a.opted_out and not a.unreachable]
    if not usable:
        return None
    last = await session.execute(
        select(InboundMessage.channel).where(col(InboundMessage.contact_id) == contact_id)
        .order_by(col(InboundMessage.received_at).desc()).limit(1))
    channel = last.scalar_one_or_none()
    for address in usable:
        if address.channel == channel:
            return address
    return max(usable, key=lambda a: a.id or 0)


async def _handoff_in_scope(session: AsyncSession, staff: Staff,
                            handoff_id: int) -> HandoffRequest | None:
    handoff = await session.get(HandoffRequest, handoff_id)
    if handoff is None or not staff.may_see_unit(handoff.unit_id):
        return None  # another unit's request is "not found", not "forbidden"
    return handoff


@pages.page("GET", "/staff/handoffs", COACH, ADMIN)
async def inbox(request: web.Request, staff: Staff) -> web.StreamResponse:
    status = request.query.get("status", "open")
    if status not in STATUSES:
        status = "open"
    is_unread = unread().label("unread")
    statement = (
        select(HandoffRequest, Contact.first_name, col(Unit.name), is_unread)
        .join(Contact, col(Contact.id) == col(HandoffRequest.contact_id))
        .outerjoin(Unit, col(Unit.id) == col(HandoffRequest.unit_id))
        .where(col(HandoffRequest.status) == status)
        .order_by(is_unread.desc(), col(HandoffRequest.created_at))  # unread first
        .limit(200))
    scope = staff.unit_scope
    if scope is not None:
        statement = statement.where(col(HandoffRequest.unit_id) == scope)
    async with services_of(request).db.transaction() as session:
        rows = (await session.execute(statement)).all()
        for handoff, _, _, _ in rows:  # first names of people are personal data
            await audit(session, staff.now(), staff.name, "view.handoff_list",
                        contact_id=handoff.contact_id)
    return render(request, staff, "staff/handoffs.html", rows=rows, shown=status,
                  statuses=STATUSES)


@pages.page("GET", "/staff/handoffs/{id}", COACH, ADMIN)
async def detail(request: web.Request, staff: Staff) -> web.StreamResponse:
    handoff_id = int_param(request, "id")
    async with services_of(request).db.transaction() as session:
        handoff = await _handoff_in_scope(session, staff, handoff_id or 0)
        if handoff is None:
            return not_found(request, staff)
        contact = await session.get(Contact, handoff.contact_id)
        lines = await conversation(session, handoff.contact_id)
        address = await answer_address(session, handoff.contact_id)
        await audit(session, staff.now(), staff.name, "view.conversation",
                    contact_id=handoff.contact_id, detail=f"handoff {handoff.id}")
        handoff.read_at = staff.now()
    await fill_badges(request, staff)  # this thread is read now
    older, recent = since_request(lines, handoff.created_at)
    return render(request, staff, "staff/handoff.html", handoff=handoff, contact=contact,
                  lines=recent, older=older, address=address, sms=bool(address and is_sms(address.channel)),
                  max_answer=MAX_ANSWER, error=error_key(request, "staff.web.handoff."))


def since_request(lines: list[Line], asked_at: datetime) -> tuple[list[Line], list[Line]]:
    """(older history, the request and what came after it): the thread opens with the
    person's last message up to the moment they asked for a human, and what followed."""
    start = next((i for i in range(len(lines) - 1, -1, -1)
                  if lines[i].incoming and lines[i].at <= asked_at), None)
    if start is None:
        start = next((i for i, line in enumerate(lines) if line.at >= asked_at), len(lines))
    return lines[:start], lines[start:]


def answer_problem(text: str, sms: bool) -> str | None:
    """Why an answer cannot be sent as written, as a catalog key, or None."""
    if not text.strip():
        return "staff.web.handoff.answer_empty"
    if len(text) > MAX_ANSWER:
        return "staff.web.handoff.answer_long"
    if sms and sms_segments(text) > MAX_SMS_SEGMENTS:
        return "staff.web.handoff.answer_long"
    return None


@pages.page("POST", "/staff/handoffs/{id}/answer", COACH, ADMIN)
async def answer(request: web.Request, staff: Staff) -> web.StreamResponse:
    handoff_id = int_param(request, "id") or 0
    text = staff.form.get("text", "").replace("\r\n", "\n")
    path = f"/staff/handoffs/{handoff_id}"
    async with services_of(request).db.transaction() as session:
        handoff = await _handoff_in_scope(session, staff, handoff_id)
        if handoff is None:
            return not_found(request, staff)
        address = await answer_address(session, handoff.contact_id)
        if address is None:
            return back_to(path, error="staff.web.handoff.no_address")
        problem = answer_problem(text, is_sms(address.channel))
        if problem:
            return back_to(path, error=problem)
        await enqueue(session, address, text.strip(), staff.now(), priority=REPLY)
        handoff.status = "answered"
        detail = f"handoff {handoff.id} via {address.channel}"
        if is_sms(address.channel) and not is_gsm7(text):
            detail += f", UCS-2 for {''.join(non_gsm7_characters(text))[:20]!r}"
        await audit(session, staff.now(), staff.name, "handoff.answer",
                    contact_id=handoff.contact_id, detail=detail)
    return back_to(path, "staff.web.done.answer_queued")


@pages.page("POST", "/staff/handoffs/{id}/close", COACH, ADMIN)
async def close(request: web.Request, staff: Staff) -> web.StreamResponse:
    handoff_id = int_param(request, "id") or 0
    async with services_of(request).db.transaction() as session:
        handoff = await _handoff_in_scope(session, staff, handoff_id)
        if handoff is None:
            return not_found(request, staff)
        if handoff.status == "closed":
            return refuse(request, staff, "staff.web.error.already_done", 409)
        handoff.status, handoff.closed_at = "closed", staff.now()
        await audit(session, staff.now(), staff.name, "handoff.close",
                    contact_id=handoff.contact_id, detail=f"handoff {handoff.id}")
    return back_to("/staff/handoffs", "staff.web.done.handoff_closed")
