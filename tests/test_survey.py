"""The three-month follow-up survey over the simulator: timing, questions, answers, report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.root import build_services
from bot.web.sim import advance_clock
from handlers.survey import next_window, record_target_groups
from storage.followup import AnonymousOutcome
from storage.models import ChannelAddress, Contact, ConversationState
from storage.outcome_report import outcome_report
from storage.people import find_address
from storage.queue import messages_to
from tests.conftest import make_settings, start_services
from tests.sim import SimPerson, advance
from tests.survey_helpers import (
    DAY,
    at_local,
    contact_id_of,
    end_programme,
    local_today,
    move_to,
    previous,
    survey_run,
)


async def test_an_avslut_and_ninety_days_bring_the_survey_and_the_report_counts_the_answer(
        client, services):
    person = SimPerson(client, "ended", "sms")
    await person.onboard()
    contact_id = await contact_id_of(services, "ended", "sms")
    ended_on = local_today(services)
    run_id = await end_programme(services, contact_id, ended_on)
    await advance(client, 95 * DAY)
    inbox = await person.inbox()
    assert any("tre månader" in m["text"] for m in inbox), inbox[-1]
    assert "Vad gör du nu?" in inbox[-1]["text"] and "1. Jobbar" in inbox[-1]["text"]
    await person.send("jobbar deltid på ICA")
    assert "anställning" in person.text
    await person.send("timmis")
    assert "lättare" in person.text
    await person.send("1")
    await person.send("Nej tack")
    assert "Tack för dina svar" in person.text
    run = await survey_run(services, run_id)
    assert (run.status, run.category, run.extent, run.employment, run.better_chances) == (
        "answered", "arbete", "deltid", "timanstallning", "ja")
    async with services.db.transaction() as session:
        report = await outcome_report(session, ended_on - timedelta(days=1), ended_on)
    assert report["total"]["people"] is None  # one person: masked
    assert report["total"]["masked"] is True


@pytest.mark.parametrize(("local", "expected"), [
    ("2026-03-04 12:00", "2026-03-04 12:00"),  # Wednesday noon: at once
    ("2026-03-04 07:30", "2026-03-04 10:00"),  # before opening: 10:00 the same day
    ("2026-03-06 17:59", "2026-03-06 17:59"),  # Friday, just inside
    ("2026-03-06 18:00", "2026-03-09 10:00"),  # Friday evening: Monday morning
    ("2026-03-07 10:00", "2026-03-09 10:00"),  # Saturday
    ("2026-03-08 23:59", "2026-03-09 10:00"),  # Sunday night
    ("2026-03-28 10:00", "2026-03-30 10:00"),  # Saturday before summer time: still 10:00
    ("2026-10-23 19:00", "2026-10-26 10:00"),  # Friday before winter time
])
def test_the_survey_goes_out_on_a_weekday_between_ten_and_six(local, expected):
    zone = ZoneInfo("Europe/Stockholm")
    at = datetime.fromisoformat(local).replace(tzinfo=zone).astimezone(UTC)
    assert next_window(at, zone).astimezone(zone) == datetime.fromisoformat(expected).replace(
        tzinfo=zone)


async def test_a_saturday_ninetieth_day_moves_the_survey_to_monday_at_ten(client, services):
    person = SimPerson(client, "saturday")
    await person.onboard()
    today = local_today(services)
    saturday = previous(5, today + timedelta(days=91))  # a Saturday 84-90 days ahead
    run_id = await end_programme(services, await contact_id_of(services, "saturday"),
                                 saturday - timedelta(days=90))
    monday = saturday + timedelta(days=2)
    assert (await survey_run(services, run_id)).due_at == at_local(services, monday, 10)
    await move_to(services, at_local(services, monday, 9, 59))
    assert not any("Vad gör du nu?" in m["text"] for m in await person.inbox())
    await move_to(services, at_local(services, monday, 10))
    inbox = await person.inbox()
    assert "Vad gör du nu?" in inbox[-1]["text"]
    assert sent_around(inbox[-1], at_local(services, monday, 10))


async def sent_survey(client, services, user: str, look: str = "telegram") -> tuple[SimPerson, int]:
    """A person whose survey has just arrived (on a weekday at 10:00)."""
    person = SimPerson(client, user, look)
    await person.onboard()
    run_id = await end_programme(services, await contact_id_of(services, user, look),
                                 local_today(services))
    await move_to(services, (await survey_run(services, run_id)).due_at)
    person.replies = [(await person.inbox())[-1]]  # the survey's question, to press its options
    assert "Vad gör du nu?" in person.text
    return person, run_id


def sent_around(message: dict, at: datetime) -> bool:
    """Sent at that moment of the demo clock (the dispatcher takes a few real milliseconds)."""
    return at <= datetime.fromisoformat(message["at"]) < at + timedelta(minutes=1)


def count(inbox: list[dict], words: str) -> int:
    return sum(1 for message in inbox if words in message["text"])


async def test_one_reminder_after_three_days_and_the_survey_expires_after_fourteen(
        client, services):
    person, run_id = await sent_survey(client, services, "silent")
    sent = (await survey_run(services, run_id)).sent_at
    await advance(client, 3 * DAY - 60)
    assert count(await person.inbox(), "Hej igen!") == 0
    await advance(client, 2 * DAY)  # the third day may fall on a weekend: Monday 10:00
    inbox = await person.inbox()
    assert count(inbox, "Hej igen!") == 1 and "Vad gör du nu?" in inbox[-1]["text"]
    run = await survey_run(services, run_id)
    assert run.reminded_at is not None and run.reminded_at.astimezone(
        services.settings.zone).weekday() < 5
    await move_to(services, sent + timedelta(days=14) - timedelta(minutes=1))
    assert (await survey_run(services, run_id)).status == "sent"
    await advance(client, 120)
    run = await survey_run(services, run_id)
    assert (run.status, run.closed_at) == ("expired", sent + timedelta(days=14))
    await advance(client, 30 * DAY)
    assert count(await person.inbox(), "Hej igen!") == 1
    await person.send("jobbar")  # after the survey closed: kept, marked late
    run = await survey_run(services, run_id)
    assert (run.status, run.category, run.answered_late) == ("answered", "arbete", True)


async def test_an_answered_survey_gets_no_reminder(client, services):
    person, run_id = await sent_survey(client, services, "quick", "sms")
    await person.send("pluggar på komvux")
    assert "lättare" in person.text
    await advance(client, 20 * DAY)
    assert count(await person.inbox(), "Hej igen!") == 0
    run = await survey_run(services, run_id)
    assert (run.status, run.category, run.school) == ("answered", "studier", "komvux")


async def test_after_eight_silent_days_an_answer_still_goes_to_the_survey(client, services):
    person, run_id = await sent_survey(client, services, "slow")
    await advance(client, 12 * DAY)  # the reminder came on day 3-5; then silence
    await person.send("Studerar på högskolan")
    assert "igen" not in person.text.split("\n")[0] and "lättare" in person.text
    run = await survey_run(services, run_id)
    assert (run.category, run.school) == ("studier", "hogskola")


async def test_someone_who_said_stopp_gets_no_survey_and_counts_as_unanswered(client,
                                                                              services):
    person = SimPerson(client, "stopper", "sms")
    await person.onboard()
    run_id = await end_programme(services, await contact_id_of(services, "stopper", "sms"),
                                 local_today(services))
    await person.send("STOPP")
    await advance(client, 110 * DAY)
    assert count(await person.inbox(), "tre månader") == 0
    assert (await survey_run(services, run_id)).status == "not-sent"


async def test_someone_erased_before_day_ninety_gets_nothing_and_is_counted_anonymously(
        client, services):
    person = SimPerson(client, "eraser")
    await person.onboard()
    await end_programme(services, await contact_id_of(services, "eraser"),
                        local_today(services), reason="flyttat")
    await person.send("RADERA")
    await person.press("yes")
    await advance(client, 110 * DAY)
    assert count(await person.inbox(), "tre månader") == 0
    async with services.db.transaction() as session:
        kept = (await session.execute(select(AnonymousOutcome))).scalar_one()
        assert (kept.reason, kept.survey_status, kept.gender) == ("flyttat", "unanswered",
                                                                   "kvinna")


async def test_a_person_busy_in_another_conversation_gets_the_survey_an_hour_later(
        client, services):
    person = SimPerson(client, "busy")
    await person.onboard()
    run_id = await end_programme(services, await contact_id_of(services, "busy"),
                                 local_today(services))
    due = (await survey_run(services, run_id)).due_at
    await move_to(services, due - timedelta(minutes=5))
    await person.send("hej")  # back after months: the menu again
    await person.press("faq")  # in the middle of the questions menu
    await advance(client, 10 * 60)
    assert count(await person.inbox(), "Vad gör du nu?") == 0
    await person.press("back")
    await advance(client, 60 * 60)
    inbox = await person.inbox()
    assert count(inbox, "Vad gör du nu?") == 1
    assert sent_around(inbox[-1], due + timedelta(hours=1))


async def test_a_restart_between_avslut_and_day_ninety_still_sends_exactly_one_survey(
        database_url):
    first = await start_services(database_url)
    async with first.db.transaction() as session:
        contact = Contact(created_at=first.clock.now(), status="active", language="en",
                          consented_at=first.clock.now())
        session.add(contact)
        await session.flush()
        session.add(ChannelAddress(contact_id=contact.id, channel="sim-sms", address="r1",
                                   created_at=first.clock.now()))
        session.add(ConversationState(contact_id=contact.id, flow="menu", step="start",
                                      updated_at=first.clock.now()))
        contact_id = contact.id
    run_id = await end_programme(first, contact_id, local_today(first))
    await first.close()
    # a new process: the clock offset and the jobs come from the database
    second = await build_services(make_settings(database_url), demo=True)
    try:
        await advance_clock(second, 100 * DAY)
        await advance_clock(second, 100 * DAY)
        await second.engine.run_due_jobs()
        async with second.db.transaction() as session:
            address = await find_address(session, "sim-sms", "r1")
            sent = [m.text for m in await messages_to(session, address.id)]
        assert sum("three months" in text for text in sent) == 1, sent
        assert sum("Hi again" in text for text in sent) == 1
        assert (await survey_run(second, run_id)).status == "expired"
    finally:
        await second.close()


async def test_mina_uppgifter_shows_the_avslut_the_answers_and_what_staff_noted(client,
                                                                              services):
    person, run_id = await sent_survey(client, services, "curious")
    for key in ("studier", "komvux", "delvis"):
        await person.press(key)
    await person.send("Tack för hjälpen med CV")
    contact_id = await contact_id_of(services, "curious")
    async with services.db.transaction() as session:
        await record_target_groups(session, contact_id, ["nyanländ"], "kim",
                                   services.clock.now())
    await person.send("MINA UPPGIFTER")
    text = person.text
    assert "Du slutade hos oss" in text and "fick jobb" in text
    assert "Studerar, Komvux" in text and "Delvis" in text
    assert "Tack för hjälpen med CV" in text and "målgrupper" in text
    assert "nyanländ" not in text  # the groups themselves are never sent (issue 15)


async def test_a_reminder_reaches_someone_who_left_the_survey_half_way(client, services):
    person, run_id = await sent_survey(client, services, "wanderer")
    await person.send("MENY")  # leaves before answering
    await person.press("faq")
    await advance(client, 5 * DAY)
    inbox = await person.inbox()
    assert count(inbox, "Hej igen!") == 1 and "Vad gör du nu?" in inbox[-1]["text"]
    person.replies = [inbox[-1]]
    await person.press("praktik")
    assert (await survey_run(services, run_id)).category == "praktik"


async def test_the_survey_over_telegram_buttons_stores_every_answer(client, services):
    person, run_id = await sent_survey(client, services, "buttons")
    assert person.channel == "telegram"
    assert person.keys == ["arbete", "studier", "praktik", "soker-jobb", "annat"]
    await person.press("arbete")
    assert person.keys == ["heltid", "deltid"]
    await person.press("deltid")
    assert person.keys == ["tillsvidare", "visstid", "timanstallning", "provanstallning",
                           "med-stod", "vet-inte", "eget-foretag"]
    await person.press("med-stod")
    assert person.keys == ["ja", "delvis", "nej"]
    await person.press("nej")
    assert person.keys == ["skip"]
    await person.press("skip")
    run = await survey_run(services, run_id)
    assert (run.category, run.extent, run.employment, run.better_chances, run.comment,
            run.channel) == ("arbete", "deltid", "med-stod", "nej", None, "sim-telegram")
