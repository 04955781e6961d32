"""The hand-off inbox: a coach reads the conversation and answers in the person's channel."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import build_app
from bot.passwords import hash_password
from bot.web.dashboard.handoffs import answer_problem
from storage.models import AuditLog, HandoffRequest, InboundMessage, Outbox, StaffUser
from storage.places import unit_by_slug
from tests.conftest import start_services
from tests.sim import SimPerson
from tests.staff_web import login, post


@pytest.fixture
async def web(database_url):
    services = await start_services(database_url)
    async with services.db.transaction() as session:
        other = await unit_by_slug(session, "sydost")
        assert other is not None
        session.add(StaffUser(username="coach2", password_hash=hash_password("demo-coach-2-pw"),
                              role="coach", unit_id=other.id, created_at=services.clock.now()))
    async with TestClient(TestServer(build_app(services))) as client:
        yield client, services
    await services.close()


async def asks_for_a_human(client, user: str, look: str) -> int:
    person = SimPerson(client, user, look)
    await person.onboard()
    await person.press("human")
    await person.press("yes")
    page = await (await client.get("/staff/handoffs")).text()
    return int(re.search(r'href="/staff/handoffs/(\d+)"', page).group(1))


@pytest.mark.parametrize("look", ["sms", "telegram"])
async def test_a_coach_answers_in_the_channel_the_person_wrote_from(web, look):
    client, services = web
    await login(client, "coach")
    handoff_id = await asks_for_a_human(client, f"h-{look}", look)
    page = await (await client.get(f"/staff/handoffs/{handoff_id}")).text()
    assert "Vill du att en coach hör av sig" in page  # the conversation is shown
    assert ("data-sms-counter" in page) == (look == "sms")
    response = await post(client, f"/staff/handoffs/{handoff_id}/answer",
                          {"text": "Hej! Ring oss på 08-508 000 00."})
    assert "done=staff.web.done.answer_queued" in response.headers["Location"]
    async with services.db.transaction() as session:
        row = (await session.execute(select(Outbox).where(
            Outbox.text == "Hej! Ring oss på 08-508 000 00."))).scalar_one()
        handoff = await session.get(HandoffRequest, handoff_id)
        actions = list((await session.execute(select(AuditLog.action))).scalars())
    assert row.channel == f"sim-{look}" and row.to_address == f"h-{look}"
    assert handoff is not None and handoff.status == "answered"
    assert "view.conversation" in actions and "handoff.answer" in actions


async def test_an_empty_or_overlong_answer_is_refused(web):
    client, _ = web
    await login(client, "coach")
    handoff_id = await asks_for_a_human(client, "h-long", "sms")
    empty = await post(client, f"/staff/handoffs/{handoff_id}/answer", {"text": "  "})
    assert "error=staff.web.handoff.answer_empty" in empty.headers["Location"]
    long = await post(client, f"/staff/handoffs/{handoff_id}/answer", {"text": "€" * 1000})
    assert "error=staff.web.handoff.answer_long" in long.headers["Location"]


@pytest.mark.parametrize(("text", "sms", "problem"), [
    ("Hej", True, None),
    ("", True, "staff.web.handoff.answer_empty"),
    ("a" * 1530, True, None),  # ten GSM-7 parts
    ("a" * 1531, True, "staff.web.handoff.answer_long"),
    ("🙂" * 400, True, "staff.web.handoff.answer_long"),  # UCS-2: 800 units, 12 parts
    ("🙂" * 400, False, None),  # Telegram has no segments
    ("a" * 1601, False, "staff.web.handoff.answer_long"),
])
def test_answer_limits(text, sms, problem):
    assert answer_problem(text, sms) == problem


async def test_a_coach_of_another_unit_sees_neither_the_request_nor_the_conversation(web):
    client, _ = web
    await login(client, "coach")
    handoff_id = await asks_for_a_human(client, "h-private", "sms")
    await login(client, "coach2", "demo-coach-2-pw")
    assert "h-private" not in await (await client.get("/staff/handoffs")).text()
    assert f"/staff/handoffs/{handoff_id}" not in await (await client.get("/staff/handoffs")).text()
    assert (await client.get(f"/staff/handoffs/{handoff_id}")).status == 404
    refused = await post(client, f"/staff/handoffs/{handoff_id}/answer", {"text": "Hej"})
    assert refused.status == 404


async def test_closing_moves_the_request_out_of_the_open_list(web):
    client, _ = web
    await login(client, "coach")
    handoff_id = await asks_for_a_human(client, "h-close", "telegram")
    closed = await post(client, f"/staff/handoffs/{handoff_id}/close")
    assert "done=staff.web.done.handoff_closed" in closed.headers["Location"]
    assert f"/staff/handoffs/{handoff_id}" not in await (await client.get("/staff/handoffs")).text()
    listed = await (await client.get("/staff/handoffs?status=closed")).text()
    assert f"/staff/handoffs/{handoff_id}" in listed
    again = await post(client, f"/staff/handoffs/{handoff_id}/close")
    assert again.status == 409


COACH_TELEGRAM = 4242


async def link_coach_telegram(services) -> None:
    async with services.db.transaction() as session:
        coach = (await session.execute(select(StaffUser).where(
            StaffUser.username == "coach"))).scalar_one()
        coach.telegram_user_id = COACH_TELEGRAM


async def coach_notices(services) -> list[str]:
    async with services.db.transaction() as session:
        return list((await session.execute(select(Outbox.text).where(
            Outbox.to_address == str(COACH_TELEGRAM)).order_by(Outbox.id))).scalars())


async def test_what_the_person_writes_while_a_request_is_open_goes_to_the_thread(web):
    client, services = web
    await link_coach_telegram(services)
    await login(client, "coach")
    person = SimPerson(client, "h-thread", "sms")
    await person.onboard()
    await person.press("human")
    await person.press("yes")
    assert len(await coach_notices(services)) == 1  # the new request
    await person.send("Jag behöver hjälp med mitt CV")
    assert "förstod inte" not in person.text and "Coachen ser ditt meddelande" in person.text
    await person.send("Och aktivitetsrapporten")
    assert person.replies == []  # acknowledged once, not on every message
    await person.send("ring mig")  # asking again joins the open request
    assert "redan bett om kontakt" in person.text
    async with services.db.transaction() as session:
        requests = (await session.execute(select(HandoffRequest))).scalars().all()
    assert len(requests) == 1 and requests[0].status == "open"
    assert len(await coach_notices(services)) == 1  # still unread: no second notice
    page = await (await client.get(f"/staff/handoffs/{requests[0].id}")).text()
    for words in ("Jag behöver hjälp med mitt CV", "Och aktivitetsrapporten", "ring mig"):
        assert words in page
    await person.send("Är ni där?")  # read since: the coach is told again
    notices = await coach_notices(services)
    assert len(notices) == 2 and "Nytt meddelande i ärende" in notices[-1]
    assert "Är ni där" not in notices[-1]  # the words stay in the dashboard


async def test_ring_mig_at_the_menu_is_a_request_to_talk_to_a_person(web):
    client, services = web
    person = SimPerson(client, "h-call", "telegram")
    await person.onboard()
    await person.send("kan ni ringa mig?")
    assert "förstod inte" not in person.text and "2 arbetsdagar" in person.text
    await person.send("call me")
    assert "redan bett om kontakt" in person.text
    async with services.db.transaction() as session:
        assert len((await session.execute(select(HandoffRequest))).scalars().all()) == 1


async def test_unread_threads_come_first_with_a_count_in_the_navigation(web):
    client, services = web
    await login(client, "coach")
    await asks_for_a_human(client, "h-older", "sms")
    await asks_for_a_human(client, "h-newer", "telegram")
    async with services.db.transaction() as session:
        older, newer = (await session.execute(select(HandoffRequest.id).order_by(
            HandoffRequest.id))).scalars().all()
    page = await (await client.get("/staff/handoffs")).text()
    assert 'data-count="2"' in page
    await client.get(f"/staff/handoffs/{older}")  # read: no longer counted
    page = await (await client.get("/staff/handoffs")).text()
    assert 'data-count="1"' in page
    assert page.index(f"/staff/handoffs/{newer}") < page.index(f"/staff/handoffs/{older}")
    await SimPerson(client, "h-older", "sms").send("hallå?")
    page = await (await client.get("/staff/handoffs")).text()
    assert 'data-count="2"' in page
    assert page.index(f"/staff/handoffs/{older}") < page.index(f"/staff/handoffs/{newer}")


async def test_the_thread_shows_true_delivery_and_words_not_option_keys(web):
    client, services = web
    await login(client, "coach")
    handoff_id = await asks_for_a_human(client, "h-words", "sms")
    async with services.db.transaction() as session:
        handoff = await session.get(HandoffRequest, handoff_id)
        now = services.clock.now()
        session.add(Outbox(contact_id=handoff.contact_id, channel="sim-sms",
                           to_address="h-words", text="Rekryteringsträff i Kista",
                           options=[{"key": "rsvp:2:wait", "label": "Ställ mig i kö"}],
                           status="cancelled", created_at=now - timedelta(minutes=1),
                           next_attempt_at=now))
        session.add(InboundMessage(channel="sim-sms", provider_id="p-rsvp",
                                   contact_id=handoff.contact_id, text="rsvp:2:wait",
                                   received_at=now))
        session.add(InboundMessage(channel="sim-sms", provider_id="p-old",
                                   contact_id=handoff.contact_id, text="staff:visit:9:attended",
                                   received_at=now))
    page = await (await client.get(f"/staff/handoffs/{handoff_id}")).text()
    assert "rsvp:2:wait" not in page and "staff:visit" not in page
    assert "Valde: Ställ mig i kö" in page and "Tryckte på en knapp" in page
    cancelled = page[page.index("Rekryteringsträff i Kista") - 400:
                     page.index("Rekryteringsträff i Kista")]
    assert "skickades inte" in cancelled and "delivery-sent" not in cancelled


async def test_what_the_person_writes_in_the_middle_of_a_flow_marks_the_thread_unread(web):
    client, services = web
    await link_coach_telegram(services)
    await login(client, "coach")
    handoff_id = await asks_for_a_human(client, "h-midflow", "telegram")
    await client.get(f"/staff/handoffs/{handoff_id}")  # read: nothing unread
    assert "data-count" not in await (await client.get("/staff/handoffs")).text()
    assert len(await coach_notices(services)) == 1
    person = SimPerson(client, "h-midflow", "telegram")
    await person.send("meny")
    await person.press("book")
    await person.press("forsta-besok")
    await person.send("Kan jag ta med min bror till besöket?")  # at the day question
    page = await (await client.get("/staff/handoffs")).text()
    assert 'data-count="1"' in page
    notices = await coach_notices(services)
    assert len(notices) == 2 and "Nytt meddelande i ärende" in notices[-1]
    thread = await (await client.get(f"/staff/handoffs/{handoff_id}")).text()
    assert "Kan jag ta med min bror till besöket?" in thread
    await person.send("Och min syster?")  # read again: a new round, one notice
    await person.send("Hallå?")
    assert len(await coach_notices(services)) == 3
    async with services.db.transaction() as session:
        handoff = await session.get(HandoffRequest, handoff_id)
    assert handoff is not None and handoff.status == "open"


@pytest.mark.parametrize(("channel", "text", "said", "not_said"), [
    ("sms", "ring mig", "ringer dig", "svarar dig här"),
    ("sms", "kan någon ringa mig", "ringer dig", "svarar dig här"),
    ("telegram", "kan någon ringa mig", "ditt telefonnummer", "ringer dig")])
async def test_a_call_request_is_answered_as_one_and_the_coach_is_told_it(
        web, channel, text, said, not_said):
    """Found by a tester: "ring mig" got "En coach svarar dig här"; over SMS we have the
    number, so a coach calls; over a chat app the person may write a number to be called."""
    client, services = web
    await link_coach_telegram(services)
    person = SimPerson(client, f"h-ring-{channel}-{text}", channel)
    await person.onboard()
    await person.send(text)
    assert said in person.text and not_said not in person.text
    notices = await coach_notices(services)
    assert len(notices) == 1 and "vill bli uppringd" in notices[0]
    await person.send("ring mig")  # asking again joins the open request
    assert "redan bett om kontakt" in person.text and not_said not in person.text
