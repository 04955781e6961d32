"""Keywords work only as the whole message, in Swedish and English."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from handlers.gsm7 import is_gsm7, sms_segments
from handlers.keywords import keyword_of
from storage.models import ChannelAddress, Contact, HandoffRequest, InboundMessage
from tests.sim import SimPerson


@pytest.mark.parametrize(("text", "keyword"), [
    ("STOPP", "stop"), ("stop", "stop"), (" Sluta! ", "stop"), ("STOP.", "stop"),
    ("START", "start"), ("start", "start"),
    ("HJÄLP", "help"), ("hjälp", "help"), ("HELP", "help"), ("hjalp", "help"),
    ("MENY", "menu"), ("menu", "menu"), ("/start", "menu"),
    ("SPRÅK", "language"), ("språk", "language"), ("language", "language"),
    ("RADERA", "erase"), ("delete", "erase"),
    ("MINA UPPGIFTER", "mydata"), ("mina  uppgifter", "mydata"), ("my data", "mydata"),
])
def test_a_whole_message_keyword_is_recognised(text, keyword):
    assert keyword_of(text) == keyword


@pytest.mark.parametrize("text", [
    "jag vill sluta skolan", "stop it please", "starta", "hjälp mig med cv", "menyn?",
    "radera inte", "my data is", "stopp för idag kanske", "", "  ", "😀", "språkkurs",
])
def test_look_alikes_are_not_keywords(text):
    assert keyword_of(text) is None


@pytest.mark.parametrize("look", ["telegram", "sms"])
async def test_opting_out_and_back_in(client, services, look):
    person = SimPerson(client, f"stopper-{look}", look)
    await person.onboard()
    await person.send("STOPP")
    assert "START" in person.text
    async with services.db.transaction() as session:
        assert (await session.execute(select(ChannelAddress))).scalar_one().opted_out
    await person.send("jag vill sluta skolan")
    assert person.text == "Skriv START för att börja igen."
    await person.send("start")
    assert "Hej igen" in person.text
    async with services.db.transaction() as session:
        assert not (await session.execute(select(ChannelAddress))).scalar_one().opted_out


async def test_help_menu_and_language_keywords(client):
    person = SimPerson(client, "kw")
    await person.onboard()
    await person.send("HJÄLP")
    assert "MENY" in person.text and person.keys
    await person.send("SPRÅK")
    assert person.keys == ["sv", "en"]
    await person.press("en")
    assert "What do you want to do?" in person.text
    await person.send("MENU")
    assert "faq" in person.keys


async def test_language_change_mid_onboarding_returns_to_the_same_question(client):
    person = SimPerson(client, "switcher")
    await person.send("hej")
    await person.press("sv")
    await person.press("yes")
    await person.send("language")
    await person.press("en")
    assert "How old are you?" in person.text


async def test_my_data_shows_what_is_stored(client):
    person = SimPerson(client, "viewer")
    await person.onboard(district="spanga-tensta", gender="man", help_topic="studier")
    await person.send("MINA UPPGIFTER")
    assert "Spånga-Tensta" in person.text and "Jobbtorg Järva" in person.text
    assert "man" in person.text and "studier" in person.text


async def test_erasure_after_a_yes_removes_the_person(client, services):
    person = SimPerson(client, "eraser", "sms")
    await person.onboard()
    await person.press("human")
    await person.press("yes")
    await person.send("RADERA")
    await person.press("no")
    async with services.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Contact))).scalar() == 1
    await person.send("RADERA")
    await person.press("yes")
    assert "tagit bort" in person.text
    async with services.db.transaction() as session:
        for table in (Contact, ChannelAddress, HandoffRequest, InboundMessage):
            count = (await session.execute(select(func.count()).select_from(table))).scalar()
            assert count == 0, table
    await person.send("hej")  # a new start afterwards
    assert person.keys == ["sv", "en"]


@pytest.mark.parametrize(("language", "words"), [
    ("sv", ("TILLBAKA", "AVBRYT", "RING MIG")), ("en", ("BACK", "CANCEL", "CALL ME"))])
async def test_help_names_back_cancel_and_call_me_within_two_sms(client, language, words):
    """Found by a tester: HJÄLP did not say how to go back, stop a booking or be called."""
    person = SimPerson(client, f"kw-help-{language}", "sms")
    await person.onboard(language=language)
    await person.send("HJÄLP" if language == "sv" else "HELP")
    help_text = person.replies[0]["text"]
    assert all(word in help_text for word in words), help_text
    assert is_gsm7(help_text) and sms_segments(help_text) <= 2
