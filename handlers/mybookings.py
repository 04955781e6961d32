"""Mina tider: a person's booked visits, with AVBOKA (cancel) and BOKA OM (move)."""

from __future__ import annotations

from datetime import date

from handlers.another_time import wants_change
from handlers.base import Option, Turn, options
from handlers.booking import start_move
from handlers.flow import (
    CONFIRMING,
    MORE,
    Check,
    Flow,
    MyBookingsStep,
    ask_paged,
    confirm_first,
    go,
    pick,
    read,
    reask,
)
from handlers.onboarding import YES_NO_ALIASES
from handlers.reminders import REMINDED, cancel_reminders
from handlers.understand import cant_alone
from handlers.visit_words import booking_words, needs_words
from storage.bookings import Booking, VisitKind, bookings_of, cancel_booking, upcoming_bookings
from storage.models import Unit

mybookings: Flow[MyBookingsStep] = Flow("mybookings", back={"action": "start", "cancel": "action"})

BACK = "back"
CANCEL_ALIASES = {"yes": [*YES_NO_ALIASES["yes"], "avboka", "cancel", "ta bort",
                          "kan inte komma", "can't come", "cannot come", "passar inte",
                          "funkar inte", "can't make it", "get rid of it", "remove it",
                          # "ja wallah kan inte", "ja kommer inte" ("ja" is "jag" in slang)
                          "kan inte", "kan ej", "kommer inte", "jag kommer inte",
                          "ja kommer inte",
                          # the visit struck out, and no need to come ("stryk den", "delete it")
                          "stryk", "stryk den", "stryk tiden", "ta bort den", "ta bort tiden",
                          "skippa den", "skippa tiden", "delete it", "delete",
                          "remove", "behöver inte komma", "don't need to come",
                          "do not need to come", "dont need to come",
                          # the verb first after a regret: "tyvärr kan jag inte komma"
                          "kan jag inte komma", "kan jag inte", "kan tyvärr inte",
                          "kan tyvärr inte komma", "kan jag tyvärr inte komma"],
                  "no": [*YES_NO_ALIASES["no"], "behåll", "keep", "jag kommer", "i will come",
                         "låt den va", "låt den vara", "låt den stå", "leave it",
                         "ja kommer", "jag kommer dit", "ja kommer dit", "i'm coming",
                         "i am coming", "i'll come", "ill come", "i'll be there",
                         "i will be there",
                         # its own words for striking the visit, negated ("stryk den inte")
                         "stryk den inte", "stryk inte", "ta inte bort den", "ta inte bort",
                         "ta inte bort tiden", "radera inte", "don't delete it",
                         "don't delete", "do not delete it", "don't remove it",
                         "don't cancel", "don't cancel it"]}
# "Vill du avboka?" again in other words, with options that name what happens: asked when
# the answer says neither yes nor no ("kan inte").
CANCEL_CHECK = Check("mybookings.cancel_check", (("yes", "mybookings.cancel_check.yes"),
                                                 ("no", "mybookings.cancel_check.no")))
ACTION_ALIASES = {"cancel": ["avboka", "cancel", "ta bort", "stryk"],
                  "move": ["boka om", "flytta", "byt tid", "andra", "ändra", "move", "reschedule"],
                  BACK: ["tillbaka", "back", "meny", "menu"]}


async def chosen(turn: Turn) -> tuple[Booking, VisitKind] | None:
    """The booking being acted on, if it is still this person's and still booked."""
    found = await turn.session.get(Booking, turn.data.get("mb_booking"))
    if (found is None or found.contact_id != turn.contact.id or found.status != "booked"
            or found.end <= turn.now):
        return None
    kind = await turn.session.get(VisitKind, found.kind_id)
    return (found, kind) if kind is not None else None


@mybookings.asks("start")
async def ask_list(turn: Turn) -> None:
    await _ask_list(turn, "action")


@mybookings.asks("which_cancel")
async def ask_which_to_cancel(turn: Turn) -> None:
    await _ask_list(turn, "cancel")


async def _ask_list(turn: Turn, then: MyBookingsStep) -> None:
    """The person's visits to choose from; one visit goes straight to `then` for it."""
    assert turn.contact.id is not None
    turn.forget("mb_booking")
    upcoming = await upcoming_bookings(turn.session, turn.contact.id, turn.now)
    if not upcoming:
        mybookings.enter(turn, "empty")
        return turn.ask("mybookings.none", options(turn.t, [("book", "menu.book"),
                                                            (BACK, "common.back")]))
    if len(upcoming) == 1:
        turn.remember(mb_booking=upcoming[0].id)
        return await mybookings.go(turn, then)
    zone = turn.policy.zone
    choices = []
    for item in upcoming:
        kind = await turn.session.get(VisitKind, item.kind_id)
        if kind is not None:
            choices.append(Option(str(item.id), booking_words(item, kind, turn.t, zone)))
    choices.append(Option(BACK, turn.t("common.back")))
    ask_paged(turn, "mybookings.which", choices)


mybookings.asks("empty")(ask_list)


@mybookings.answers("start")
async def answer_list(turn: Turn) -> None:
    await _answer_list(turn, "action")


@mybookings.answers("which_cancel")
async def answer_which_to_cancel(turn: Turn) -> None:
    await _answer_list(turn, "cancel")


async def _answer_list(turn: Turn, then: MyBookingsStep) -> None:
    key = await pick(turn, ACTION_ALIASES)
    if key == MORE:
        return
    if key is None or key in ("cancel", "move"):
        return await reask(turn, "mybookings.pick_one")
    if key == BACK:
        return await go(turn, "menu")
    turn.remember(mb_booking=int(key))
    await mybookings.go(turn, then)


async def show_visit(turn: Turn, then: MyBookingsStep, day: date | None = None) -> bool:
    """"jag kan inte komma" (`then` "action": cancel or move) or "avboka min tid" (`then`
    "cancel": the cancel question, itself the confirmation) typed anywhere: the visit it is
    about. That is the one on `day` if named ("kan inte komma imorgon"), else the one last
    reminded of, else the only one; otherwise the person chooses. False while a booking is
    being made and there is no visit yet: that question reads the answer."""
    assert turn.contact.id is not None
    upcoming = await upcoming_bookings(turn.session, turn.contact.id, turn.now)
    if not upcoming and turn.state.flow == "booking" and turn.state.step != "booked":
        return False
    zone = turn.policy.zone
    on_day = [b for b in upcoming if day is not None and b.start.astimezone(zone).date() == day]
    reminded = [b for b in upcoming if b.id == turn.data.get(REMINDED)]
    found = next((group[0] for group in (on_day, reminded, upcoming) if len(group) == 1), None)
    if found is None:
        await mybookings.go(turn, "start" if then == "action" else "which_cancel")
        return True
    turn.remember(mb_booking=found.id)
    await mybookings.go(turn, then)
    return True


@mybookings.answers("empty")
async def answer_empty(turn: Turn) -> None:
    key = await pick(turn, {"book": ["boka", "book"], **ACTION_ALIASES})
    if key is None:
        return await reask(turn)
    await go(turn, "booking" if key == "book" else "menu")


@mybookings.asks("action")
async def ask_action(turn: Turn) -> None:
    found = await chosen(turn)
    if found is None:
        return await mybookings.go(turn, "start")
    item, kind = found
    unit = await turn.session.get(Unit, item.unit_id)
    turn.ask("mybookings.one", options(turn.t, [("cancel", "mybookings.cancel"),
                                                ("move", "mybookings.move"),
                                                (BACK, "common.back")]),
             visit=booking_words(item, kind, turn.t, turn.policy.zone),
             unit=unit.name if unit else "", code=item.code)


@mybookings.answers("action")
async def answer_action(turn: Turn) -> None:
    key = await pick(turn, ACTION_ALIASES)
    if key is None:
        return await reask(turn)
    if key == BACK:
        return await go(turn, "menu")
    found = await chosen(turn)
    if found is None:
        turn.say("mybookings.gone")
        return await mybookings.go(turn, "start")
    item, _kind = found
    if key == "cancel":
        return await mybookings.go(turn, "cancel")
    await start_move(turn, item)


@mybookings.asks("cancel")
async def ask_cancel(turn: Turn) -> None:
    found = await chosen(turn)
    if found is None:
        return await mybookings.go(turn, "start")
    item, kind = found
    choices = [("yes", "mybookings.cancel_yes"), ("no", "mybookings.cancel_keep")]
    if turn.data.get("mb_move_offered"):  # asked to move it: Boka om is a third answer
        choices.append(("move", "mybookings.move"))
    turn.ask("mybookings.cancel_question", options(turn.t, choices),
             visit=booking_words(item, kind, turn.t, turn.policy.zone))


@mybookings.answers("cancel")
async def answer_cancel(turn: Turn) -> None:
    """Cancel or keep; a wish to move it gets the way to (the option Boka om) and the
    question again; Boka om chosen starts the move. Nothing is cancelled without a yes."""
    if turn.data.get("_confirm") is None:
        reading = read(turn, CANCEL_ALIASES)
        if reading.key == "move" and (found := await chosen(turn)) is not None:
            turn.forget("mb_move_offered")
            return await start_move(turn, found[0])
        if reading.key is None and wants_change(turn.text or ""):  # "kan jag flytta den?"
            turn.say("mybookings.move_how")
            turn.remember(mb_move_offered=True)
            return await mybookings.go(turn, "cancel")
        if reading.key is None and cant_alone(turn.text) and (found := await chosen(turn)):
            # "kan inte": can't come, or can't cancel? Asked again in other words.
            item, kind = found
            confirm_first(turn, "yes", CANCEL_CHECK,
                          visit=booking_words(item, kind, turn.t, turn.policy.zone))
            return
    key = await pick(turn, CANCEL_ALIASES, risky={"yes"}, final=True)
    if key == CONFIRMING:
        return
    if key is None:
        return await reask(turn)
    turn.forget("mb_move_offered")
    found = await chosen(turn)
    turn.forget("mb_booking")
    if key == "no" or found is None:
        turn.say("mybookings.kept" if found is not None else "mybookings.gone")
        return await go(turn, "menu")
    item, _kind = found
    await cancel_booking(turn.session, item, turn.now)
    await cancel_reminders(turn.session, item)
    turn.say("mybookings.cancelled")
    await go(turn, "menu")


async def bookings_section(turn: Turn) -> list[str]:
    """MINA UPPGIFTER: every visit we keep for the person, with its status and needs."""
    assert turn.contact.id is not None
    lines = []
    zone = turn.policy.zone
    for item in await bookings_of(turn.session, turn.contact.id):
        kind = await turn.session.get(VisitKind, item.kind_id)
        if kind is None:
            continue
        language = turn.typed_language(item.interpreter_language) if item.interpreter_language else None
        needs = needs_words(language, item.accessibility, turn.t)
        lines.append(turn.t("booking.mydata.line", visit=booking_words(item, kind, turn.t, zone),
                            status=turn.t(f"booking.mydata.status.{item.status}"),
                            code=item.code) + (f" ({needs})" if needs else ""))
    return lines

