"""Property-based fuzzing of conversation input: whatever a person sends, the bot answers
and never raises. Runs the engine directly (no HTTP) so thousands of turns stay quick."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from bot.clock import DemoClock
from handlers.base import Inbound
from handlers.keywords import KEYWORDS
from tests.conftest import start_services
from tests.fuzzing import Loop, cases, fuzz

CHANNELS = ["sim-sms", "sim-telegram", "sms", "telegram"]
KINDS = ["photo", "sticker", "voice", "video", "document", "location", "contact", "media"]
WORDS = [*KEYWORDS, "ja", "nej", "yes", "no", "hej", "boka", "fler", "tillbaka", "avboka",
         "Rinkeby", "sodermalm", "jobbar", "studerar", "imorgon", "fredag 14", "22", "15", "99"]


@dataclass(frozen=True)
class Step:
    kind: str  # text, press, choice, content, start, clock
    value: Any = None


def shouted(word: str) -> st.SearchStrategy[str]:
    """A known word as people type it: any case, spaces around, maybe a full stop."""
    return st.tuples(st.sampled_from(["", " ", "  "]), st.booleans(), st.sampled_from(["", ".", "!"])
                     ).map(lambda t: f"{t[0]}{word.upper() if t[1] else word}{t[2]}")


steps = st.one_of(
    st.builds(Step, st.just("text"), st.text(max_size=300)),
    st.builds(Step, st.just("text"), st.sampled_from(WORDS).flatmap(shouted)),
    st.builds(Step, st.just("text"), st.integers(-3, 40).map(str)),
    st.builds(Step, st.just("press"), st.integers(0, 20)),
    st.builds(Step, st.just("press"), st.integers(0, 20)),
    st.builds(Step, st.just("choice"), st.text(max_size=80)),
    st.builds(Step, st.just("content"), st.sampled_from(KINDS)),
    st.builds(Step, st.just("start"), st.text(max_size=70)),
    st.builds(Step, st.just("clock"), st.integers(1, 24 * 40)),  # hours
)


@dataclass
class World:
    """What the test remembers between examples: the options each person was last offered."""

    offered: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    provider_ids: int = 0
    turns: int = 0
    cases: int = 0


async def play(services: Any, world: World, channel: str, person: int, sender: int | None,
               script: list[Step]) -> None:
    address = f"fz{person}" if not channel.endswith("sms") else f"+4670{person:07d}"
    for step in script:
        if step.kind == "clock":
            assert isinstance(services.clock, DemoClock)
            services.clock.advance(step.value * 3600)
            await services.engine.run_due_jobs()
            continue
        offered = world.offered.get((channel, address), [])
        if step.kind == "press":
            if not offered:
                continue
            inbound = Inbound(choice=offered[step.value % len(offered)], sender_id=sender)
        elif step.kind == "choice":
            inbound = Inbound(choice=step.value, sender_id=sender)
        elif step.kind == "content":
            inbound = Inbound(kind=step.value, sender_id=sender)
        elif step.kind == "start":
            inbound = Inbound(text="/start", start_payload=step.value or None, sender_id=sender)
        else:
            inbound = Inbound(text=step.value, sender_id=sender)
        world.provider_ids += 1
        handled = await services.engine.handle(channel, address, inbound,
                                               provider_id=f"fz-{world.provider_ids}")
        world.turns += 1
        for reply in handled.replies:
            assert isinstance(reply.text, str) and reply.text.strip(), reply
            assert len(reply.text) <= 4096
            for option in reply.options:
                assert option["key"] and len(option["key"].encode()) <= 64, option
        if handled.replies:
            world.offered[(channel, address)] = [o["key"] for o in handled.replies[-1].options]


def test_any_input_from_anyone_gets_a_reply_and_never_an_exception(sqlite_url):
    loop = Loop()
    services = loop.run(start_services(sqlite_url))
    world = World()

    @fuzz("conversation")
    # Found by this test: "²" passes str.isdigit() but int() refuses it.
    @example(channel="sim-sms", person=25, sender=None, script=[Step("text", "²")])
    @example(channel="sim-telegram", person=1, sender=None, script=[Step("choice", "rsvp:²:yes")])
    @given(channel=st.sampled_from(CHANNELS), person=st.integers(0, 25),
           sender=st.none() | st.integers(1, 10**10), script=st.lists(steps, min_size=1, max_size=4))
    def converse(channel: str, person: int, sender: int | None, script: list[Step]) -> None:
        world.cases += 1
        loop.run(play(services, world, channel, person, sender, script))

    try:
        converse()
    finally:
        loop.run(services.close())
        loop.close()
    assert world.cases >= cases("conversation")
    assert world.turns > world.cases  # scripts of several steps were played
