"""The whole first conversation through the simulator API, in both looks and languages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.models import ChannelAddress, Consent, Contact, ErasedCount, HandoffRequest
from tests.sim import SimPerson


@pytest.mark.parametrize("look", ["telegram", "sms"])
@pytest.mark.parametrize("language", ["sv", "en"])
async def test_a_person_onboards_in_either_look_and_language(client, services, look, language):
    person = SimPerson(client, f"onboard-{look}-{language}", look)
    replies = await person.send("hej")
    assert "Jobbtorg" in replies[0]["text"]
    assert person.keys == ["sv", "en"]
    await person.press(language)
    assert ("RADERA" if language == "sv" else "DELETE") in person.text
    await person.press("yes")
    await person.press("20-24")
    await person.send("rinkby")  # a near miss of Rinkeby-Kista
    assert "Järva" in person.text
    await person.press("kvinna")
    await person.press("cv")
    assert "faq" in person.keys and "human" in person.keys
    async with services.db.transaction() as session:
        contact = (await session.execute(select(Contact))).scalar_one()
        assert (contact.language, contact.age_band, contact.gender, contact.help_topic) == (
            language, "20-24", "kvinna", "cv")
        assert contact.consented_at is not None and contact.status == "active"
        assert (await session.execute(select(func.count()).select_from(Consent))).scalar() == 1


async def test_sms_look_numbers_the_options_and_accepts_the_number(client):
    person = SimPerson(client, "numbers", "sms")
    replies = await person.send("hej")
    assert "1. Svenska" in replies[-1]["text"] and "2. English" in replies[-1]["text"]
    assert "Svara 1 eller 2" in replies[-1]["text"]
    await person.send("2")
    assert "Is that okay?" in person.text


async def test_sms_look_pages_the_district_list_and_any_district_can_be_typed(client):
    person = SimPerson(client, "pages", "sms")
    await person.send("hej")
    await person.press("sv")
    await person.press("yes")
    await person.press("25-29")
    assert len(person.keys) == 7 and person.keys[-1] == "_more"
    await person.press("_more")
    assert len(person.keys) == 7 and person.keys[0] not in ("bromma",)
    await person.send("farsta")
    assert "Sydost" in person.text


async def test_only_the_last_reply_of_a_turn_carries_options(client):
    person = SimPerson(client, "last")
    replies = await person.send("hej")
    assert len(replies) == 2 and replies[0]["options"] == [] and replies[1]["options"]


async def test_declining_consent_keeps_nothing_and_says_how_to_reach_jobbtorg(client, services):
    person = SimPerson(client, "decliner", "sms")
    await person.send("hej")
    await person.press("sv")
    await person.press("no")  # "2": a bare digit that ends the conversation is checked
    assert "Nej, spara inget" in person.text and "508 000 00" not in person.text
    await person.press("no")  # the check names what happens: "Nej, spara inget"
    assert "508 000 00" in person.text and "Vi sparar inget" in person.text
    async with services.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Contact))).scalar() == 0
        assert (await session.execute(select(func.count()).select_from(ChannelAddress))
                ).scalar() == 0
        erased = (await session.execute(select(ErasedCount))).scalar_one()
        assert erased.reason == "declined"


async def test_someone_under_16_is_told_kindly_and_erased(client, services):
    person = SimPerson(client, "young")
    await person.send("hej")
    await person.press("sv")
    await person.press("yes")
    await person.press("under-16")
    assert "16" in person.text
    async with services.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Contact))).scalar() == 0


async def test_a_typed_age_is_understood_and_16_to_19_hear_about_kaa(client):
    person = SimPerson(client, "teen")
    await person.send("hej")
    await person.press("sv")
    await person.press("yes")
    await person.send("17")
    assert "KAA" in person.text
    assert "rinkeby-kista" in person.keys


async def test_dont_know_district_is_allowed(client):
    person = SimPerson(client, "unsure")
    await person.send("hej")
    await person.press("en")
    await person.press("yes")
    await person.press("30+")
    await person.press("vet-inte")
    assert "kvinna" in person.keys


async def test_an_unclear_answer_is_reasked_and_the_conversation_goes_on(client):
    person = SimPerson(client, "unclear")
    await person.send("hej")
    await person.press("sv")
    await person.send("kanske imorgon")
    assert "förstod inte" in person.text
    assert person.keys == ["yes", "no"]
    await person.send("ja")
    assert "16-19" in person.keys


async def test_a_question_is_answered_and_feedback_is_left(client):
    person = SimPerson(client, "curious")
    await person.onboard()
    await person.press("faq")
    await person.press("where")
    assert "Kistagången" in person.text
    await person.press("komvux")
    assert "vuxna" in person.text
    await person.press("feedback")
    await person.press("bemotande")
    await person.send("Bra bemötande!")
    assert "Tack" in person.text


async def test_asking_for_a_human_records_a_handoff_with_the_working_days(client, services):
    person = SimPerson(client, "human")
    await person.onboard()
    await person.press("human")
    await person.press("yes")
    assert "2 arbetsdagar" in person.text
    async with services.db.transaction() as session:
        handoff = (await session.execute(select(HandoffRequest))).scalar_one()
        assert handoff.unit_id is not None


async def test_an_unfinished_onboarding_resumes_where_it_stopped(client):
    person = SimPerson(client, "resumer")
    await person.send("hej")
    await person.press("en")
    await person.press("yes")
    await person.send("hello?")
    assert "16-19" in person.keys  # still at the age question


async def test_a_district_typed_at_the_menu_is_not_taken_from_the_old_district_list(client):
    person = SimPerson(client, "stale-list", "sms")
    await person.onboard(district="farsta")
    await person.send("bromma")
    assert "förstod inte" in person.text
    assert "faq" in person.keys
