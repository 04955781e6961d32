"""The booking flow: kind, day, time, first name, needs, confirm; also moving a booked visit.

Steps keep their choices in the conversation's scratch data under `bk_*` keys. Confirming
consumes them, so a double tap on "yes" books once. The seat is taken in the same
transaction with a conditional update; a time taken meanwhile gets an apology and the
next free times.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.base import Attachment, Option, Policy, Reply, Turn, options
from handlers.flow import MORE, BookingStep, Flow, ask_paged, go, pick, read, reask
from handlers.free_times import free_slot_at, free_slots, rules_of, why_day_is_not_free
from handlers.jobs import Jobs
from handlers.menu import answer_menu, ask_menu
from handlers.onboarding import YES_NO_ALIASES
from handlers.reminders import NO_SHOW, cancel_reminders, schedule_reminders
from handlers.typed_words import language_in
from handlers.understand import (
    DIGIT,
    NEAR,
    NO,
    NUMBER,
    PRESSED,
    YES,
    asks_back,
    hours_of,
    name_of,
    negated,
    part_of_day,
    polarity,
    read_answer,
)
from handlers.unit_words import bring_words, days_words
from handlers.visit_questions import visit_question
from handlers.visit_words import booking_words, clock_words, day_words, kind_label, visit_words
from handlers.when_parse import parse_clock, parse_day
from messages import Texts
from storage.bookings import (
    Booking,
    VisitKind,
    kinds_of,
    new_code,
    release_seat,
    take_seat,
    upcoming_bookings,
)
from storage.jobs import cancel as cancel_jobs
from storage.models import Unit
from storage.places import all_units

# "tillbaka" at a step goes to the step before it; "avbryt" says "Jag bokade inget".
booking: Flow[BookingStep] = Flow(
    "booking", back={"day": "kind", "time": "day", "name": "time", "needs": "time",
                     "language": "needs", "confirm": "needs"},
    cancelled_key="booking.not_booked")
CONFIRMATION = "booking_confirmation"  # a job: confirm a visit staff booked for someone
STAFF_CANCELLED = "booking_staff_cancelled"  # a job: tell a person staff cancelled their visit
STAFF_MOVED = "booking_staff_moved"  # a job: tell a person staff moved their visit
jobs = Jobs()  # this feature's timed jobs, listed in bot/root.py

DATA_KEYS = ("bk_unit", "bk_kind", "bk_day", "bk_start", "bk_name", "bk_interpreter",
             "bk_access", "bk_move", "bk_has", "bk_change")
CHANGE_UNIT = "unit"
KIND_ALIASES = {
    "forsta-besok": ["första", "forsta", "nybesök", "nytt besök", "first", "first visit"],
    "informationstraff": ["info", "information", "infomöte", "träff", "group"],
    "vagledning": ["vägledning", "syv", "studier", "yrke", "guidance", "careers"],
    "drop-in": ["dropin", "drop in", "drop"],
    CHANGE_UNIT: ["byt", "annat jobbtorg", "change", "other"],
}
NEEDS = [("none", "booking.needs.none"), ("interpreter", "booking.needs.interpreter"),
         ("access", "booking.needs.access"), ("both", "booking.needs.both"),
         ("skip", "booking.skip")]
NEEDS_ALIASES = {"none": ["nej", "inga", "ingen", "inget", "ingenting", "no", "none", "nothing",
                          "behöver inget", "nej behöver inget"],
                 "interpreter": ["tolk", "interpreter", "språk"],
                 "access": ["rullstol", "tillgänglighet", "wheelchair", "access"],
                 "both": ["båda", "bada", "both"]}
CONFIRM_ALIASES = {**YES_NO_ALIASES, "yes": [*YES_NO_ALIASES["yes"], "boka", "book", "stämmer",
                                           "jag tar den", "tar den", "i'll take it",
                                           "i will take it"],
                   "no": [*YES_NO_ALIASES["no"], "avbryt", "stop", "boka inte", "don't book"],
                   "change": ["ändra", "andra", "change", "fel", "byt", "byta", "annan tid",
                              "annan dag", "flytta", "another time", "another day"]}
SKIP_ALIASES = {"skip": ["hoppa över", "hoppa", "skip", "nej", "no", "vill inte", "pass",
                         "nej tack", "no thanks", "vill inte säga", "behövs inte"]}


def clear(turn: Turn) -> None:
    turn.forget(*DATA_KEYS)


async def current_kind(turn: Turn) -> VisitKind | None:
    kind = await turn.session.get(VisitKind, turn.data.get("bk_kind"))
    return kind if kind is not None and kind.active else None


def today(turn: Turn) -> date:
    return turn.now.astimezone(turn.policy.zone).date()


# ---------------------------------------------------------------------------- start and unit


@booking.asks("start")
async def start(turn: Turn) -> None:
    clear(turn)
    if turn.contact.age_band is None:  # no booking before the age (the gate for under 16)
        return await go(turn, "onboarding", "age")
    if turn.contact.unit_id is None:
        return await booking.go(turn, "unit")
    turn.remember(bk_unit=turn.contact.unit_id)
    await booking.go(turn, "kind")


@booking.answers("start")
async def answer_start(turn: Turn) -> None:
    await start(turn)


@booking.asks("unit")
async def ask_unit(turn: Turn) -> None:
    units = await all_units(turn.session)
    ask_paged(turn, "booking.unit_question", [Option(str(u.id), u.name) for u in units])


@booking.answers("unit")
async def answer_unit(turn: Turn) -> None:
    units = await all_units(turn.session)
    key = await pick(turn, {str(u.id): [u.site, u.slug] for u in units})
    if key == MORE:
        return
    if key is None or not key.isdecimal():
        return await reask(turn)
    turn.remember(bk_unit=int(key))
    await booking.go(turn, "kind")


# ---------------------------------------------------------------------------- kind


@booking.asks("kind")
async def ask_kind(turn: Turn) -> None:
    unit = await turn.session.get(Unit, turn.data.get("bk_unit"))
    if unit is None:
        return await booking.go(turn, "unit")
    assert unit.id is not None
    kinds = await kinds_of(turn.session, unit.id)
    if not kinds:
        turn.say("booking.no_kinds", unit=unit.name, phone=unit.phone)
        return await go(turn, "menu")
    choices = [Option(k.slug, kind_label(k, turn.t)) for k in kinds]
    choices.append(Option(CHANGE_UNIT, turn.t("booking.change_unit")))
    ask_paged(turn, "booking.kind_question", choices, unit=unit.name)


@booking.answers("kind")
async def answer_kind(turn: Turn) -> None:
    key = await pick(turn, KIND_ALIASES)
    if key == MORE:
        return
    if key is None:
        return await reask(turn)
    if key == CHANGE_UNIT:
        return await booking.go(turn, "unit")
    kinds = await kinds_of(turn.session, turn.data["bk_unit"])
    kind = next((k for k in kinds if k.slug == key), None)
    if kind is None:
        return await reask(turn)
    turn.remember(bk_kind=kind.id)
    if await has_one_already(turn, kind):
        return None
    await booking.go(turn, "day")


# ---------------------------------------------------------------------------- one at a time

# A person has at most one upcoming visit of each kind: a first visit (nybesök) happens
# once, and an informationsträff, a vägledning or a drop-in is one ahead at a time (the
# one booked is moved instead). Staff booking on someone's behalf is not limited here.
HAS_ONE_ALIASES = {"move": ["boka om", "flytta", "byt tid", "ändra", "move", "reschedule",
                            *YES_NO_ALIASES["yes"]],
                   "keep": ["behåll", "behåll den", "keep", "keep it", *YES_NO_ALIASES["no"]]}


async def booked_of_kind(turn: Turn, kind: VisitKind) -> Booking | None:
    """The person's upcoming visit of this kind, other than the one being moved."""
    assert turn.contact.id is not None
    upcoming = await upcoming_bookings(turn.session, turn.contact.id, turn.now)
    return next((b for b in upcoming if b.kind_id == kind.id and b.id != turn.data.get("bk_move")),
                None)


async def has_one_already(turn: Turn, kind: VisitKind) -> bool:
    """Show the visit of this kind the person has (to move or keep) instead of a second."""
    existing = await booked_of_kind(turn, kind)
    if existing is None:
        return False
    turn.remember(bk_has=existing.id)
    await booking.go(turn, "has_one")
    return True


@booking.asks("has_one")
async def ask_has_one(turn: Turn) -> None:
    existing = await turn.session.get(Booking, turn.data.get("bk_has"))
    kind = await current_kind(turn)
    if existing is None or kind is None or existing.status != "booked":
        return await booking.go(turn, "kind")
    turn.ask("booking.already_has", options(turn.t, [("move", "mybookings.move"),
                                                     ("keep", "booking.keep_it")]),
             kind=kind_label(kind, turn.t),
             visit=booking_words(existing, kind, turn.t, turn.policy.zone))


@booking.answers("has_one")
async def answer_has_one(turn: Turn) -> None:
    key = await pick(turn, HAS_ONE_ALIASES, yes_key="move", no_key="keep", change_key="move")
    if key is None:
        return await reask(turn)
    existing = await turn.session.get(Booking, turn.data.get("bk_has"))
    if key == "keep" or existing is None:
        clear(turn)
        turn.say("mybookings.kept")
        return await go(turn, "menu")
    await start_move(turn, existing)


async def start_move(turn: Turn, item: Booking) -> None:
    """Boka om: the days for the visit's kind; confirming moves it (same needs and name)."""
    clear(turn)
    turn.remember(bk_move=item.id, bk_unit=item.unit_id, bk_kind=item.kind_id,
                  bk_name=item.first_name, bk_interpreter=item.interpreter_language,
                  bk_access=item.accessibility)
    await booking.go(turn, "day")


# ---------------------------------------------------------------------------- day


async def free_days(turn: Turn, kind: VisitKind) -> dict[date, list[Any]]:
    days: dict[date, list[Any]] = {}
    for slot in await free_slots(turn.session, kind, turn.now, turn.policy.zone):
        days.setdefault(slot.local(turn.policy.zone).date(), []).append(slot)
    return days


def day_label(turn: Turn, kind: VisitKind, day: date, slots: list[Any]) -> str:
    if kind.drop_in:
        zone = turn.policy.zone
        return turn.t("booking.drop_in_day", day=day_words(day, turn.t),
                      start=clock_words(slots[0].start, turn.t, zone),
                      end=clock_words(slots[0].end, turn.t, zone))
    return day_words(day, turn.t)


@booking.asks("day")
async def ask_day(turn: Turn) -> None:
    kind = await current_kind(turn)
    if kind is None:
        return await booking.go(turn, "kind")
    days = await free_days(turn, kind)
    if not days:
        turn.say("booking.no_free_days", kind=kind_label(kind, turn.t))
        return await booking.go(turn, "kind")
    choices = [Option(day.isoformat(), day_label(turn, kind, day, slots))
               for day, slots in days.items()]
    ask_paged(turn, "booking.day_question", choices, more_key="booking.more_days",
              kind=kind_label(kind, turn.t))


@booking.answers("day")
async def answer_day(turn: Turn) -> None:
    # A typed day ("på fredag") is read as a date first: as a label it would match any
    # Friday in the list.
    # A bare number picks from a numbered list; where the days are buttons it is a day of
    # the month ("15" is the 15th).
    typed = None
    reading = read(turn)
    if reading.how not in (PRESSED, DIGIT) and negated(turn.text):
        return await reask(turn, "booking.not_that")  # "kan inte komma imorgon": not a day
    if reading.how not in (PRESSED, DIGIT):
        text = f"den {turn.text}" if reading.intent == NUMBER else turn.text
        typed = parse_day(text, today(turn), turn.contact.language)
        if typed is None and typed_past(turn):
            return await reask(turn, "booking.day_past")
    key = None if typed is not None else await pick(turn)
    if key == MORE:
        return
    kind = await current_kind(turn)
    if kind is None:
        turn.say("booking.kind_gone")
        return await booking.go(turn, "kind")
    days = await free_days(turn, kind)
    if key is None:
        if typed is None:
            return await reask(turn, "booking.day_not_understood")
        if typed not in days:
            key, params = await not_free_words(turn, kind, typed)
            return await reask(turn, key, **params)
        key = typed.isoformat()
    day = date.fromisoformat(key)
    if day not in days:  # a day offered earlier that has filled up meanwhile
        return await reask(turn, "booking.day_full")
    turn.remember(bk_day=key)
    if kind.drop_in:
        turn.remember(bk_start=days[day][0].start.isoformat())
        return await booking.go(turn, after_time(turn))
    await booking.go(turn, "time")


async def not_free_words(turn: Turn, kind: VisitKind, day: date) -> tuple[str, dict[str, str]]:
    """Why a typed day has no free time, as a catalog key and its fields: the unit is
    closed, or only this kind of visit is not held that day (then the days it is)."""
    reason = await why_day_is_not_free(turn.session, kind, day, turn.now, turn.policy.zone)
    if reason == "not-held":
        return "booking.day_not_held", {
            "kind": kind_label(kind, turn.t),
            "days": days_words(rules_of(kind).hours or {}, turn.t)}
    return f"booking.day_{reason.replace('-', '_')}", {}


def typed_past(turn: Turn) -> bool:
    """Whether the answer names a day that has passed (parse_day gives None for those):
    read it as if it were typed a month, half a year or a year ago."""
    for days_back in (31, 182, 366):
        earlier = parse_day(turn.text, today(turn) - timedelta(days=days_back),
                            turn.contact.language)
        if earlier is not None and earlier < today(turn):
            return True
    return False


# ---------------------------------------------------------------------------- time


def after_time(turn: Turn) -> BookingStep:
    """Name and needs next, unless they are known: a visit being moved, or "Ändra" at the
    booking question (only the day and time were to change)."""
    return "confirm" if turn.data.get("bk_move") or turn.data.get("bk_change") else "name"


@booking.asks("time")
async def ask_time(turn: Turn) -> None:
    kind = await current_kind(turn)
    if kind is None or "bk_day" not in turn.data:
        return await booking.go(turn, "kind" if kind is None else "day")
    day = date.fromisoformat(turn.data["bk_day"])
    slots = await free_slots(turn.session, kind, turn.now, turn.policy.zone, only_day=day)
    if not slots:
        turn.say("booking.day_gone", day=day_words(day, turn.t))
        return await booking.go(turn, "day")
    zone = turn.policy.zone
    choices = [Option(s.start.isoformat(), clock_words(s.start, turn.t, zone)) for s in slots]
    ask_paged(turn, "booking.time_question", choices, more_key="booking.more_times",
              day=day_words(day, turn.t))


@booking.answers("time")
async def answer_time(turn: Turn) -> None:
    key = await pick(turn)
    if key == MORE:
        return
    kind = await current_kind(turn)
    if kind is None:
        turn.say("booking.kind_gone")
        return await booking.go(turn, "kind")
    zone = turn.policy.zone
    day = date.fromisoformat(turn.data["bk_day"])
    if key is None and negated(turn.text):
        return await reask(turn, "booking.not_that")  # "inte kl 10", "not tomorrow"
    if key is None:
        other_day = parse_day(turn.text, today(turn), turn.contact.language)
        if other_day is not None and other_day != day and parse_clock(turn.text) is None:
            turn.remember(bk_day=other_day.isoformat())
            return await answer_day_typed(turn, kind, other_day)
        typed = parse_clock(turn.text)
        slots = await free_slots(turn.session, kind, turn.now, zone, only_day=day)
        part = part_of_day(turn.text) if typed is None else None
        if part is not None:
            return await ask_part_of_day(turn, slots, part, day)
        if typed is None:
            return await reask(turn, "booking.time_not_understood")
        found = next((s for s in slots if s.local(zone).time() == typed), None)
        if found is None:
            return await reask(turn, "booking.time_not_free")
        key = found.start.isoformat()
    start = datetime.fromisoformat(key)
    if await free_slot_at(turn.session, kind, start, turn.now, zone) is None:
        turn.say("booking.slot_gone")  # taken while the person was choosing
        return await booking.go(turn, "time")
    turn.remember(bk_start=key)
    await booking.go(turn, after_time(turn))


async def ask_part_of_day(turn: Turn, slots: list[Any], part: str, day: date) -> None:
    """'efter lunch': the free times in that part of the day, to choose from."""
    zone = turn.policy.zone
    start, end = hours_of(part)
    fitting = [s for s in slots if start <= s.local(zone).hour < end]
    if not fitting:
        return await reask(turn, "booking.time_none_then")
    choices = [Option(s.start.isoformat(), clock_words(s.start, turn.t, zone)) for s in fitting]
    ask_paged(turn, "booking.time_question", choices, more_key="booking.more_times",
              day=day_words(day, turn.t))


async def answer_day_typed(turn: Turn, kind: VisitKind, day: date) -> None:
    """'imorgon' typed at the time question: that day's times, if it has any."""
    if not await free_slots(turn.session, kind, turn.now, turn.policy.zone, only_day=day):
        key, params = await not_free_words(turn, kind, day)
        turn.say(key, **params)
        return await booking.go(turn, "day")
    await booking.go(turn, "time")


# ---------------------------------------------------------------------------- name and needs


@booking.asks("name")
async def ask_name(turn: Turn) -> None:
    if turn.contact.first_name:
        turn.remember(bk_name=turn.contact.first_name)
        return await booking.go(turn, "needs")
    turn.ask("booking.name_question", options(turn.t, [("skip", "booking.skip")]))


@booking.answers("name")
async def answer_name(turn: Turn) -> None:
    key = await pick(turn, SKIP_ALIASES)
    if key == "skip":
        turn.remember(bk_name=None)
        return await booking.go(turn, "needs")
    need = need_named(turn.text, turn.t)
    if need is not None:  # "tolk" where the name was asked: the need, and no name
        turn.remember(bk_name=None)
        return await take_need(turn, need)
    name = name_of(turn.text)
    if name is None:
        return await reask(turn, "booking.name_not_understood")
    turn.contact.first_name = name
    turn.remember(bk_name=name)
    await booking.go(turn, "needs")


@booking.asks("needs")
async def ask_needs(turn: Turn) -> None:
    turn.ask("booking.needs_question", options(turn.t, NEEDS))


@booking.answers("needs")
async def answer_needs(turn: Turn) -> None:
    key = await pick(turn, {**NEEDS_ALIASES, **SKIP_ALIASES, "none": NEEDS_ALIASES["none"]})
    if key is None:
        return await reask(turn)
    await take_need(turn, key)


async def take_need(turn: Turn, key: str) -> None:
    turn.remember(bk_access=key in ("access", "both"), bk_interpreter=None)
    if key in ("interpreter", "both"):
        language = language_in(turn.text or "")  # "jag behöver tolk arabiska"
        if language is None:
            return await booking.go(turn, "language")
        turn.remember(bk_interpreter=language.lower())
    await booking.go(turn, "confirm")


NAMED_NEEDS = ("interpreter", "access", "both")


def need_named(text: str, t: Texts) -> str | None:
    """A need typed where a name was asked ("tolk", "jag behöver tolk", "rullstol"): its
    key, when its name or alias is in the reply (a near miss is no need: "Tolga")."""
    needs = tuple(Option(key, t(label)) for key, label in NEEDS if key in NAMED_NEEDS)
    reading = read_answer(text, None, needs, aliases=NEEDS_ALIASES, yes_key=None,
                          no_key=None)
    return reading.key if reading.key in NAMED_NEEDS and reading.how != NEAR else None


@booking.asks("language")
async def ask_language(turn: Turn) -> None:
    turn.say("booking.language_question")
    turn.state.options = []


@booking.answers("language")
async def answer_language(turn: Turn) -> None:
    """The language, also inside a sentence ("jag vill ha arabiska"). A reply naming no
    language (a question, "ok boka") is never kept as one: the hint names the ways on."""
    text = " ".join(turn.text.split())
    if polarity(text).intent == NO:  # "nej", "ingen tolk": no interpreter after all
        turn.remember(bk_interpreter=None)
        return await booking.go(turn, "confirm")
    language = language_in(text) if len(text) <= 80 else None
    if language is None:
        return await reask(turn, "booking.language_not_understood")
    turn.remember(bk_interpreter=language.lower())
    await booking.go(turn, "confirm")


# ---------------------------------------------------------------------------- confirm


@booking.asks("confirm")
async def ask_confirm(turn: Turn) -> None:
    kind = await current_kind(turn)
    unit = await turn.session.get(Unit, turn.data.get("bk_unit"))
    if kind is None or unit is None or "bk_start" not in turn.data:
        return await booking.go(turn, "kind")
    start = datetime.fromisoformat(turn.data["bk_start"])
    end = start + timedelta(minutes=kind.duration_minutes)
    lines = [turn.t("booking.summary", kind=kind_label(kind, turn.t),
                    when=visit_words(start, end, kind, turn.t, turn.policy.zone),
                    unit=unit.name, address=unit.address)]
    if turn.data.get("bk_name"):
        lines.append(turn.t("booking.summary_name", name=turn.typed(turn.data["bk_name"])))
    if turn.data.get("bk_interpreter"):
        lines.append(turn.t("booking.summary_interpreter",
                            language=turn.typed_language(turn.data["bk_interpreter"])))
    if turn.data.get("bk_access"):
        lines.append(turn.t("booking.summary_access"))
    ask_to_book(turn, lines)


def ask_to_book(turn: Turn, lines: list[str]) -> None:
    """`lines`, then "Ska jag boka?" (or "flytta") with its options."""
    key = "booking.confirm_move" if turn.data.get("bk_move") else "booking.confirm_question"
    lines.append(turn.t(key))
    choices = options(turn.t, [("yes", "booking.yes_book"), ("change", "booking.change"),
                               ("no", "booking.cancel_no")])
    turn.replies.append(Reply("\n".join(lines), choices))
    turn.state.options = [o.as_dict() for o in choices]


@booking.answers("confirm")
async def answer_confirm(turn: Turn) -> None:
    """Book, change the time or not book; a question about the visit ("var ligger det?",
    "vad ska jag ta med?") with no answer in it is answered, then asked again."""
    if turn.data.get("_confirm") is None and read(turn, CONFIRM_ALIASES,
                                                   change_key="change").key is None:
        topic = visit_question(turn.text)
        if topic is not None or asks_back(turn.text):
            return await answer_visit_question(turn, topic)
    key = await pick(turn, CONFIRM_ALIASES, change_key="change")
    if key is None:
        return await reask(turn)
    if key == "no":
        clear(turn)
        turn.say("booking.not_booked")
        return await go(turn, "menu")
    if key == "change":  # another day or time for the same kind, the rest kept
        turn.remember(bk_change=True)
        return await booking.go(turn, "day")
    await confirm(turn)


async def answer_visit_question(turn: Turn, topic: str | None) -> None:
    """A short answer from what we know (the address, what to bring as the confirmation
    says it, a booked visit's length), else "ask your coach"; then "Ska jag boka?" again."""
    kind = await current_kind(turn)
    unit = await turn.session.get(Unit, turn.data.get("bk_unit"))
    if kind is None or unit is None:
        return await reask(turn)
    if topic == "where":
        answer = turn.t("booking.asked.where", unit=unit.name, address=unit.address)
    elif topic == "bring":
        answer = bring_words(unit, turn.t)
    elif topic == "length" and not kind.drop_in:
        answer = turn.t("booking.asked.length", minutes=str(kind.duration_minutes))
    else:
        answer = turn.t("booking.asked.coach")
    ask_to_book(turn, [answer])


async def confirm(turn: Turn) -> None:
    """Take the seat and book (or move); the choices are consumed so a repeat does nothing."""
    data = dict(turn.data)
    kind = await current_kind(turn)
    if kind is None or "bk_start" not in data:
        return await booking.go(turn, "kind")
    turn.forget("bk_start")  # consumed: a second "yes" finds nothing to book
    if await has_one_already(turn, kind):  # booked meanwhile (by staff, another way)
        return
    zone = turn.policy.zone
    start = datetime.fromisoformat(data["bk_start"])
    slot = await free_slot_at(turn.session, kind, start, turn.now, zone)
    slot_id = await take_seat(turn.session, kind, start) if slot is not None else None
    if slot is None or slot_id is None:
        turn.say("booking.taken")
        return await booking.go(turn, "time" if not kind.drop_in else "day")
    assert turn.contact.id is not None
    moved = await turn.session.get(Booking, data.get("bk_move")) if data.get("bk_move") else None
    if moved is not None and moved.contact_id == turn.contact.id and moved.status == "booked":
        await release_seat(turn.session, moved.slot_id)
        await cancel_reminders(turn.session, moved)
        moved.kind_id, moved.slot_id, moved.start, moved.end = kind.id, slot_id, slot.start, slot.end  # type: ignore[assignment]
        record = moved
    else:
        record = Booking(code=await new_code(turn.session), contact_id=turn.contact.id,
                         unit_id=kind.unit_id, kind_id=kind.id, slot_id=slot_id,  # type: ignore[arg-type]
                         start=slot.start, end=slot.end, first_name=data.get("bk_name"),
                         interpreter_language=data.get("bk_interpreter"),
                         accessibility=bool(data.get("bk_access")), created_at=turn.now)
        turn.session.add(record)
    await turn.session.flush()
    await schedule_reminders(turn.session, record, turn.policy, turn.now)
    await cancel_no_show_offer_for_contact(turn)
    clear(turn)
    await send_confirmation(turn, record, kind, moved=moved is not None)
    booking.enter(turn, "booked")
    await ask_menu(turn)


async def cancel_no_show_offer_for_contact(turn: Turn) -> None:
    """Booking again makes any pending no-show offer pointless."""
    assert turn.contact.id is not None
    await cancel_jobs(turn.session, turn.contact.id, kinds=[NO_SHOW])


async def send_confirmation(turn: Turn, record: Booking, kind: VisitKind, moved: bool = False,
                            key: str | None = None) -> None:
    """The confirmation in words, and on media with buttons a calendar file."""
    unit = await turn.session.get(Unit, record.unit_id)
    assert unit is not None
    zone = turn.policy.zone
    key = key or ("booking.moved" if moved else "booking.confirmed")
    turn.say(key, kind=kind_label(kind, turn.t),
             when=visit_words(record.start, record.end, kind, turn.t, zone),
             unit=unit.name, address=unit.address, code=record.code)
    turn.say("booking.bring", bring=bring_words(unit, turn.t))
    if turn.medium.buttons:
        turn.attach(Attachment(f"jobbtorg-{record.code}.ics", "text/calendar",
                               calendar_file(record, kind, unit, turn)))


def calendar_file(record: Booking, kind: VisitKind, unit: Unit, turn: Turn,
                  cancelled: bool = False) -> bytes:
    """An .ics with a stable UID (the booking code), so a moved visit updates the same event
    and a cancelled one (METHOD:CANCEL, STATUS:CANCELLED) removes it."""
    calendar = Calendar()
    calendar.add("prodid", "-//Jobbtorg Stockholm//jobbtorg-bot//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    if cancelled:
        event.add("status", "CANCELLED")
    event.add("uid", f"{record.code}@jobbtorg-bot")
    event.add("dtstamp", turn.now.astimezone(UTC))
    event.add("dtstart", record.start.astimezone(UTC))
    event.add("dtend", record.end.astimezone(UTC))
    event.add("sequence", int((turn.now - record.created_at).total_seconds() // 60))
    event.add("summary", f"{kind_label(kind, turn.t)}: {unit.name}")
    event.add("location", f"{unit.name}, {unit.address}")
    event.add("description", turn.t("booking.ics_description", code=record.code))
    calendar.add_component(event)
    return calendar.to_ical()


# ---------------------------------------------------------------------------- after booking


@booking.asks("booked")
async def ask_after_booked(turn: Turn) -> None:
    await ask_menu(turn)
    booking.enter(turn, "booked")


@booking.answers("booked")
async def answer_after_booked(turn: Turn) -> None:
    """The menu, except that a repeated 'yes' (a double tap on confirm) books nothing more."""
    if turn.inbound.choice in ("yes", "change", "no") or (
            turn.inbound.choice is None and polarity(turn.text).intent == YES):
        turn.say("booking.already_booked")
        return await ask_after_booked(turn)
    await answer_menu(turn)


@booking.asks("again")
async def ask_again_after_no_show(turn: Turn) -> None:
    turn.ask("booking.no_show_offer", options(turn.t, [("yes", "common.yes"),
                                                        ("no", "common.no")]))


@booking.answers("again")
async def answer_again_after_no_show(turn: Turn) -> None:
    key = await pick(turn, YES_NO_ALIASES)
    if key is None:
        return await reask(turn)
    turn.state.open_until = None
    if key == "no":
        clear(turn)
        turn.say("booking.no_show_declined")
        return await go(turn, "menu")
    await booking.go(turn, "day")


async def book_for(session: AsyncSession, policy: Policy, kind: VisitKind, start: datetime,
                   contact_id: int, now: datetime, booked_by: str, first_name: str | None = None,
                   interpreter_language: str | None = None, accessibility: bool = False,
                   ) -> Booking | None:
    """Book on someone's behalf (a walk-in, a caller); None when the time is not free."""
    slot = await free_slot_at(session, kind, start, now, policy.zone)
    slot_id = await take_seat(session, kind, start) if slot is not None else None
    if slot is None or slot_id is None:
        return None
    record = Booking(code=await new_code(session), contact_id=contact_id, unit_id=kind.unit_id,
                     kind_id=kind.id, slot_id=slot_id, start=slot.start, end=slot.end,  # type: ignore[arg-type]
                     first_name=first_name, interpreter_language=interpreter_language,
                     accessibility=accessibility, booked_by=booked_by, created_at=now)
    session.add(record)
    await session.flush()
    await schedule_reminders(session, record, policy, now)
    return record


@jobs.contact(STAFF_MOVED)
async def tell_moved_by_staff(turn: Turn, payload: dict[str, Any]) -> None:
    """Staff moved a person's visit: the new time, with an updated calendar file."""
    record = await turn.session.get(Booking, payload.get("booking_id"))
    if record is None or record.status != "booked":
        return
    if int(record.start.timestamp()) != payload.get("start"):
        return  # moved again since: that move has its own message
    kind = await turn.session.get(VisitKind, record.kind_id)
    if kind is not None:
        await send_confirmation(turn, record, kind, key="booking.moved_by_staff")


@jobs.contact(STAFF_CANCELLED)
async def tell_cancelled_by_staff(turn: Turn, payload: dict[str, Any]) -> None:
    """Staff cancelled a person's visit: say so (with the reason staff gave), and where
    files go a calendar file that removes the event."""
    record = await turn.session.get(Booking, payload.get("booking_id"))
    if record is None or record.status != "cancelled":
        return
    kind = await turn.session.get(VisitKind, record.kind_id)
    unit = await turn.session.get(Unit, record.unit_id)
    if kind is None or unit is None:
        return
    zone = turn.policy.zone
    turn.say("booking.cancelled_by_staff", kind=kind_label(kind, turn.t),
             when=visit_words(record.start, record.end, kind, turn.t, zone), unit=unit.name)
    if payload.get("reason"):
        turn.say("booking.cancelled_reason", reason=payload["reason"])
    if turn.medium.buttons:
        turn.attach(Attachment(f"jobbtorg-{record.code}.ics", "text/calendar",
                               calendar_file(record, kind, unit, turn, cancelled=True)))


@jobs.contact(CONFIRMATION)
async def confirm_booked_for_them(turn: Turn, payload: dict[str, Any]) -> None:
    """A visit staff booked for someone: the confirmation, and for a new person the
    consent question (nothing more is kept about them until they say yes). A new person
    whose consent question is already waiting in their chat (a second booking) gets only
    the confirmation: the welcome and the question are not said twice."""
    record = await turn.session.get(Booking, payload.get("booking_id"))
    if record is None or record.status != "booked":
        return
    kind = await turn.session.get(VisitKind, record.kind_id)
    if kind is None:
        return
    asked = turn.state.flow == "onboarding" and turn.state.step in ("consent", "consent_check")
    new_person = turn.contact.status == "new" and not asked
    if new_person:
        turn.say("booking.walk_in_welcome")
    await send_confirmation(turn, record, kind)
    if new_person:
        await go(turn, "onboarding", "consent")
