"""Conversations as named flows of steps: each step asks a question and handles its answer.

A flow registers an asker and an answerer per step:

    booking = Flow("booking")

    @booking.asks("kind")
    async def ask_kind(turn): turn.ask("booking.kind", [...])

    @booking.answers("kind")
    async def answer_kind(turn):
        key = await pick(turn)
        if key is None:
            return await reask(turn)
        ...
        await booking.go(turn, "day")

Askers only render a question (they may run again for a re-ask or a language change);
answerers change state and move on. `go(turn, "menu")` jumps to another flow's start.
A flow is only a value: `bot/root.py` lists every flow, and a turn finds the others in
`turn.parts.flows`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from handlers.base import Option, Turn, options
from handlers.understand import DIGIT, PRESSED, Reading, read_answer

Step = Callable[[Turn], Awaitable[None]]

# Every flow's name, so mypy checks each `go(turn, "menu")` and `Flow("...")`: a typo or
# a flow that does not exist fails `make lint`. A new flow adds its name here.
FlowName = Literal["onboarding", "menu", "booking", "mybookings", "faq", "feedback", "handoff",
                   "mydata", "language", "erase", "survey"]

# Each flow's steps, so mypy checks every `flow.go(turn, "step")`, `@flow.asks("step")`
# and `back`: a misspelt or missing step fails `make lint`. Where each leads is read in
# the flow's `back` and its answerers. A new step is added here.
OnboardingStep = Literal["start", "language", "consent", "consent_check", "age", "district",
                         "gender", "help"]
BookingStep = Literal["start", "unit", "kind", "has_one", "day", "time", "name", "needs",
                      "language", "confirm", "booked", "again"]
MyBookingsStep = Literal["start", "empty", "action", "cancel", "which_cancel"]
SurveyStep = Literal["status", "seeking", "extent", "employment", "school", "chances", "comment"]
FeedbackStep = Literal["start", "text"]
OneStep = Literal["start"]  # menu, faq, handoff, language, mydata, erase
StepName = TypeVar("StepName", bound=str)

MORE = "_more"  # the option key that shows the next page of a long list
CONFIRMING = "_confirming"  # pick asked something itself (a confirmation); the caller returns
AGAIN = "_again"  # a check's option that asks the question again ("Nej, jag är 16 eller äldre")


@dataclass(frozen=True)
class Check:
    """A question asked again in other words before acting on an answer that cannot be
    undone or ends the conversation, with options that name what happens ("Ja, avboka" /
    "Nej, behåll tiden", "Ja, det är okej" / "Nej, spara inget"): the person says their
    answer again, never "Ja" to confirm a "Nej" (which "Stämmer det?" asked of learners).

    `choices`: (key, catalog key of the label), the first the yes of the check and the
    second its no. Keys are answers of the question being checked ("yes", "no",
    "under-16"), or AGAIN for the question itself again."""

    question: str
    choices: tuple[tuple[str, str], tuple[str, str]]

    def options(self, turn: Turn) -> list[Option]:
        return options(turn.t, list(self.choices))


class Flow(Generic[StepName]):
    """A flow whose steps are `StepName` (one of the Literals above): `Flow[BookingStep]`.
    `back`: the step "tillbaka" leads to from each step (else the menu).
    `cancelled_key`: what is said when the person types "avbryt" in this flow."""

    def __init__(self, name: FlowName, back: dict[StepName, StepName] | None = None,
                 cancelled_key: str = "common.cancelled") -> None:
        self.name = name
        # By step name; a saved state's step is a plain string from the database.
        self.askers: dict[str, Step] = {}
        self.answerers: dict[str, Step] = {}
        self.back: dict[StepName, StepName] = back or {}
        self.cancelled_key = cancelled_key
        # A flow whose way back depends on what was answered (the survey) sets this: it
        # returns True when it went back itself.
        self.take_back: Callable[[Turn], Awaitable[bool]] | None = None

    def asks(self, step: StepName) -> Callable[[Step], Step]:
        def register(function: Step) -> Step:
            self.askers[step] = function
            return function
        return register

    def answers(self, step: StepName) -> Callable[[Step], Step]:
        def register(function: Step) -> Step:
            self.answerers[step] = function
            return function
        return register

    def enter(self, turn: Turn, step: StepName) -> None:
        """Move to a step of this flow without asking anything (its question was asked)."""
        turn.set_step(self.name, step)

    async def go(self, turn: Turn, step: StepName) -> None:
        """Move to a step of this flow and ask its question (if it has one)."""
        turn.set_step(self.name, step)
        asker = self.askers.get(step)
        if asker is not None:
            await asker(turn)

    async def handle(self, turn: Turn) -> None:
        answerer = self.answerers.get(turn.state.step)
        if answerer is None:  # a step that takes no answer: show the menu
            await go(turn, "menu")
            return
        await answerer(turn)


async def go(turn: Turn, flow: FlowName, step: str = "start") -> None:
    """Jump to another flow's step ("start" unless given; the flow's own `go` checks the
    step's name, so prefer `booking.go(turn, "kind")` within a flow)."""
    await turn.parts.flows[flow].go(turn, step)


async def ask_again(turn: Turn) -> None:
    """Ask the current step's question again (after a language change or a stray message)."""
    asker = turn.parts.flows[turn.state.flow].askers.get(turn.state.step)
    if asker is not None:
        await asker(turn)
    else:
        await go(turn, "menu")


async def reask(turn: Turn, hint_key: str = "common.not_understood", **params: Any) -> None:
    """A kind 'I did not understand' (or the hint `hint_key` with its `params`) and the
    same question again; a short list of options is spelled out in words ("Skriv Ja eller
    Nej"), so the re-ask says it another way."""
    turn.state.reasks += 1
    shown = [o.label for o in turn.offered() if o.key != MORE]
    if hint_key == "common.not_understood" and 1 < len(shown) <= 6:
        turn.say("common.not_understood_choices", choices=spelled(turn, shown))
    else:
        turn.say(hint_key, **params)
    await ask_again(turn)


def spelled(turn: Turn, labels: list[str]) -> str:
    """'"Ja" eller "Nej"', '"Tolk", "Båda" eller "Nej, inget"'."""
    quoted = [f'"{label}"' for label in labels]
    return turn.t("common.or", first=", ".join(quoted[:-1]), last=quoted[-1])


async def navigate(turn: Turn, where: str) -> None:
    """'tillbaka' and 'avbryt' typed at any step. Back goes to the flow's previous step;
    cancel (or back from a first step) leaves for the menu. Onboarding cannot be left:
    there the question is asked again (the age gate is never skipped)."""
    flow = turn.parts.flows[turn.state.flow]
    if where == "back" and flow.take_back is not None and await flow.take_back(turn):
        return
    previous = flow.back.get(turn.state.step) if where == "back" else None
    if previous is not None:
        return await flow.go(turn, previous)
    if turn.state.flow == "onboarding" or turn.contact.status != "active":
        turn.say("common.finish_first")
        return await ask_again(turn)
    turn.say(flow.cancelled_key if where == "cancel" else "common.to_menu")
    await go(turn, "menu")


NUMBERED_PAGE_CHARS = 200  # labels of one page of a numbered list, in characters


def ask_paged(turn: Turn, key: str, choices: list[Option], page: int = 0,
              more_key: str = "common.more", **params: Any) -> None:
    """Ask with options; a list longer than the medium shows is paged: up to
    `medium.max_options` choices plus a 'more' option (label from `more_key`).

    Every option stays answerable by name on every page; numbers refer to the page shown.
    """
    size = max(2, turn.medium.max_options)
    if not turn.medium.buttons:
        # A numbered list is part of the text: keep a page of long labels (visits with
        # their dates) within two SMS segments, with the question and "Svara 1, 2 ...".
        while size > 2 and sum(len(c.label) + 5 for c in choices[:size]) > NUMBERED_PAGE_CHARS:
            size -= 1
    if len(choices) <= size:
        visible = choices
    else:
        pages = (len(choices) + size - 1) // size
        page %= pages
        visible = [*choices[page * size:(page + 1) * size], Option(MORE, turn.t(more_key))]
    turn.ask(key, visible, **params)
    turn.remember(_question={"key": key, "params": params, "page": page, "more_key": more_key,
                             "choices": [c.as_dict() for c in choices]})


def read(turn: Turn, aliases: dict[str, list[str]] | None = None, yes_key: str | None = "yes",
         no_key: str | None = "no", change_key: str | None = None) -> Reading:
    """What the person's reply to the question last asked means (handlers/understand.py).
    A typed number is an option only where the medium shows options numbered.
    `change_key`: the option for another time, where the question has one."""
    question = turn.data.get("_question")
    everything = [Option(c["key"], c["label"]) for c in question["choices"]] if question else []
    return read_answer(turn.inbound.text, turn.inbound.choice, turn.offered(), aliases=aliases,
                       numbered=not turn.medium.buttons, everything=everything,
                       yes_key=yes_key, no_key=no_key, change_key=change_key)


async def pick(turn: Turn, aliases: dict[str, list[str]] | None = None, *,
               risky: Collection[str] = (), check: Check | None = None, final: bool = False,
               yes_key: str | None = "yes", no_key: str | None = "no",
               change_key: str | None = None) -> str | None:
    """The option the person chose, or None (the caller re-asks). A 'more' press shows
    the next page and returns MORE; the caller then simply returns.

    `risky`: keys whose action cannot be undone or ends the conversation (erasure,
    declining consent, the under-16 exit, cancelling a booking). Such a key picked by a
    bare digit, or read with less than certainty (a typo, "inte nu"), is checked first:
    pick asks `check` (the question again in other words) and returns CONFIRMING (the
    caller returns); at the next answer it returns what the check's options name (see
    `confirm_first`). `final`: this question is itself that confirmation ("Vill du ta
    bort allt?"), so a digit is enough, and an unsure reading is asked again.
    """
    pending = turn.data.get("_confirm")
    if pending is not None:
        return await _confirmed(turn, pending, aliases)
    reading = read(turn, aliases, yes_key, no_key, change_key)
    key = reading.key
    question = turn.data.get("_question")
    if key == MORE and question:
        choices = [Option(c["key"], c["label"]) for c in question["choices"]]
        ask_paged(turn, question["key"], choices, question["page"] + 1,
                  question.get("more_key", "common.more"), **question["params"])
        return MORE
    if key is None or key not in risky or reading.how == PRESSED:
        return key
    if final:
        return key if reading.certain else None
    if reading.how == DIGIT or not reading.certain:
        assert check is not None, f"a risky key ({key}) needs a check to ask"
        confirm_first(turn, key, check)
        return CONFIRMING
    return key


def confirm_first(turn: Turn, key: str, check: Check, **params: Any) -> None:
    """Ask `check` before acting on `key`; `pick` at the same step then returns `key` for
    the check's option that names it read with certainty (a digit is enough: this is
    the check), the other option's key after that one (AGAIN: the step's question is
    asked again), and asks the check again after anything else."""
    turn.ask(check.question, check.options(turn), **params)
    turn.remember(_confirm={"key": key, "question": check.question, "params": params,
                            "choices": [list(choice) for choice in check.choices]})


async def _confirmed(turn: Turn, pending: dict[str, Any],
                     aliases: dict[str, list[str]] | None) -> str | None:
    """The answer to a check, read with the step's own `aliases` ("jag kommer" keeps the
    visit, "stryk den" cancels it)."""
    key = str(pending["key"])
    choices = pending.get("choices")
    if not choices:  # asked before checks named their options: "Stämmer det?", Ja goes ahead
        choices, aliases = [[key, "common.yes"], [AGAIN, "common.no"]], None
    (yes, yes_label), (no, no_label) = choices
    check = Check(pending["question"], ((yes, yes_label), (no, no_label)))
    reading = read(turn, aliases, yes_key=yes, no_key=no)
    if reading.key == key and reading.certain:
        turn.forget("_confirm")
        return key
    other = no if key == yes else yes
    if reading.key == other:  # not what cannot be undone: taken as read
        turn.forget("_confirm")
        if other != AGAIN:
            return other
        await ask_again(turn)
        return CONFIRMING
    turn.state.reasks += 1
    turn.say("common.not_understood_choices",
             choices=spelled(turn, [o.label for o in turn.offered()]))
    confirm_first(turn, key, check, **pending["params"])
    return CONFIRMING
