"""/utskick: outreach staff compose a broadcast in Telegram, pick a segment, preview, confirm.

Steps: Swedish text, English text (or skip), unit, gender, age band, event to invite to
(or none), then a preview with recipients, SMS segments, cost and GSM-7 warnings, and
Send or Cancel. Admins also see broadcasts waiting for approval and can approve them.
The draft lives in the staff user's chat state until it is sent or cancelled.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from handlers.actions.bookings import Refused
from handlers.actions.broadcasts import approve_broadcast
from handlers.base import Option
from handlers.broadcasts import BroadcastError, Preview, channel_counts, event_when, preview, start
from handlers.staff import StaffCommands, StaffTurn, command_of
from storage.capabilities import CHANNELS
from storage.outreach import AWAITING_APPROVAL, Broadcast, upcoming_events
from storage.places import all_units
from storage.segments import AGE_BANDS

COMMAND = "/utskick"
ROLES = ("outreach", "admin")
PREFIX = "staff:bc"
GENDER_CHOICES = ("kvinna", "man")
MAX_TEXT = 1000

commands = StaffCommands()  # listed in bot/root.py


def _key(*parts: object) -> str:
    return ":".join([PREFIX, *map(str, parts)])


@commands.command(COMMAND)
async def utskick(turn: StaffTurn) -> None:
    """Typed input: the command itself, or the text asked for by the current step."""
    if turn.staff.role not in ROLES:
        turn.clear_state()
        turn.say("staff.bc.not_allowed")
        return
    if command_of(turn.inbound.text) == COMMAND:
        turn.set_state(command=COMMAND, step="text_sv", draft={"texts": {}, "segment": {}})
        waiting = await _waiting_for_approval(turn) if turn.staff.role == "admin" else []
        if waiting:  # one message: a reply's buttons are only kept on the last one
            turn.say_text("\n\n".join([turn.t("staff.bc.waiting_list", count=len(waiting)),
                                        turn.t("staff.bc.ask_text_sv")]),
                          [*waiting, Option(_key("cancel"), turn.t("staff.bc.cancel"))])
        else:
            _ask(turn, "staff.bc.ask_text_sv")
        return
    step = turn.state.get("step")
    text = (turn.inbound.text or "").strip()
    if step in ("text_sv", "text_en"):
        if not text or len(text) > MAX_TEXT:
            _ask(turn, "staff.bc.text_length", limit=MAX_TEXT)
            return
        language = step[-2:]
        draft = turn.state["draft"]
        draft["texts"] = {**draft.get("texts", {}), language: text}
        turn.set_state(draft=draft)
        if step == "text_sv":
            turn.set_state(step="text_en")
            _ask(turn, "staff.bc.ask_text_en", extra=[Option(_key("skip"), turn.t("staff.bc.skip"))])
        else:
            await _ask_unit(turn)
        return
    await _reask(turn)


@commands.choice(PREFIX)
async def utskick_choice(turn: StaffTurn) -> None:
    """A pressed button: staff:bc:<action>[:<value>]."""
    if turn.staff.role not in ROLES:
        turn.clear_state()
        turn.say("staff.bc.not_allowed")
        return
    parts = (turn.inbound.choice or "").split(":")[2:]
    action, value = parts[0] if parts else "", parts[1] if len(parts) > 1 else ""
    if action == "cancel":
        turn.clear_state()
        turn.say("staff.bc.cancelled")
        return
    if action == "approve":
        return await _approve(turn, value)
    if turn.state.get("command") != COMMAND:
        turn.say("staff.bc.start_again")
        return
    draft: dict[str, Any] = turn.state.get("draft", {"texts": {}, "segment": {}})
    segment: dict[str, Any] = dict(draft.get("segment", {}))
    step = turn.state.get("step")
    if action == "skip" and step == "text_en":
        return await _ask_unit(turn)
    if action == "unit" and step == "unit":
        segment.pop("units", None)
        if value != "all":
            segment["units"] = [value]
        _save(turn, draft, segment)
        return _ask_gender(turn)
    if action == "gender" and step == "gender":
        segment.pop("genders", None)
        if value in GENDER_CHOICES:
            segment["genders"] = [value]
        _save(turn, draft, segment)
        return _ask_age(turn)
    if action == "age" and step == "age":
        segment.pop("age_bands", None)
        if value in AGE_BANDS:
            segment["age_bands"] = [value]
        _save(turn, draft, segment)
        return await _ask_event(turn)
    if action == "event" and step == "event":
        draft["event_id"] = int(value) if value.isdecimal() else None
        _save(turn, draft, segment)
        return await _show_preview(turn)
    if action == "send" and step == "confirm":
        return await _send(turn, draft)
    await _reask(turn)


def _save(turn: StaffTurn, draft: dict[str, Any], segment: dict[str, Any]) -> None:
    turn.set_state(draft={**draft, "segment": segment})


def _ask(turn: StaffTurn, key: str, extra: list[Option] | None = None, **params: Any) -> None:
    turn.say_text(turn.t(key, **params),
                  [*(extra or []), Option(_key("cancel"), turn.t("staff.bc.cancel"))])


async def _reask(turn: StaffTurn) -> None:
    """Whatever came does not fit the step: show the step's question again."""
    step = turn.state.get("step")
    turn.say("staff.bc.not_understood")
    if step == "text_sv":
        _ask(turn, "staff.bc.ask_text_sv")
    elif step == "text_en":
        _ask(turn, "staff.bc.ask_text_en", extra=[Option(_key("skip"), turn.t("staff.bc.skip"))])
    elif step == "unit":
        await _ask_unit(turn)
    elif step == "gender":
        _ask_gender(turn)
    elif step == "age":
        _ask_age(turn)
    elif step == "event":
        await _ask_event(turn)
    elif step == "confirm":
        await _show_preview(turn)
    else:
        turn.say("staff.bc.start_again")


async def _ask_unit(turn: StaffTurn) -> None:
    turn.set_state(step="unit")
    units = await all_units(turn.session)
    _ask(turn, "staff.bc.ask_unit", extra=[
        Option(_key("unit", "all"), turn.t("staff.bc.everyone")),
        *(Option(_key("unit", u.slug), u.name) for u in units)])


def _ask_gender(turn: StaffTurn) -> None:
    turn.set_state(step="gender")
    _ask(turn, "staff.bc.ask_gender", extra=[
        Option(_key("gender", "all"), turn.t("staff.bc.everyone")),
        Option(_key("gender", "kvinna"), turn.t("staff.bc.women")),
        Option(_key("gender", "man"), turn.t("staff.bc.men"))])


def _ask_age(turn: StaffTurn) -> None:
    turn.set_state(step="age")
    _ask(turn, "staff.bc.ask_age", extra=[
        Option(_key("age", "all"), turn.t("staff.bc.everyone")),
        *(Option(_key("age", band), band) for band in AGE_BANDS)])


async def _ask_event(turn: StaffTurn) -> None:
    turn.set_state(step="event")
    events = await upcoming_events(turn.session, turn.now)
    _ask(turn, "staff.bc.ask_event", extra=[
        Option(_key("event", "none"), turn.t("staff.bc.no_event")),
        *(Option(_key("event", e.id), f"{e.title}, {event_when(e.starts_at, 'sv', turn.policy.zone)}")
          for e in events[:8])])


def _draft_broadcast(turn: StaffTurn, draft: dict[str, Any]) -> Broadcast:
    return Broadcast(name=turn.t("staff.bc.name", user=turn.staff.username,
                                 date=turn.now.astimezone(turn.policy.zone).strftime("%Y-%m-%d")),
                     texts=dict(draft.get("texts", {})), segment=dict(draft.get("segment", {})),
                     event_id=draft.get("event_id"), created_by=turn.staff.username,
                     created_at=turn.now)


def preview_lines(turn: StaffTurn, shown: Preview) -> list[str]:
    """The preview in staff Swedish: recipients, segments and cost, then each warning."""
    t = turn.t
    lines = [t("staff.bc.preview", total=shown.total,
               channels=channel_counts(t, "staff.bc.by_channel", shown.by_channel),
               cost=f"{shown.cost_sek:.2f}")]
    for row in shown.rows:
        if row.segments:
            lines.append(t("staff.bc.preview_sms_row", language=row.language,
                           recipients=row.recipients, segments=row.segments))
    for warning in shown.warnings:
        code = warning["code"]
        if code == "non-gsm7":
            lines.append(t("staff.bc.warn_non_gsm7", language=warning["language"],
                           characters=" ".join(warning["characters"]),
                           segments=warning["segments"]))
        elif code == "fallback":
            lines.append(t("staff.bc.warn_fallback", language=warning["language"]))
        else:
            lines.append(t(f"staff.bc.warn_{code.replace('-', '_')}", **warning))
    if shown.needs_approval:
        lines.append(t("staff.bc.needs_approval", limit=f"{turn.policy.sms_approval_sek:.0f}"))
    return lines


async def _show_preview(turn: StaffTurn) -> None:
    turn.set_state(step="confirm")
    draft = turn.state.get("draft", {})
    broadcast = _draft_broadcast(turn, draft)
    shown = await preview(turn.session, broadcast, turn.now, turn.policy)
    kind, sample = shown.sample("sv")
    lines = [*preview_lines(turn, shown), "",
             turn.t("staff.bc.sample", channel=CHANNELS.label(kind) if kind else "-",
                    text=sample or broadcast.texts.get("sv", ""))]
    turn.say_text("\n".join(lines), [Option(_key("send"), turn.t("staff.bc.send")),
                                     Option(_key("cancel"), turn.t("staff.bc.cancel"))])


async def _send(turn: StaffTurn, draft: dict[str, Any]) -> None:
    broadcast = _draft_broadcast(turn, draft)
    turn.session.add(broadcast)
    await turn.session.flush()
    try:
        status = await start(turn.session, broadcast, turn.now, turn.policy)
    except BroadcastError as exc:
        turn.clear_state()
        turn.say("staff.bc.refused", reason=str(exc))
        return
    turn.clear_state()
    if status == AWAITING_APPROVAL:
        turn.say("staff.bc.awaiting_approval", id=broadcast.id, cost=f"{broadcast.estimate_sek:.2f}")
    else:
        turn.say("staff.bc.sending", id=broadcast.id)


async def _waiting_for_approval(turn: StaffTurn) -> list[Option]:
    """An approve button for each broadcast waiting for an admin."""
    result = await turn.session.execute(
        select(Broadcast).where(Broadcast.status == AWAITING_APPROVAL).order_by(Broadcast.id))  # type: ignore[arg-type]
    return [Option(_key("approve", b.id), turn.t("staff.bc.approve", id=b.id, name=b.name,
                                                 cost=f"{b.estimate_sek:.2f}"))
            for b in list(result.scalars())[:8]]


async def _approve(turn: StaffTurn, value: str) -> None:
    if turn.staff.role != "admin":
        turn.say("staff.bc.admins_only")
        return
    try:
        broadcast = await approve_broadcast(turn.session, turn.policy, turn.staff.username,
                                            turn.now, int(value) if value.isdecimal() else 0)
    except Refused as exc:
        turn.say("staff.bc.not_found" if exc.reason == "not-found" else "staff.bc.refused",
                 reason=exc.detail)
        return
    turn.say("staff.bc.approved", id=broadcast.id)

