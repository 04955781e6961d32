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
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from handlers.base import Inbound, Option, Turn
from handlers.choices import match_option

Step = Callable[[Turn], Awaitable[None]]

FLOWS: dict[str, Flow] = {}
MORE = "_more"  # the option key that shows the next page of a long list


class Flow:
    def __init__(self, name: str) -> None:
        self.name = name
        self.askers: dict[str, Step] = {}
        self.answerers: dict[str, Step] = {}
        FLOWS[name] = self

    def asks(self, step: str) -> Callable[[Step], Step]:
        def register(function: Step) -> Step:
            self.askers[step] = function
            return function
        return register

    def answers(self, step: str) -> Callable[[Step], Step]:
        def register(function: Step) -> Step:
            self.answerers[step] = function
            return function
        return register

    async def go(self, turn: Turn, step: str) -> None:
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


async def go(turn: Turn, flow: str, step: str = "start") -> None:
    await FLOWS[flow].go(turn, step)


async def ask_again(turn: Turn) -> None:
    """Ask the current step's question again (after a language change or a stray message)."""
    asker = FLOWS[turn.state.flow].askers.get(turn.state.step)
    if asker is not None:
        await asker(turn)
    else:
        await go(turn, "menu")


async def reask(turn: Turn, hint_key: str = "common.not_understood") -> None:
    """A kind 'I did not understand' and the same question again."""
    turn.state.reasks += 1
    turn.say(hint_key)
    await ask_again(turn)


def ask_paged(turn: Turn, key: str, choices: list[Option], page: int = 0,
              more_key: str = "common.more", **params: Any) -> None:
    """Ask with options; a list longer than the medium shows is paged: up to
    `medium.max_options` choices plus a 'more' option (label from `more_key`).

    Every option stays answerable by name on every page; numbers refer to the page shown.
    """
    size = max(2, turn.medium.max_options)
    if len(choices) <= size:
        visible = choices
    else:
        pages = (len(choices) + size - 1) // size
        page %= pages
        visible = [*choices[page * size:(page + 1) * size], Option(MORE, turn.t(more_key))]
    turn.ask(key, visible, **params)
    turn.remember(_question={"key": key, "params": params, "page": page, "more_key": more_key,
                             "choices": [c.as_dict() for c in choices]})


async def pick(turn: Turn, aliases: dict[str, list[str]] | None = None) -> str | None:
    """The option the person chose, or None. A 'more' press shows the next page and
    returns MORE; the caller then simply returns."""
    visible = turn.offered()
    key = match_option(turn.inbound, visible, aliases)
    question = turn.data.get("_question")
    if key is None and question and turn.inbound.text and not turn.text.isdigit():
        everything = [Option(c["key"], c["label"]) for c in question["choices"]]
        key = match_option(Inbound(text=turn.inbound.text), everything, aliases)
    if key == MORE and question:
        choices = [Option(c["key"], c["label"]) for c in question["choices"]]
        ask_paged(turn, question["key"], choices, question["page"] + 1,
                  question.get("more_key", "common.more"), **question["params"])
    return key
