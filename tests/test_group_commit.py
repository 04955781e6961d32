"""Group commit: messages that arrive together share a transaction and lose nothing.

A batch must give each person exactly what one transaction per message would have given
them; one failing turn must fail alone; a person's two messages in one batch run in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import event, func, select

from bot.group_commit import GroupCommit
from bot.metrics import REGISTRY
from bot.services import Services
from handlers.base import Inbound, Turn
from storage.models import (
    ChannelAddress,
    Contact,
    ConversationState,
    ErasedCount,
    InboundMessage,
    Outbox,
    StaffUser,
)
from tests.conftest import start_services
from tests.sim import SimPerson

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage


def batches_so_far() -> tuple[float, float, float]:
    """(batches, messages in them, batches split) from /metrics' histogram and counter."""
    def sample(name: str) -> float:
        return REGISTRY.get_sample_value(name) or 0.0
    return (sample("jobbtorg_inbound_batch_size_count"), sample("jobbtorg_inbound_batch_size_sum"),
            sample("jobbtorg_inbound_batch_splits_total"))


async def count(services, model) -> int:  # type: ignore[no-untyped-def]
    async with services.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


@contextmanager
def failing_first_contact(services: Services, text: str) -> Iterator[None]:
    """A first-contact hook that breaks on one text, as a bug in a handler would."""
    async def explode(turn: Turn) -> None:
        if turn.inbound.text == text:
            raise RuntimeError("a bug in a handler")
    built = services.engine.parts
    services.engine.parts = replace(built, first_contact_hooks=(*built.first_contact_hooks, explode))
    try:
        yield
    finally:
        services.engine.parts = built


# -- the queue itself ---------------------------------------------------------------------

async def test_what_arrives_while_a_batch_runs_goes_into_the_next_and_results_find_their_caller():
    seen: list[list[int]] = []

    async def run(items: list[int]) -> list[int | BaseException]:
        seen.append(items)
        await asyncio.sleep(0.01)
        return [ValueError(n) if n == 7 else n * 10 for n in items]

    group: GroupCommit[int, int] = GroupCommit(run, max_batch=4)

    async def call(n: int) -> int | str:
        try:
            return await group.submit(n)
        except ValueError:
            return "failed"

    results = await asyncio.gather(*(call(n) for n in range(10)))
    assert results == [0, 10, 20, 30, 40, 50, 60, "failed", 80, 90]
    # The first starts at once; the rest waited, at most max_batch at a time, in order.
    assert [len(batch) for batch in seen] == [1, 4, 4, 1]
    assert [n for batch in seen for n in batch] == list(range(10))


async def test_two_batches_run_at_once_but_never_with_the_same_key():
    running: set[str] = set()
    overlapped = False
    order: list[str] = []

    async def run(items: list[str]) -> list[str | BaseException]:
        nonlocal overlapped
        keys = {item[0] for item in items}
        assert not keys & running, "one key in two running batches"
        overlapped = overlapped or bool(running)
        running.update(keys)
        await asyncio.sleep(0.01)
        running.difference_update(keys)
        order.extend(items)
        return items

    group: GroupCommit[str, str] = GroupCommit(run, max_batch=3, concurrency=2,
                                               key=lambda item: item[0])
    items = [f"{person}{n}" for n in range(4) for person in "abcd"]
    assert await asyncio.gather(*(group.submit(item) for item in items)) == items
    assert overlapped  # two batches did run at the same time
    for person in "abcd":  # and each person's items ran in the order they came
        assert [i for i in order if i[0] == person] == [f"{person}{n}" for n in range(4)]


async def test_a_caller_that_goes_away_does_not_stop_the_others():
    release = asyncio.Event()

    async def run(items: list[int]) -> list[int | BaseException]:
        await release.wait()
        return items

    group: GroupCommit[int, int] = GroupCommit(run)
    gone = asyncio.create_task(group.submit(1))
    kept = asyncio.create_task(group.submit(2))
    await asyncio.sleep(0)
    gone.cancel()
    release.set()
    assert await kept == 2
    with pytest.raises(asyncio.CancelledError):
        await gone


# -- the engine ---------------------------------------------------------------------------

async def test_many_first_messages_at_once_share_transactions_and_each_person_is_greeted_once(services):
    batches, messages, _ = batches_so_far()
    handled = await asyncio.gather(*(
        services.engine.handle("sim-telegram", f"p{n % 20}", Inbound(text="hej"),
                               provider_id=f"g{n}") for n in range(40)))
    after_batches, after_messages, _ = batches_so_far()
    assert after_messages - messages == 40
    assert after_batches - batches < 40  # some messages shared a transaction
    texts = [[reply.text for reply in h.replies] for h in handled]
    # The first message of each person is a first contact (welcome + language), the second
    # is an answer that is not a language: asked again, as one at a time would do.
    assert sum("Jobbtorg Stockholm" in t[0] for t in texts) == 20
    assert sum("förstod inte" in t[0] for t in texts) == 20
    assert await count(services, Contact) == 20
    assert await count(services, InboundMessage) == 40
    assert await count(services, Outbox) == 80
    async with services.db.transaction() as session:
        versions = (await session.execute(select(ConversationState.version))).scalars().all()
    assert sorted(versions) == [2] * 20


async def test_a_batch_of_people_who_wrote_before_costs_five_statements(services):
    """Repeats, staff and open hand-offs in one read, everyone locked in one, then the
    inbound rows, the states and the replies: each a round trip to the database, so
    their number, not the batch's size, is what a batch costs."""
    engine = services.engine
    await asyncio.gather(*(engine.handle("telegram", str(500 + n), Inbound(text="hej", sender_id=500 + n),
                                         provider_id=f"w{n}") for n in range(8)))
    statements: list[str] = []

    def executed(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.split()[0] in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            statements.append(statement.split()[0])

    event.listen(services.db.engine.sync_engine, "before_cursor_execute", executed)
    try:
        batches, _, _ = batches_so_far()
        # The first message starts a batch alone; the seven others share the next.
        await asyncio.gather(*(engine.handle("telegram", str(500 + n), Inbound(text="hej", sender_id=500 + n),
                                             provider_id=f"x{n}") for n in range(8)))
    finally:
        event.remove(services.db.engine.sync_engine, "before_cursor_execute", executed)
    assert batches_so_far()[0] - batches == 2
    assert statements == ["SELECT", "SELECT", "INSERT", "UPDATE", "INSERT"] * 2


async def test_one_persons_messages_in_one_batch_run_in_order(services):
    engine = services.engine
    await engine.handle("sim-sms", "order", Inbound(text="hej"), provider_id="o0")
    first, second, third = await asyncio.gather(
        engine.handle("sim-sms", "order", Inbound(text="1"), provider_id="o1"),  # Svenska
        engine.handle("sim-sms", "order", Inbound(text="1"), provider_id="o2"),  # Ja (consent)
        engine.handle("sim-sms", "order", Inbound(text="2"), provider_id="o3"),  # 16-19
    )
    assert "okej?" in first.replies[-1].text
    assert "Hur gammal" in second.replies[-1].text
    async with services.db.transaction() as session:
        address = (await session.execute(select(ChannelAddress).where(
            ChannelAddress.address == "order"))).scalar_one()
        state = await session.get(ConversationState, address.contact_id)
        assert state is not None and state.version == 4
        replies = (await session.execute(select(Outbox.text).where(
            Outbox.address_id == address.id).order_by(Outbox.id))).scalars().all()
    # The replies are queued in the order of the turns that wrote them.
    assert [text for h in (first, second, third) for text in (r.text for r in h.replies)] == \
        list(replies[-sum(len(h.replies) for h in (first, second, third)):])


async def test_repeats_inside_and_across_batches_are_handled_once(services):
    engine = services.engine
    await engine.handle("sim-sms", "rep", Inbound(text="hej"), provider_id="r1")
    handled = await asyncio.gather(
        engine.handle("sim-sms", "rep", Inbound(text="hej"), provider_id="r1"),  # seen before
        engine.handle("sim-sms", "rep2", Inbound(text="hej"), provider_id="r2"),
        engine.handle("sim-sms", "rep2", Inbound(text="hej"), provider_id="r2"),  # twice here
    )
    assert [h.duplicate for h in handled] == [True, False, True]
    assert not handled[0].replies and not handled[2].replies
    assert await count(services, InboundMessage) == 2
    assert await count(services, Outbox) == 4


async def test_a_failing_turn_fails_alone_and_leaves_nothing_behind(services):
    engine = services.engine
    _, _, splits = batches_so_far()
    with failing_first_contact(services, "BOOM"):
        handled = await asyncio.gather(*(
            engine.handle("sim-sms", f"f{n}", Inbound(text="BOOM" if n == 3 else "hej"),
                          provider_id=f"f{n}") for n in range(6)), return_exceptions=True)
    assert isinstance(handled[3], RuntimeError)
    assert all(not isinstance(h, BaseException) and h.replies for i, h in enumerate(handled) if i != 3)
    assert batches_so_far()[2] > splits
    async with services.db.transaction() as session:
        ids = set((await session.execute(select(InboundMessage.provider_id))).scalars())
        addresses = set((await session.execute(select(ChannelAddress.address))).scalars())
    # The failed message is not recorded, so the provider's retry is handled afresh.
    assert ids == {"f0", "f1", "f2", "f4", "f5"}
    assert "f3" not in addresses
    retry = await engine.handle("sim-sms", "f3", Inbound(text="hej"), provider_id="f3")
    assert retry.replies and not retry.duplicate


async def test_a_person_erased_in_a_batch_is_a_new_person_in_their_next_message(services, client):
    person = SimPerson(client, "eraser")
    await person.onboard()
    await person.send("RADERA")
    erased, after = await asyncio.gather(
        services.engine.handle("sim-telegram", "eraser", Inbound(choice="yes")),
        services.engine.handle("sim-telegram", "eraser", Inbound(text="hej")),
    )
    assert erased.contact_id is None and "tagit bort allt" in erased.replies[0].text
    assert "Jobbtorg Stockholm" in after.replies[0].text  # greeted as someone new
    assert await count(services, ErasedCount) == 1
    assert await count(services, Contact) == 1


@pytest.mark.parametrize("batch", [1, 64])
async def test_the_result_is_the_same_with_and_without_batching(sqlite_url, batch):
    services = await start_services(sqlite_url, inbound_batch=batch)
    try:
        handled = await asyncio.gather(*(
            services.engine.handle("sim-sms", f"s{n % 5}", Inbound(text=text), provider_id=f"s{n}")
            for n, text in enumerate(["hej"] * 5 + ["1"] * 5 + ["1"] * 5)))
        steps = []
        async with services.db.transaction() as session:
            steps = sorted((await session.execute(
                select(ConversationState.step, ConversationState.version))).all())
    finally:
        await services.close()
    assert steps == [("age", 3)] * 5
    assert sum(len(h.replies) for h in handled) == 5 * 2 + 5 * 1 + 5 * 1


async def test_a_staff_command_among_participants_is_answered_as_staff(services):
    coach = 4242
    async with services.db.transaction() as session:
        session.add(StaffUser(username="coach-batch", role="coach", telegram_user_id=coach,
                              created_at=services.clock.now()))
    handled = await asyncio.gather(
        *(services.engine.handle("telegram", str(900 + n), Inbound(text="hej", sender_id=900 + n),
                                 provider_id=f"t{n}") for n in range(3)),
        services.engine.handle("telegram", str(coach), Inbound(text="/idag", sender_id=coach),
                               provider_id="t-staff"),
        # A staff user who writes no command is answered as anyone else would be.
        services.engine.handle("telegram", str(coach), Inbound(text="hej", sender_id=coach),
                               provider_id="t-staff-2"),
    )
    assert all("Jobbtorg Stockholm" in h.replies[0].text for h in handled[:3])
    assert handled[3].replies and "Jobbtorg Stockholm" not in handled[3].replies[0].text
    assert handled[3].contact_id is None  # staff are no participants
    assert "Jobbtorg Stockholm" in handled[4].replies[0].text
    async with services.db.transaction() as session:
        kinds = dict((await session.execute(select(InboundMessage.provider_id, InboundMessage.kind)
                                            .where(InboundMessage.provider_id.like("t%")))).all())
    assert kinds == {"t0": "text", "t1": "text", "t2": "text", "t-staff": "staff",
                     "t-staff-2": "text"}
