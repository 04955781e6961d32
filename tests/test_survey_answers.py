"""Typed answers to the survey: real-world phrasings, numbers, re-asks and unclassified text.

The parser's own table is in test_outcome_parse.py; here each phrasing goes through the
survey as a person would send it, and we check what is stored and what is asked next.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.services import Services
from handlers.base import Inbound
from storage.followup import SurveyRun
from storage.models import ChannelAddress, Contact, ConversationState, Job
from tests.conftest import start_services
from tests.survey_helpers import end_programme, local_today

# (typed answer, (category, extent, employment, school), the question asked next)
STATUS_ANSWERS: list[tuple[str, tuple[str | None, ...], str]] = [
    ("jag jobbar", ("arbete", None, None, None), "extent"),
    ("Jobbar", ("arbete", None, None, None), "extent"),
    ("jobbar heltid", ("arbete", "heltid", None, None), "employment"),
    ("jobbar deltid på ICA", ("arbete", "deltid", None, None), "employment"),
    ("Jag har fått fast jobb", ("arbete", None, "tillsvidare", None), "extent"),
    ("har ett vikariat på en förskola", ("arbete", None, "visstid", None), "extent"),
    ("provanställd på lager", ("arbete", None, "provanstallning", None), "extent"),
    ("timanställd på Max", ("arbete", None, "timanstallning", None), "extent"),
    ("jag har lönebidrag", ("arbete", None, "med-stod", None), "extent"),
    ("nystartsjobb sen januari", ("arbete", None, "med-stod", None), "extent"),
    ("jobbar som undersköterska, heltid", ("arbete", "heltid", None, None), "employment"),
    ("ja jobar", ("arbete", None, None, None), "extent"),
    ("JOBBAR HELTID, FASTANSTÄLLD", ("arbete", "heltid", "tillsvidare", None), "chances"),
    ("I work full time", ("arbete", "heltid", None, None), "employment"),
    ("I'm working part time at a cafe", ("arbete", "deltid", None, None), "employment"),
    ("got a permanent job", ("arbete", None, "tillsvidare", None), "extent"),
    ("i have a temporary contract", ("arbete", None, "visstid", None), "extent"),
    ("working", ("arbete", None, None, None), "extent"),
    ("jobbar 50%", ("arbete", "deltid", None, None), "employment"),
    ("jobbar 100 procent", ("arbete", "heltid", None, None), "employment"),
    ("egen företagare", ("arbete", None, "eget-foretag", None), "extent"),
    ("jobbar och pluggar", ("arbete", None, None, None), "extent"),
    ("pluggar och jobbar extra", ("arbete", "deltid", None, None), "employment"),
    ("pluggar", ("studier", None, None, None), "school"),
    ("Studerar", ("studier", None, None, None), "school"),
    ("pluggar på komvux", ("studier", None, None, "komvux"), "chances"),
    ("studerar på komvux", ("studier", None, None, "komvux"), "chances"),
    ("komvuks", ("studier", None, None, "komvux"), "chances"),
    ("jag läser på sfi", ("studier", None, None, "sfi"), "chances"),
    ("Jag läser svenska", ("studier", None, None, "sfi"), "chances"),
    ("sfi", ("studier", None, None, "sfi"), "chances"),
    ("går på folkhögskola", ("studier", None, None, "folkhogskola"), "chances"),
    ("folkis", ("studier", None, None, "folkhogskola"), "chances"),
    ("går i gymnasiet", ("studier", None, None, "gymnasium"), "chances"),
    ("pluggar på universitetet", ("studier", None, None, "hogskola"), "chances"),
    ("studerar på KTH", ("studier", None, None, "hogskola"), "chances"),
    ("läser på yrkeshögskola", ("studier", None, None, "annat"), "chances"),
    ("studying", ("studier", None, None, None), "school"),
    ("I study at university", ("studier", None, None, "hogskola"), "chances"),
    ("söker jobb och pluggar sfi", ("studier", None, None, "sfi"), "chances"),
    ("praktik", ("praktik", None, None, None), "chances"),
    ("jag har praktik på ett kontor", ("praktik", None, None, None), "chances"),
    ("arbetsträning", ("praktik", None, None, None), "chances"),
    ("internship", ("praktik", None, None, None), "chances"),
    ("söker jobb", ("soker-jobb", None, None, None), "chances"),
    ("jag söker jobb fortfarande", ("soker-jobb", None, None, None), "chances"),
    ("letar jobb", ("soker-jobb", None, None, None), "chances"),
    ("arbetslös", ("soker-jobb", None, None, None), "chances"),
    ("jag har inget jobb", ("soker-jobb", None, None, None), "chances"),
    ("har inte fått något jobb än", ("soker-jobb", None, None, None), "chances"),
    ("looking for work", ("soker-jobb", None, None, None), "chances"),
    ("unemployed", ("soker-jobb", None, None, None), "chances"),
    ("still looking for a job", ("soker-jobb", None, None, None), "chances"),
    ("föräldraledig", ("annat", None, None, None), "chances"),
    ("mammaledig", ("annat", None, None, None), "chances"),
    ("sjukskriven", ("annat", None, None, None), "chances"),
    ("jag är hemma med barnen", ("annat", None, None, None), "chances"),
    ("flyttat till Göteborg", ("annat", None, None, None), "chances"),
    ("on parental leave", ("annat", None, None, None), "chances"),
    ("inget just nu", (None, None, None, None), "seeking"),  # asked: söker du jobb?
    ("typ ingenting", (None, None, None, None), "seeking"),
    ("nothing much", (None, None, None, None), "seeking"),
    ("Annat", ("annat", None, None, None), "chances"),
    # numbers answer the numbered list (SMS), in the order the options are shown
    ("1", ("arbete", None, None, None), "extent"),
    ("2", ("studier", None, None, None), "school"),
    ("3", ("praktik", None, None, None), "chances"),
    ("4", ("soker-jobb", None, None, None), "chances"),
    ("5", ("annat", None, None, None), "chances"),
]
UNCLEAR = ["vet inte", "hmm", "asdfgh", "kanske", "det är svårt att säga", "9",
           "0"]


@pytest.fixture
async def survey_services(sqlite_url: str):
    running = await start_services(sqlite_url)
    yield running
    await running.close()


async def in_survey(services: Services, user: str, language: str = "sv") -> int:
    """A person whose survey has just been sent by the real job; returns the run id."""
    now = services.clock.now()
    async with services.db.transaction() as session:
        contact = Contact(created_at=now, status="active", language=language, consented_at=now)
        session.add(contact)
        await session.flush()
        session.add(ChannelAddress(contact_id=contact.id, channel="sim-sms", address=user,
                                   created_at=now))
        session.add(ConversationState(contact_id=contact.id, flow="menu", step="start",
                                      updated_at=now - timedelta(days=2)))
        contact_id = contact.id
    run_id = await end_programme(services, contact_id, local_today(services))
    async with services.db.transaction() as session:  # make the send job due now
        await session.execute(update(Job).where(Job.contact_id == contact_id,
                                                Job.kind == "survey.send").values(due_at=now))
    await services.engine.run_due_jobs()
    return run_id


async def say(services: Services, user: str, text: str) -> str:
    handled = await services.engine.handle("sim-sms", user, Inbound(text=text),
                                           provider_id=uuid.uuid4().hex)
    return "\n".join(reply.text for reply in handled.replies)


async def stored(services: Services, run_id: int) -> tuple[SurveyRun, ConversationState]:
    async with services.db.transaction() as session:
        run = await session.get(SurveyRun, run_id)
        state = (await session.execute(select(ConversationState).where(
            ConversationState.contact_id == run.contact_id))).scalar_one()
        session.expunge_all()
        return run, state


def test_the_table_has_at_least_sixty_phrasings():
    assert len(STATUS_ANSWERS) + len(UNCLEAR) >= 60


async def test_typed_answers_to_what_do_you_do_now_are_stored_and_the_right_question_follows(
        survey_services):
    wrong = []
    for number, (text, expected, next_step) in enumerate(STATUS_ANSWERS):
        user = f"status-{number}"
        run_id = await in_survey(survey_services, user)
        await say(survey_services, user, text)
        run, state = await stored(survey_services, run_id)
        got = (run.category, run.extent, run.employment, run.school)
        if (got, state.step, run.status) != (expected, next_step, "answered"):
            wrong.append((text, got, state.step, run.status))
    assert not wrong, wrong


async def test_an_unclear_answer_is_asked_again_once_then_kept_for_a_coach(survey_services):
    for number, text in enumerate(UNCLEAR):
        user = f"unclear-{number}"
        run_id = await in_survey(survey_services, user)
        reply = await say(survey_services, user, text)
        assert "förstod inte riktigt" in reply and "Vad gör du nu?" in reply, text
        run, state = await stored(survey_services, run_id)
        assert (run.status, state.step) == ("sent", "status"), text
        reply = await say(survey_services, user, text + " alltså")
        run, state = await stored(survey_services, run_id)
        assert (run.status, run.category, run.free_text) == (
            "answered", None, text + " alltså"), text
        assert state.step == "chances" and "som du skrev" in reply, text


async def test_a_clear_answer_after_a_reask_is_classified(survey_services):
    run_id = await in_survey(survey_services, "second-try")
    await say(survey_services, "second-try", "hmm")
    await say(survey_services, "second-try", "pluggar på komvux")
    run, state = await stored(survey_services, run_id)
    assert (run.category, run.school, run.free_text, state.step) == (
        "studier", "komvux", None, "chances")


WORK_DETAILS = [  # answers after "jobbar" -> (extent, employment)
    (["heltid", "fast jobb"], ("heltid", "tillsvidare")),
    (["100%", "vikarie"], ("heltid", "visstid")),
    (["part time", "timmis"], ("deltid", "timanstallning")),
    (["2", "5"], ("deltid", "med-stod")),
    (["1", "1"], ("heltid", "tillsvidare")),
    (["deltd", "provanställning"], ("deltid", "provanstallning")),
    (["vet inte", "vet inte heller", "lönebidrag"], (None, "med-stod")),
    (["Heltid", "Fast jobb (tillsvidare)"], ("heltid", "tillsvidare")),
    (["heltid", "jobbar inte fast", "hmm"], ("heltid", None)),
]
SCHOOL_ANSWERS = [("komvux", "komvux"), ("universitetet", "hogskola"), ("Sfi", "sfi"),
                  ("3", "folkhogskola"), ("gymnasiet", "gymnasium"), ("6", "annat"),
                  ("högskola", "hogskola"), ("Folkhögskolan i Kista", "folkhogskola")]
CHANCES_ANSWERS = [("ja", "ja"), ("Ja!", "ja"), ("absolut", "ja"), ("1", "ja"), ("yes", "ja"),
                   ("delvis", "delvis"), ("lite", "delvis"), ("lite grann", "delvis"),
                   ("2", "delvis"), ("partly", "delvis"), ("nej", "nej"),
                   ("inte alls", "nej"), ("3", "nej"), ("no", "nej"), ("Nej.", "nej")]
COMMENTS = [("Nej tack", None), ("nej", None), ("1", None), ("no thanks", None),
            ("Nej tack, men min coach Sara var jättebra!",
             "Nej tack, men min coach Sara var jättebra!"),
            ("Bra bemötande", "Bra bemötande")]


async def test_the_kind_of_work_is_read_from_words_and_numbers(survey_services):
    wrong = []
    for number, (answers, expected) in enumerate(WORK_DETAILS):
        user = f"worker-{number}"
        run_id = await in_survey(survey_services, user)
        for text in ["jobbar", *answers]:
            await say(survey_services, user, text)
        run, state = await stored(survey_services, run_id)
        if ((run.extent, run.employment), state.step) != (expected, "chances"):
            wrong.append((answers, run.extent, run.employment, state.step))
    assert not wrong, wrong


async def test_the_school_is_read_from_words_and_numbers(survey_services):
    wrong = []
    for number, (answer, school) in enumerate(SCHOOL_ANSWERS):
        user = f"student-{number}"
        run_id = await in_survey(survey_services, user)
        await say(survey_services, user, "pluggar")
        await say(survey_services, user, answer)
        run, state = await stored(survey_services, run_id)
        if (run.school, state.step) != (school, "chances"):
            wrong.append((answer, run.school, state.step))
    assert not wrong, wrong


async def test_the_chances_question_takes_ja_delvis_or_nej(survey_services):
    wrong = []
    for number, (answer, chances) in enumerate(CHANCES_ANSWERS):
        user = f"chancer-{number}"
        run_id = await in_survey(survey_services, user)
        await say(survey_services, user, "söker jobb")
        await say(survey_services, user, answer)
        run, state = await stored(survey_services, run_id)
        if (run.better_chances, state.step) != (chances, "comment"):
            wrong.append((answer, run.better_chances, state.step))
    assert not wrong, wrong


async def test_the_comment_is_optional_and_a_longer_no_thanks_is_still_a_comment(
        survey_services):
    for number, (answer, comment) in enumerate(COMMENTS):
        user = f"commenter-{number}"
        run_id = await in_survey(survey_services, user)
        for text in ("praktik", "ja"):
            await say(survey_services, user, text)
        reply = await say(survey_services, user, answer)
        run, state = await stored(survey_services, run_id)
        assert run.comment == comment and run.completed_at is not None, answer
        assert "Tack för dina svar" in reply and state.flow == "menu", answer
        assert state.open_until is None


async def test_the_survey_speaks_english_to_someone_who_chose_english(survey_services):
    run_id = await in_survey(survey_services, "english", language="en")
    reply = await say(survey_services, "english", "hmm")
    assert "I did not quite understand" in reply and "What do you do now?" in reply
    await say(survey_services, "english", "Something else")
    run, _ = await stored(survey_services, run_id)
    assert run.category == "annat"


async def test_keywords_still_work_mid_survey_and_the_question_waits(survey_services):
    run_id = await in_survey(survey_services, "helper")
    reply = await say(survey_services, "helper", "HJÄLP")
    assert "Vad gör du nu?" in reply
    await say(survey_services, "helper", "jobbar heltid")
    run, _ = await stored(survey_services, run_id)
    assert run.category == "arbete"
