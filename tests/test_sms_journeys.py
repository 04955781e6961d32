"""Every journey over SMS, in Swedish and English, with the longest realistic values.

Each text a person meets must be GSM-7 and fit two SMS segments as the SMS look shows it
(options numbered, the answer hint below); each Swedish text must be plain (LIX at most
40, at most 30 on average, over its sentences: proper names are not long words, and the
numbered option labels are not sentences). The person types the kind
of first name and interpreter language that would turn an SMS into UCS-2.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from handlers.actions.bookings import Actor, book_on_behalf, mark_visit
from handlers.broadcasts import message_for, start
from handlers.free_times import free_slots
from handlers.gsm7 import is_gsm7, non_gsm7_characters, sms_segments
from handlers.lix import lix
from storage.bookings import Booking, kind_by_slug
from storage.capabilities import CHANNELS
from storage.models import Contact, Unit
from storage.outreach import Broadcast, Event
from storage.people import address_for
from tests.booking_helpers import app_at, local
from tests.sim import SimPerson, advance
from tests.survey_helpers import DAY, contact_id_of, end_programme

HOUR = 3600
# Monday 28 September 2026: visits fall on "Wednesday 30 September", the longest dates.
START = local(2026, 9, 28, 8)
# The longest realistic values: a unit's name and address, a 20-letter first name with a
# letter GSM-7 lacks, an interpreter language in Arabic script, the longest visit kind.
UNIT_NAME = "Jobbtorg Innerstaden"
UNIT_ADDRESS = "Skärholmsvägen 9, plan 3, 127 48 Skärholmen"
FIRST_NAME = "Nguyễnthị Abdirahman"
SHOWN_NAME = "Nguyenthi Abdirahman"
INTERPRETER = "العربية"
SHOWN_INTERPRETER = {"sv": "arabiska", "en": "Arabic"}
# A unit's own advice on what to bring, as long as `units bring` takes (160 characters).
UNIT_BRING = {
    "sv": "Ta med legitimation, till exempel pass eller id-kort. Ta gärna med CV och betyg. "
          "Har du ett brev från Arbetsförmedlingen? Ta med det också. Tack!",
    "en": "Bring an ID, such as a passport or an ID card. Bring your CV and grades if you can. "
          "Do you have a letter from Arbetsförmedlingen? Bring it too.",
}
LONGEST_KIND = "vagledning"  # studie- och yrkesvägledning
MAX_LIX = 40
MAX_MEAN_LIX = 30
WORDS = {  # what the person types, by language
    "sv": {"help": "HJÄLP", "mydata": "MINA UPPGIFTER", "erase": "RADERA", "menu": "MENY",
           "stop": "STOPP", "start": "START", "nonsense": "xyz qwerty", "yes": "JA",
           "language": "SPRÅK", "to_coach": "Kan ni hjälpa mig med mitt CV?"},
    "en": {"help": "HELP", "mydata": "MY DATA", "erase": "DELETE", "menu": "MENU",
           "stop": "STOP", "start": "START", "nonsense": "xyz qwerty", "yes": "YES",
           "language": "LANGUAGE", "to_coach": "Can you help me with my CV?"},
}
LONG_FEEDBACK = "Bra bemötande men lång väntan i telefon. " * 150  # 6,000 characters


def prose(text: str) -> str:
    """A text without its numbered options and answer hint, for LIX: option labels (days,
    visit kinds) are not sentences; the catalog check measures them where they are written."""
    return text.split("\n\n1. ", 1)[0]


def check(texts: list[str], language: str) -> dict[str, Any]:
    """Assert the rule for every text; return the figures for the report."""
    problems = []
    scores = []
    for text in dict.fromkeys(texts):  # each distinct text once: the menu comes often
        if not is_gsm7(text):
            problems.append(("not GSM-7", non_gsm7_characters(text), text))
        elif sms_segments(text) > 2:
            problems.append((f"{sms_segments(text)} segments", len(text), text))
        if language == "sv":
            score = lix(prose(text), names=True)
            scores.append((score, text))
            if score > MAX_LIX:
                problems.append((f"LIX {score:.0f}", text))
    assert not problems, "\n\n".join(map(str, problems))
    figures: dict[str, Any] = {
        "texts": len(texts), "distinct": len(set(texts)),
        "max_segments": max(sms_segments(t) for t in texts),
        "max_chars": max(len(t) for t in texts)}
    if scores:
        mean = sum(s for s, _ in scores) / len(scores)
        figures.update(mean_lix=round(mean, 1), max_lix=round(max(s for s, _ in scores), 1),
                       max_lix_with_options=round(max(lix(t, names=True) for t in texts), 1))
        assert mean <= MAX_MEAN_LIX, (mean, sorted(scores, reverse=True)[:5])
    return figures


async def make_unit_longest(services: Any) -> None:
    async with services.db.transaction() as session:
        await session.execute(update(Unit).where(Unit.slug == "innerstaden").values(
            name=UNIT_NAME, address=UNIT_ADDRESS, bring=UNIT_BRING))


async def open_visit(person: SimPerson) -> None:
    """MINA TIDER and the first visit (one visit opens at once)."""
    await person.press("mybookings")
    if "move" not in person.keys:
        await person.press(person.keys[0])


async def walk_everything(services: Any, client: Any, language: str) -> list[str]:
    """One person over SMS through every journey; returns every text they were sent."""
    words = WORDS[language]
    person = SimPerson(client, f"walker-{language}", "sms")
    await person.send("hej")
    await person.send(words["nonsense"])  # a re-ask at the first question
    await person.press(language)
    await person.press("yes")
    await person.press("20-24")
    await person.send("kungsholmen")
    await person.press("kvinna")
    await person.press("jobb")
    assert "faq" in person.keys, person.text
    await person.send(words["help"])
    await person.send(words["language"])  # change language (to the same one)
    await person.press(language)
    await person.press("mybookings")  # none yet
    await person.press("back")
    # an invitation to an event by SMS, answered JA; its reminder comes the day before
    await invite(services, client, language)
    await person.send(words["yes"])
    await person.send(words["menu"])
    # every common question, and feedback longer than is kept
    await person.press("faq")
    for key in [k for k in person.keys if k not in ("feedback", "back")]:
        await person.press(key)
    await person.press("feedback")
    await person.press("bemotande")
    await person.send(LONG_FEEDBACK)
    assert "4096" in person.text  # told what was kept
    # hand-off; what they write next goes to the coach; asking again is already open
    await person.press("human")
    await person.press("yes")
    await person.send(words["to_coach"])
    await person.send(words["menu"])
    await person.press("human")
    await person.press("yes")
    # a booking with a typed first name and interpreter language
    await person.press("book")
    await person.press(LONGEST_KIND)
    await person.press("2026-09-30")
    await person.press(person.keys[1])
    await person.send(words["nonsense"] + " 123")  # not a name: asked again
    await person.send(FIRST_NAME)
    await person.press("both")
    await person.send(INTERPRETER)
    summary = person.text
    assert SHOWN_NAME in summary and SHOWN_INTERPRETER[language] in summary, summary
    await person.press("yes")
    assert UNIT_BRING[language] in person.text
    # reminders arrive; then MINA TIDER, move the visit, and cancel it
    await advance(client, 25 * HOUR)
    await person.send(words["menu"])
    await open_visit(person)
    await person.press("move")
    await person.press(person.keys[0])
    await person.press(person.keys[0])
    await person.press("yes")
    await open_visit(person)
    await person.press("cancel")
    await person.press("yes")
    # book a drop-in, miss it, get the offer of a new time and say yes
    await person.press("book")
    await person.press("drop-in")
    await person.press(person.keys[0])
    if "none" not in person.keys:  # a drop-in has no time to choose
        await person.press(person.keys[0])
    await person.press("none")
    await person.press("yes")
    async with services.db.transaction() as session:
        booking = (await session.execute(select(Booking).where(
            Booking.status == "booked"))).scalars().one()
        visit_start = booking.start
    await advance(client, (visit_start - services.clock.now()).total_seconds() + HOUR)
    async with services.db.transaction() as session:
        await mark_visit(session, services.engine.policy, Actor("coach"), services.clock.now(),
                         booking.id, "no-show")
    await advance(client, DAY)
    await person.send(words["yes"])
    assert len(person.keys) > 1, person.text  # the days with free times
    await person.send(words["menu"])
    await person.send(words["mydata"])
    # the survey three months after avslut, its reminder, and every answer
    contact_id = await contact_id_of(services, person.user, "sms")
    today = services.clock.now().astimezone(services.settings.zone).date()
    await end_programme(services, contact_id, today)
    await advance(client, 96 * DAY)
    await person.send(words["nonsense"])
    await person.press("arbete")
    await person.press(person.keys[0])
    await person.press(person.keys[0])
    await person.press(person.keys[0])
    await person.send("Tack för hjälpen med CV:t 🙏 " + "Bra coacher på Jobbtorg. " * 20)
    await person.send(words["mydata"])
    # stop, write while stopped, start again; erase, first saying no
    await person.send(words["stop"])
    await person.send(words["nonsense"])
    await person.send(words["start"])
    await person.send(words["erase"])
    await person.press("no")
    # erasing empties the inbox: keep the replies
    texts = [message["text"] for message in await person.inbox()]
    await person.send(words["erase"])
    texts += [reply["text"] for reply in person.replies]
    await person.press("yes")
    texts += [reply["text"] for reply in person.replies]
    return texts


async def booked_by_staff(services: Any, client: Any, language: str) -> list[str]:
    """A caller booked by a coach: welcome, confirmation, what to bring, the consent question."""
    now = services.clock.now()
    user = f"caller-{language}"
    async with services.db.transaction() as session:
        address, _new = await address_for(session, "sim-sms", user, now)
        contact = await session.get(Contact, address.contact_id)
        assert contact is not None
        contact.language = language  # as the coach would hear it
        unit = (await session.execute(select(Unit).where(Unit.slug == "innerstaden"))).scalar_one()
        assert unit.id is not None
        kind = await kind_by_slug(session, unit.id, LONGEST_KIND)
        assert kind is not None
        first_free = (await free_slots(session, kind, now, services.settings.zone))[0].start
        await book_on_behalf(session, services.engine.policy, Actor("coach"), now,
                             channel="sim-sms", phone=user, kind=LONGEST_KIND,
                             start=first_free, unit_id=unit.id,
                             first_name=FIRST_NAME, interpreter=INTERPRETER, accessibility=True)
    await advance(client, 0)
    person = SimPerson(client, user, "sms")
    texts = [message["text"] for message in await person.inbox()]
    assert len(texts) >= 3, texts  # welcome, confirmation, what to bring, consent
    await person.send(WORDS[language]["yes"])
    return texts + [reply["text"] for reply in person.replies]


EVENT_TITLE = "Rekryteringsträff med Stockholms stad"
STAFF_TEXT = {"sv": "Välkommen på öppet hus på Jobbtorg Innerstaden. Vi bjuder på fika.",
              "en": "Welcome to our open house at Jobbtorg Innerstaden. There is coffee."}


async def invite(services: Any, client: Any, language: str) -> None:
    """A broadcast inviting everyone to an event on Wednesday 30 September at 10.00."""
    now = services.clock.now()
    async with services.db.transaction() as session:
        row = Event(kind="rekryteringstraff", title=EVENT_TITLE, starts_at=local(2026, 9, 30, 10),
                    place=UNIT_ADDRESS, seats=20, created_at=now)
        session.add(row)
        await session.flush()
        broadcast = Broadcast(name="invite", texts=STAFF_TEXT, segment={}, event_id=row.id,
                              created_at=now)
        session.add(broadcast)
        await session.flush()
        await start(session, broadcast, now, services.engine.policy)
    await advance(client, 0)


def broadcast_texts(language: str) -> list[str]:
    """A broadcast by SMS as staff might write it, with our footer and an invitation."""
    zone = local(2026, 9, 28).tzinfo
    broadcast = Broadcast(name="x", texts=STAFF_TEXT)
    event = Event(kind="rekryteringstraff", title=EVENT_TITLE,
                  starts_at=local(2026, 9, 30, 10), place=UNIT_ADDRESS, seats=20)
    return [message_for(broadcast, item, language, CHANNELS.of("sms"), zone)[0]  # type: ignore[arg-type]
            for item in (None, event)]


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_every_text_of_every_journey_over_sms_is_gsm7_two_segments_and_plain(
        sqlite_url, language, capsys):
    async with app_at(sqlite_url, START) as (services, client):
        await make_unit_longest(services)
        texts = await walk_everything(services, client, language)
        texts += await booked_by_staff(services, client, language)
    texts += broadcast_texts(language)
    figures = check(texts, language)
    with capsys.disabled():
        print(f"\nSMS journeys ({language}): {figures}")
