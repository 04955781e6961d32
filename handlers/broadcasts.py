"""Broadcasts: what each recipient gets, the preview with its SMS cost, and sending in batches.

Sending is a system job that enqueues one batch of recipients (keyset on contact id) per
run and schedules the next run, so a broadcast to a million people never holds them in
memory, survives a restart, and stops at the next batch when cancelled. Bulk rows go to
the outbox at BULK priority, behind replies; rows of a channel that keeps quiet hours
(SMS) are held until they end. What each channel gets is decided by its capabilities
(storage.capabilities), never by its name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from handlers.base import Policy
from handlers.gsm7 import non_gsm7_characters, sms_segments
from handlers.jobs import Jobs
from messages import LANGUAGES, Texts
from storage.capabilities import CHANNELS, Capabilities
from storage.db import table_of
from storage.jobs import schedule
from storage.models import ConversationState, Job, Outbox
from storage.outreach import (
    AWAITING_APPROVAL,
    CANCELLED,
    DRAFT,
    INVITED,
    SCHEDULED,
    SENDING,
    SENT,
    Broadcast,
    Event,
    Rsvp,
    cancel_broadcast_rows,
)
from storage.people import dialect, insert_for
from storage.queue import BULK
from storage.segments import Segment, batch_after, counts_by_channel_and_language

BATCH = 2000  # recipients enqueued per job run
SEND_JOB = "broadcast-send"
jobs = Jobs()  # this feature's timed jobs, listed in bot/root.py
# The kinds of message a broadcast is, for approved templates (with an event: an invitation).
TEMPLATE_KIND, INVITATION_KIND = "broadcast", "invitation"
LOCALES = {"sv": "sv_SE", "en": "en_GB"}
WHEN_PATTERNS = {"sv": "EEEE d MMMM 'kl.' HH.mm", "en": "EEEE d MMMM 'at' HH:mm"}


# -- quiet hours -----------------------------------------------------------------------

def quiet_until(moment: datetime, quiet_hours: tuple[str, str], zone: ZoneInfo) -> datetime | None:
    """When `moment` falls in quiet hours (local wall-clock time), the UTC moment they end.

    The end is built from the local date and clock time in `zone`, so a night in which
    clocks change still ends at 08:00 local time (not ten elapsed hours after 22:00).
    """
    start, end = time.fromisoformat(quiet_hours[0]), time.fromisoformat(quiet_hours[1])
    local = moment.astimezone(zone)
    now = local.time().replace(tzinfo=None)
    if start == end:
        return None
    if start > end:  # the window wraps midnight, e.g. 20:00-08:00
        if now >= start:
            end_day = local.date() + timedelta(days=1)
        elif now < end:
            end_day = local.date()
        else:
            return None
    elif start <= now < end:
        end_day = local.date()
    else:
        return None
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


# -- what a recipient gets -------------------------------------------------------------

def event_when(starts_at: datetime, language: str, zone: ZoneInfo) -> str:
    """'torsdag 3 december kl. 10.00' / 'Thursday 3 December at 10:00'."""
    language = language if language in LOCALES else "sv"
    return format_datetime(starts_at.astimezone(zone), WHEN_PATTERNS[language],
                           locale=LOCALES[language], tzinfo=zone)


def text_language(texts: dict[str, str], language: str) -> str:
    """The language whose text a person gets: their own, else Swedish."""
    return language if texts.get(language, "").strip() else "sv"


def message_for(broadcast: Broadcast, event: Event | None, language: str, channel: Capabilities,
                zone: ZoneInfo) -> tuple[str, list[dict[str, str]]]:
    """(text, options) for one recipient language on one channel: an invitation's answers
    as buttons, or as words to type (JA, NEJ) where there are none; the stop hint where
    the channel asks for one."""
    used = text_language(broadcast.texts, language)
    t = Texts(used)
    body = broadcast.texts.get(used, "").strip()
    options: list[dict[str, str]] = []
    if event is not None and channel.medium.buttons:
        options = [{"key": f"rsvp:{event.id}:yes", "label": t("outreach.rsvp.yes")},
                   {"key": f"rsvp:{event.id}:no", "label": t("outreach.rsvp.no")}]
    return _joined([body, ending(event, used, channel, zone)]), options


def invitation_lines(event: Event | None, language: str, channel: Capabilities,
                     zone: ZoneInfo) -> list[str]:
    """The lines an event invitation adds after the staff's text (without buttons: how
    to answer)."""
    if event is None:
        return []
    t = Texts(language)
    lines = [t("outreach.invite.details", title=event.title,
               when=event_when(event.starts_at, language, zone), place=event.place)]
    if not channel.medium.buttons:
        lines.append(t("outreach.invite.sms_hint"))
    return lines


def ending(event: Event | None, language: str, channel: Capabilities, zone: ZoneInfo) -> str:
    """What a broadcast on `channel` has after the staff's text: the event's invitation
    lines, if any, and the STOP line where the channel asks for one."""
    footer = sms_footer(language) if channel.stop_hint else ""
    return _joined([*invitation_lines(event, language, channel, zone), footer])


def sms_ending(event: Event | None, language: str, zone: ZoneInfo) -> str:
    """What every broadcast priced per SMS segment has after the staff's text, in this
    language. The composer counts it as the preview does."""
    segmented = [caps for caps in CHANNELS.kinds().values() if caps.segmented]
    return ending(event, language, segmented[0], zone) if segmented else ""


def _joined(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def template_of(broadcast: Broadcast, event: Event | None, language: str,
                zone: ZoneInfo) -> tuple[str, dict[str, str]]:
    """(kind, fields) of a broadcast for an approved template: its text, and an
    invitation's title, time and place."""
    used = text_language(broadcast.texts, language)
    fields = {"text": broadcast.texts.get(used, "").strip()}
    if event is None:
        return TEMPLATE_KIND, fields
    return INVITATION_KIND, {**fields, "title": event.title, "place": event.place,
                             "when": event_when(event.starts_at, used, zone)}


def sms_footer(language: str) -> str:
    """The line every broadcast SMS ends with (how to stop them); counted in its cost."""
    return Texts(language)("outreach.sms_stop_hint")


# -- preview ---------------------------------------------------------------------------

def channel_counts(t: Texts, key: str, counts: dict[str, int]) -> str:
    """'3 via Telegram, 12 via SMS': people per channel kind in rank order, each said
    with `key` ({count}, {channel}); every kind when nobody is counted."""
    kinds = [kind for kind in CHANNELS.kinds() if counts.get(kind)] or list(CHANNELS.kinds())
    return ", ".join(t(key, count=counts.get(kind, 0), channel=CHANNELS.label(kind))
                     for kind in kinds)


@dataclass
class PreviewRow:
    channel: str
    language: str
    recipients: int
    text_language: str
    segments: int  # SMS segments per message (0 where the price is not per segment)
    cost_sek: float


@dataclass
class Preview:
    total: int
    by_channel: dict[str, int]
    by_language: dict[str, int]
    rows: list[PreviewRow]
    cost_sek: float
    needs_approval: bool
    # Staff-facing findings: {"code": "non-gsm7", "language": "sv", "characters": [...]},
    # {"code": "fallback", "language": "en"}, {"code": "empty"}, {"code": "too-long", ...}.
    warnings: list[dict[str, Any]] = field(default_factory=list)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> language -> text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def sample(self, language: str = "sv") -> tuple[str, str]:
        """(channel kind, text): the text as the plainest channel shows it (no buttons:
        answers and stop hint written out), for a staff member to read before sending."""
        kinds = sorted(self.texts, key=lambda kind: CHANNELS.kinds()[kind].medium.buttons)
        return next(((kind, self.texts[kind][language]) for kind in kinds
                     if language in self.texts[kind]), ("", ""))


async def preview(session: AsyncSession, broadcast: Broadcast, now: datetime,
                  policy: Policy) -> Preview:
    """Recipients per channel and language, SMS segments per message, cost and warnings."""
    event = await session.get(Event, broadcast.event_id) if broadcast.event_id else None
    counts = await counts_by_channel_and_language(
        session, Segment.from_dict(broadcast.segment), now)
    rows: list[PreviewRow] = []
    warnings: list[dict[str, Any]] = []
    kinds = CHANNELS.kinds()
    shown: dict[str, dict[str, str]] = {kind: {} for kind in kinds}
    languages = sorted({language for _kind, language in counts} | set(broadcast.texts))
    for language in languages:
        for kind, channel in kinds.items():
            text, _options = message_for(broadcast, event, language, channel, policy.zone)
            used = text_language(broadcast.texts, language)
            shown[kind].setdefault(used, text)
            recipients = counts.get((kind, language), 0)
            if not recipients:
                continue
            segments = sms_segments(text) if channel.segmented else 0
            rows.append(PreviewRow(kind, language, recipients, used, segments, round(
                recipients * channel.units(segments) * channel.price_sek, 2)))
            if used != language:
                warnings.append({"code": "fallback", "language": language})
    for kind, channel in kinds.items():
        reached = any(row.channel == kind for row in rows)
        for language, text in shown[kind].items():
            odd = non_gsm7_characters(text) if channel.segmented else []
            if odd:
                warnings.append({"code": "non-gsm7", "language": language, "characters": odd,
                                 "segments": sms_segments(text)})
            too_long = {"code": "too-long", "language": language, "length": len(text),
                        "channel": channel.label, "limit": channel.max_length}
            if len(text) > channel.max_length and too_long not in warnings:
                warnings.append(too_long)
        kind_sent = INVITATION_KIND if event is not None else TEMPLATE_KIND
        if reached and not channel.may_send(kind_sent, silent_for_a_day=True):
            # Over such a channel, only people who wrote in the last day can get it.
            warnings.append({"code": "no-template", "channel": channel.label})
    if not broadcast.texts.get("sv", "").strip():
        warnings.append({"code": "no-swedish"})
    total = sum(counts.values())
    if total == 0:
        warnings.append({"code": "empty"})
    else:  # show the texts as the channels that reach someone send them
        shown = {kind: texts for kind, texts in shown.items()
                 if any(row.channel == kind for row in rows)}
    if event is not None and event.starts_at <= now:
        warnings.append({"code": "event-passed"})
    by_channel: dict[str, int] = {}
    by_language: dict[str, int] = {}
    for (kind, language), number in counts.items():
        by_channel[kind] = by_channel.get(kind, 0) + number
        by_language[language] = by_language.get(language, 0) + number
    cost = round(sum(row.cost_sek for row in rows), 2)
    return Preview(total, by_channel, by_language, rows, cost,
                   needs_approval=cost > policy.sms_approval_sek and broadcast.approved_at is None,
                   warnings=warnings, texts=shown)


# -- life cycle ------------------------------------------------------------------------

class BroadcastError(ValueError):
    """A staff action that does not fit the broadcast's state (shown to staff as is)."""


def validate_texts(texts: dict[str, str]) -> dict[str, str]:
    """Keep known languages with some text; Swedish is required (it is the fallback)."""
    kept = {lang: text.strip() for lang, text in texts.items() if lang in LANGUAGES and text.strip()}
    if "sv" not in kept:
        raise BroadcastError("a broadcast needs a Swedish text (the fallback for everyone)")
    return kept


def job_payload(broadcast_id: int, policy: Policy, batch: int = BATCH) -> dict[str, Any]:
    """What every batch job of a broadcast carries: the policy it needs, since system jobs
    get no Policy of their own."""
    return {"broadcast_id": broadcast_id, "quiet_hours": list(policy.quiet_hours),
            "zone": policy.zone.key, "batch": batch}


async def start(session: AsyncSession, broadcast: Broadcast, now: datetime, policy: Policy,
                at: datetime | None = None, batch: int = BATCH) -> str:
    """Send now or at `at`; one whose SMS estimate is above the approval limit waits for
    an admin instead. Returns the new status."""
    if broadcast.status not in (DRAFT, AWAITING_APPROVAL):
        raise BroadcastError(f"broadcast {broadcast.id} is {broadcast.status}; only a draft can be sent")
    if at is not None:
        broadcast.scheduled_at = at
    if broadcast.event_id is not None:
        event = await session.get(Event, broadcast.event_id)
        if event is None or event.starts_at <= (broadcast.scheduled_at or now):
            raise BroadcastError("the event has already started; an invitation makes no sense")
    estimate = await preview(session, broadcast, now, policy)
    broadcast.estimate_sek = estimate.cost_sek
    if estimate.needs_approval:
        broadcast.status = AWAITING_APPROVAL
        return broadcast.status
    return await _schedule_first_batch(session, broadcast, now, policy, batch)


async def _schedule_first_batch(session: AsyncSession, broadcast: Broadcast, now: datetime,
                                policy: Policy, batch: int = BATCH) -> str:
    assert broadcast.id is not None
    due = max(broadcast.scheduled_at or now, now)
    broadcast.status = SCHEDULED
    await schedule(session, SEND_JOB, due, now, payload=job_payload(broadcast.id, policy, batch),
                   key=f"broadcast:{broadcast.id}:start")
    return broadcast.status


async def approve(session: AsyncSession, broadcast: Broadcast, by: str, now: datetime,
                  policy: Policy, batch: int = BATCH) -> str:
    """An admin's yes: a broadcast waiting for approval starts (or keeps its schedule)."""
    if broadcast.status != AWAITING_APPROVAL:
        raise BroadcastError(f"broadcast {broadcast.id} is {broadcast.status}, not awaiting approval")
    broadcast.approved_by, broadcast.approved_at = by, now
    return await _schedule_first_batch(session, broadcast, now, policy, batch)


async def cancel(session: AsyncSession, broadcast: Broadcast, now: datetime) -> int:
    """Stop a broadcast: no more batches, and every queued message is cancelled.
    Returns how many queued messages were cancelled."""
    if broadcast.status == CANCELLED:
        return 0
    broadcast.status = CANCELLED  # also after the last batch: what is still queued stops
    broadcast.cancelled_at = now
    await session.execute(
        update(Job).where(col(Job.kind) == SEND_JOB, col(Job.status) == "pending",
                          col(Job.key).startswith(f"broadcast:{broadcast.id}:"))
        .values(status="cancelled"))
    return await cancel_broadcast_rows(session, broadcast.id)  # type: ignore[arg-type]


# -- sending: one batch per job run ----------------------------------------------------

@jobs.system(SEND_JOB)
async def send_batch(session: AsyncSession, payload: dict[str, Any], now: datetime) -> None:
    """Enqueue the next batch of a broadcast's recipients, then schedule the next batch."""
    statement = select(Broadcast).where(col(Broadcast.id) == payload["broadcast_id"])
    if dialect(session) == "postgresql":
        statement = statement.with_for_update()
    broadcast = (await session.execute(statement)).scalar_one_or_none()
    if broadcast is None or broadcast.status not in (SCHEDULED, SENDING):
        return  # cancelled (or deleted) meanwhile: nothing more goes out
    zone = ZoneInfo(payload.get("zone", "Europe/Stockholm"))
    quiet = tuple(payload.get("quiet_hours", ("20:00", "08:00")))
    more = await enqueue_batch(session, broadcast, now, zone, (quiet[0], quiet[1]),
                               int(payload.get("batch", BATCH)))
    if more:
        await schedule(session, SEND_JOB, now, now, payload=payload,
                       key=f"broadcast:{broadcast.id}:after:{broadcast.cursor}")


async def enqueue_batch(session: AsyncSession, broadcast: Broadcast, now: datetime,
                        zone: ZoneInfo, quiet_hours: tuple[str, str], size: int = BATCH) -> bool:
    """Queue one batch of recipients. True when more may follow."""
    if broadcast.status == SCHEDULED:
        broadcast.status = SENDING
        broadcast.started_at = broadcast.started_at or now
    event = await session.get(Event, broadcast.event_id) if broadcast.event_id else None
    if event is not None and (event.starts_at <= now or event.status != "open"):
        broadcast.status, broadcast.finished_at = SENT, now  # too late to invite anyone more
        return False
    batch = await batch_after(session, Segment.from_dict(broadcast.segment), now,
                              broadcast.cursor, size)
    skip = await _already_answered(session, event, [row.contact_id for row in batch.rows])
    quiet_hold = quiet_until(now, quiet_hours, zone)
    rendered: dict[tuple[str, str], tuple[str, list[dict[str, str]]]] = {}
    templates: dict[str, tuple[str, dict[str, str]]] = {}
    values: list[dict[str, Any]] = []
    for row in batch.rows:
        if row.contact_id in skip:
            continue
        channel = CHANNELS.of(row.channel)
        key = (row.language, channel.kind)
        if key not in rendered:
            rendered[key] = message_for(broadcast, event, row.language, channel, zone)
        text, options = rendered[key]
        if row.language not in templates:
            templates[row.language] = template_of(broadcast, event, row.language, zone)
        kind, fields = templates[row.language]
        hold = quiet_hold if channel.quiet_hours else None
        values.append({
            "contact_id": row.contact_id, "address_id": row.address_id, "channel": row.channel,
            "to_address": row.address, "ephemeral": False, "priority": BULK, "text": text,
            "options": options, "status": "queued", "attempts": 0,
            "next_attempt_at": hold or now, "not_before": hold, "created_at": now,
            "broadcast_id": broadcast.id, "kind": kind, "fields": fields,
        })
    if values:
        await session.execute(insert(table_of(Outbox)), values)
    if event is not None:
        await _invite(session, event, broadcast, [v["contact_id"] for v in values], now)
    broadcast.cursor = batch.cursor
    broadcast.recipients += len(values)
    if batch.last:
        broadcast.status, broadcast.finished_at = SENT, now
        return False
    return True


async def _already_answered(session: AsyncSession, event: Event | None,
                            contact_ids: list[int]) -> set[int]:
    """People who already answered this event's invitation are not asked again."""
    if event is None or not contact_ids:
        return set()
    result = await session.execute(
        select(col(Rsvp.contact_id)).where(col(Rsvp.event_id) == event.id, col(Rsvp.status) != INVITED,
                                      col(Rsvp.contact_id).in_(contact_ids)))
    return set(result.scalars())


async def _invite(session: AsyncSession, event: Event, broadcast: Broadcast,
                  contact_ids: list[int], now: datetime) -> None:
    """Record the open invitations and keep each person's question open until the event."""
    if not contact_ids:
        return
    await session.execute(
        insert_for(session, Rsvp).values([
            {"event_id": event.id, "contact_id": cid, "status": INVITED,
             "broadcast_id": broadcast.id, "created_at": now} for cid in contact_ids])
        .on_conflict_do_nothing(index_elements=["event_id", "contact_id"]))
    await session.execute(
        update(ConversationState)
        .where(col(ConversationState.contact_id).in_(contact_ids),
               or_(col(ConversationState.open_until).is_(None),
                   col(ConversationState.open_until) < event.starts_at))
        .values(open_until=event.starts_at))
