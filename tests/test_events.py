"""Event invitations: RSVP by button or by SMS word, a full event's waiting list, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import set_demo_now
from handlers.broadcasts import start
from storage.outreach import GOING, WAITING, Event, rsvp_counts
from tests.outreach_helpers import draft, event
from tests.sim import SimPerson, advance

DAYTIME = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 in Stockholm


@pytest.fixture
async def at_ten(services, client):
    set_demo_now(services.clock, DAYTIME)
    await services.save_clock()
    return services


async def invite(services, client, seats: int, days_ahead: float = 3) -> int:
    """A broadcast to everyone inviting them to a new event; returns the event id."""
    now = services.clock.now()
    async with services.db.transaction() as session:
        row = await event(session, now, now + timedelta(days=days_ahead), seats=seats)
        broadcast = await draft(session, now, {"sv": "Kom på rekryteringsträff!",
                                               "en": "Come to a recruitment event!"},
                                event_id=row.id)
        await start(session, broadcast, now, services.engine.policy)
    await advance(client, 0)
    return int(row.id)


async def last_message(person: SimPerson) -> dict:
    return (await person.inbox())[-1]


async def test_an_invitation_has_buttons_in_telegram_and_a_reply_word_in_sms(at_ten, client):
    telegram, sms = SimPerson(client, "tina", "telegram"), SimPerson(client, "sam", "sms")
    await telegram.onboard()
    await sms.onboard(language="en")
    event_id = await invite(at_ten, client, seats=5)
    invitation = await last_message(telegram)
    assert [o["key"] for o in invitation["options"]] == [f"rsvp:{event_id}:yes", f"rsvp:{event_id}:no"]
    assert "Rekryteringsträff" in invitation["text"]
    texted = await last_message(sms)
    assert texted["options"] == [] and "Reply YES" in texted["text"] and "STOP" in texted["text"]
    assert "Come to a recruitment event!" in texted["text"]


async def test_rsvp_by_button_in_telegram_and_by_ja_in_sms_takes_seats(at_ten, client):
    telegram, sms = SimPerson(client, "tina", "telegram"), SimPerson(client, "sam", "sms")
    await telegram.onboard()
    await sms.onboard()
    event_id = await invite(at_ten, client, seats=5)
    await telegram.send(choice=f"rsvp:{event_id}:yes")
    assert "anmäld" in telegram.text
    await sms.send("JA")
    assert "anmäld" in sms.text
    assert "faq" in sms.keys  # back to the menu she was in, its numbers unchanged
    async with at_ten.db.transaction() as session:
        stored = await session.get(Event, event_id)
        counts = await rsvp_counts(session, event_id)
    assert stored.taken == 2 and counts[GOING] == 2


async def test_a_full_event_offers_the_waiting_list_which_moves_up_when_someone_cancels(at_ten, client):
    first, second = SimPerson(client, "ada", "sms"), SimPerson(client, "bo", "telegram")
    await first.onboard()
    await second.onboard()
    event_id = await invite(at_ten, client, seats=1)
    await first.send("ja")
    await second.send(choice=f"rsvp:{event_id}:yes")
    assert "fullt" in second.text
    assert f"rsvp:{event_id}:wait" in second.keys
    await second.press(f"rsvp:{event_id}:wait")
    assert "nummer 1" in second.text
    await first.send("NEJ")
    assert "avbokad" in first.text
    await advance(client, 0)
    assert "plats blev ledig" in (await last_message(second))["text"]
    async with at_ten.db.transaction() as session:
        stored = await session.get(Event, event_id)
        counts = await rsvp_counts(session, event_id)
    assert stored.taken == 1 and counts[GOING] == 1 and counts[WAITING] == 0


async def test_an_sms_person_joins_the_waiting_list_with_ko(at_ten, client):
    first, second = SimPerson(client, "ada", "telegram"), SimPerson(client, "bo", "sms")
    await first.onboard()
    await second.onboard()
    event_id = await invite(at_ten, client, seats=1)
    await first.send(choice=f"rsvp:{event_id}:yes")
    await second.send("Ja")
    assert "Svara KÖ" in second.text and second.options == []
    await second.send("kö")
    assert "i kö" in second.text and "nummer 1" in second.text


async def test_attendees_get_a_reminder_the_day_before(at_ten, client):
    person = SimPerson(client, "tina", "telegram")
    await person.onboard()
    event_id = await invite(at_ten, client, seats=3, days_ahead=3)
    await person.send(choice=f"rsvp:{event_id}:yes")
    await advance(client, 86400 * 2 + 60)
    reminder = await last_message(person)
    assert reminder["text"].startswith("Hej! I morgon är det")


async def test_words_that_are_no_rsvp_go_on_to_the_persons_conversation(at_ten, client):
    person = SimPerson(client, "tina", "sms")
    await person.onboard()
    await invite(at_ten, client, seats=3)
    replies = await person.send("3")  # a menu number, not an answer to the invitation
    assert "anmäld" not in person.text and replies


async def test_an_answer_after_the_event_started_is_closed(at_ten, client):
    person = SimPerson(client, "tina", "telegram")
    await person.onboard()
    event_id = await invite(at_ten, client, seats=3, days_ahead=1)
    await advance(client, 86400 + 60)
    await person.send(choice=f"rsvp:{event_id}:yes")
    assert "inte längre" in person.text


async def test_erasing_a_person_gives_their_seat_to_the_first_in_line(at_ten, client):
    first, second = SimPerson(client, "ada", "telegram"), SimPerson(client, "bo", "sms")
    await first.onboard()
    await second.onboard()
    event_id = await invite(at_ten, client, seats=1)
    await first.send(choice=f"rsvp:{event_id}:yes")
    await second.send("ja")
    await second.send("kö")
    await first.send("RADERA")
    await first.press("yes")
    await advance(client, 0)
    assert "plats blev ledig" in (await last_message(second))["text"]
    async with at_ten.db.transaction() as session:
        assert (await session.get(Event, event_id)).taken == 1
        assert (await rsvp_counts(session, event_id))[GOING] == 1


async def test_mina_uppgifter_shows_the_events_a_person_signed_up_for(at_ten, client):
    person = SimPerson(client, "tina", "telegram")
    await person.onboard()
    event_id = await invite(at_ten, client, seats=2)
    await person.send(choice=f"rsvp:{event_id}:yes")
    await person.send("MINA UPPGIFTER")
    assert "Anmäld till: Rekryteringsträff" in person.text


async def test_an_old_invitation_does_not_take_a_ja_meant_for_the_booking_question(at_ten, client):
    person = SimPerson(client, "booker", "sms")
    await person.onboard()
    event_id = await invite(at_ten, client, seats=3)
    await person.send("boka")
    await person.press("forsta-besok")
    await person.press(person.keys[0])
    await person.press(person.keys[0])
    await person.press("skip")
    await person.press("none")
    assert "Ska jag boka?" in person.text
    await person.send("ja")
    assert "Du är bokad" in person.text and "anmäld" not in person.text
    async with at_ten.db.transaction() as session:
        assert (await rsvp_counts(session, event_id)).get(GOING, 0) == 0


async def test_an_old_invitation_does_not_take_a_ja_meant_for_erasure(at_ten, client):
    person = SimPerson(client, "eraser", "sms")
    await person.onboard()
    await invite(at_ten, client, seats=3)
    await person.send("radera")
    assert "Vill du ta bort allt" in person.text
    await person.send("ja")
    assert "tagit bort allt" in person.text and "anmäld" not in person.text
