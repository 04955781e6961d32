"""Asking to talk to a person, and the thread that follows.

A person has at most one open request: asking again joins it ("ring mig" at any step
asks too). While it is open, what the person writes at the menu goes to its thread (the
dashboard shows it) instead of "I did not understand"; the first message of each round
is acknowledged once, and the coaches of the person's unit who linked their Telegram are
told. Whatever else they write while it is open (in the middle of a booking, a survey
answer) is in the thread too, so it marks the thread unread the same way
(`into_open_thread`, run by the router after each message). Telling them is an
explicit effect of these use cases (`notify_coaches`), in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from handlers.base import Turn, consented, options
from handlers.choices import fold
from handlers.flow import Flow, OneStep, ask_again, go, pick, reask
from handlers.onboarding import YES_NO_ALIASES
from messages import Texts
from storage.capabilities import CHANNELS
from storage.models import AuditLog, Contact, HandoffRequest, Outbox, StaffUser, Unit

handoff: Flow[OneStep] = Flow("handoff")

OPEN = ("open", "answered")  # answered: the coach wrote back; the person may go on
HANDOFF_WORKING_DAYS = 2
CALL_WORDS = ("ring", "call", "phone", "telefon")  # "ring mig", "ringa mig", "call me"


def asks_for_a_call(text: str) -> bool:
    return any(word.startswith(CALL_WORDS) for word in fold(text).split())


def unread() -> ColumnElement[bool]:
    """A request with something from the person that no coach has opened since."""
    last = func.coalesce(col(HandoffRequest.last_message_at), col(HandoffRequest.created_at))
    return and_(col(HandoffRequest.status) != "closed",
                or_(col(HandoffRequest.read_at).is_(None), col(HandoffRequest.read_at) < last))


OPEN_HANDOFFS = "open_handoffs"  # the session.info key of the transaction's memo


async def people_with_open_requests(session: AsyncSession) -> set[int]:
    """Who has an open request, read once per transaction: every turn of a batch asks,
    and open requests are few."""
    memo: set[int] | None = session.info.get(OPEN_HANDOFFS)
    if memo is None:
        result = await session.execute(select(col(HandoffRequest.contact_id)).where(
            col(HandoffRequest.status).in_(OPEN)))
        memo = session.info[OPEN_HANDOFFS] = set(result.scalars())
    return memo


def remember_open_requests(session: AsyncSession, contact_ids: set[int]) -> None:
    """Who has an open request, read by the caller with its other facts about the batch
    (`storage.batch_facts`): the transaction's memo, so that no turn reads it again."""
    session.info[OPEN_HANDOFFS] = set(contact_ids)


async def open_request(session: AsyncSession, contact_id: int) -> HandoffRequest | None:
    result = await session.execute(
        select(HandoffRequest).where(col(HandoffRequest.contact_id) == contact_id,
                                     col(HandoffRequest.status).in_(OPEN))
        .order_by(col(HandoffRequest.id).desc()).limit(1))
    return result.scalars().first()


async def ask_for_person(session: AsyncSession, contact: Contact, now: datetime,
                         call: bool = False) -> tuple[HandoffRequest, bool]:
    """Open a request for the person, or join the open one. True when it is new. The
    coaches' notice says when the person asked to be called ("ring mig")."""
    assert contact.id is not None
    request = await open_request(session, contact.id)
    if request is not None:
        await add_to_thread(session, request, now)
        return request, False
    request = HandoffRequest(contact_id=contact.id, unit_id=contact.unit_id, created_at=now,
                             last_message_at=now)
    session.add(request)
    await session.flush()
    if (memo := session.info.get(OPEN_HANDOFFS)) is not None:
        memo.add(contact.id)
    await notify_coaches(session, request, now,
                         "staff.handoff.new_call" if call else "staff.handoff.new")
    return request, True


async def add_to_thread(session: AsyncSession, request: HandoffRequest, now: datetime) -> None:
    """The person wrote into the thread (their message itself is kept as every inbound
    is). The coaches are told when the thread had been read (or answered) since the last
    message: one notice per unread round, not one per message. A message counts once,
    however many steps of its turn add it."""
    if request.last_message_at == now:
        return
    previous = request.last_message_at or request.created_at
    seen = request.read_at is not None and request.read_at >= previous
    request.last_message_at = now
    if request.status == "answered":
        request.status = "open"  # the person answered back: it needs a coach again
        seen = True
    if seen:
        await notify_coaches(session, request, now, "staff.handoff.message")


async def into_open_thread(turn: Turn) -> None:
    """Whatever the person wrote while a request is open is in its thread (the dashboard
    shows every message), so it marks the thread unread, wherever in a flow they are."""
    with turn.session.no_autoflush:  # other rows: the turn's own changes need not go first
        waiting = await people_with_open_requests(turn.session)
    if turn.contact.id not in waiting:
        return
    request = await open_request(turn.session, turn.contact.id)
    if request is not None:
        await add_to_thread(turn.session, request, turn.now)


async def notify_coaches(session: AsyncSession, request: HandoffRequest, now: datetime,
                         key: str) -> int:
    """Queue a Telegram notice to each linked, active coach of the request's unit."""
    if request.unit_id is None:
        return 0
    coaches = (await session.execute(select(StaffUser).where(
        col(StaffUser.unit_id) == request.unit_id, col(StaffUser.role) == "coach",
        col(StaffUser.active).is_(True), col(StaffUser.telegram_user_id).is_not(None)))
    ).scalars().all()
    if not coaches:
        return 0
    unit = await session.get(Unit, request.unit_id)
    person = await session.get(Contact, request.contact_id)
    t = Texts("sv")
    topic = person.help_topic if person else None
    text = t(key, unit=unit.name if unit else "", contact_id=request.contact_id,
             handoff_id=request.id,
             name=f" ({person.first_name})" if person and person.first_name else "",
             topic=t(f"help.{topic}.short") if topic and t.has(f"help.{topic}.short") else "-")
    for coach in coaches:
        # To the coach's own chat, which is no participant's address.
        session.add(Outbox(channel=CHANNELS.staff_channel(), to_address=str(coach.telegram_user_id),
                           text=text, created_at=now, next_attempt_at=now,
                           about_contact_id=request.contact_id))  # emptied if they are erased
        session.add(AuditLog(at=now, actor=coach.username, action="handoff.notified",
                             contact_id=request.contact_id, detail=f"handoff {request.id}"))
    return len(coaches)


async def unread_count(session: AsyncSession, unit_scope: int | None | bool) -> int:
    """Unread threads a coach (of `unit_scope`; None: every unit) should open."""
    statement = select(func.count()).select_from(HandoffRequest).where(unread())
    if unit_scope is not None:
        statement = statement.where(col(HandoffRequest.unit_id) == unit_scope)
    return int((await session.execute(statement)).scalar_one())


# --- the conversation --------------------------------------------------------------------


async def record_request(turn: Turn, call: bool = False) -> None:
    """Open a request for the person (or join the open one) and say so. A call asked for
    by phone is promised on that number; from a chat app we have no number, so the coach
    answers here and the person may write one (we never ask for it)."""
    request, new = await ask_for_person(turn.session, turn.contact, turn.now, call)
    phone = ".phone" if turn.medium.phone else ""
    if new:
        key = f"handoff.recorded_call{phone}" if call else "handoff.recorded"
        turn.say(key, days=HANDOFF_WORKING_DAYS)
        return
    # this answer acknowledges what they wrote
    turn.say("handoff.already_open_call.phone" if call and phone else "handoff.already_open")
    turn.remember(handoff_ack=request.id)


async def request_person(turn: Turn, call: bool = False) -> None:
    """The person asked for someone (by the menu, "ring mig", or yes to the question)."""
    await record_request(turn, call)
    await go(turn, "menu")


async def asked_to_be_called(turn: Turn) -> None:
    """"ring mig" / "call me" at any step: the request, then the same question again (at
    the menu or the hand-off question: the menu). Before consent nothing may be kept: the
    person is told how to call us instead."""
    if not consented(turn):
        turn.say("handoff.not_yet")
        return await ask_again(turn)
    await record_request(turn, call=True)
    if turn.state.flow in ("menu", "handoff") or turn.state.step == "booked":
        return await go(turn, "menu")
    await ask_again(turn)


async def to_thread(turn: Turn) -> bool:
    """At the menu, words that are no menu choice go to an open request's thread.
    False when no request is open (the caller asks again)."""
    assert turn.contact.id is not None
    request = await open_request(turn.session, turn.contact.id)
    if request is None or not turn.text:
        return False
    answered = request.status == "answered"
    await add_to_thread(turn.session, request, turn.now)
    if turn.data.get("handoff_ack") != request.id or answered:
        turn.say("handoff.thread_ack")
        turn.remember(handoff_ack=request.id)
    return True


@handoff.asks("start")
async def ask_handoff(turn: Turn) -> None:
    turn.ask("handoff.question", options(turn.t, [("yes", "common.yes"), ("no", "common.no")]))


@handoff.answers("start")
async def answer_handoff(turn: Turn) -> None:
    key = await pick(turn, YES_NO_ALIASES)
    if key is None:
        return await reask(turn)
    if key == "yes":
        return await request_person(turn)
    await go(turn, "menu")
