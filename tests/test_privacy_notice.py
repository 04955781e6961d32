"""The consent notice says who keeps what, why, how long and how to see and erase it, in
two SMS segments; MINA UPPGIFTER says which messages we keep and never names target groups."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.media import render_text
from handlers.base import Option, Policy, Reply
from handlers.gsm7 import is_gsm7, sms_segments
from handlers.lix import lix
from handlers.survey import record_target_groups
from messages import Texts
from storage.models import Contact
from tests.sim import SimPerson

pytestmark = pytest.mark.storage  # on SQLite and PostgreSQL alike

WORDS = {"sv": ["Stockholms stads arbetsmarknadsförvaltning", "jobb eller studier", "24 månader",
                "MINA UPPGIFTER", "RADERA", "stockholm.se/personuppgifter"],
         "en": ["City of Stockholm", "Labour Market Administration", "work or studies",
                "24 months", "MY DATA", "DELETE", "stockholm.se/personuppgifter"]}
NUMBER_WORDS = {"sv": "ditt nummer", "en": "your number"}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("look", ["sms", "telegram"])
async def test_the_notice_names_controller_purpose_time_rights_and_where_to_read_more(
        client, language, look):
    person = SimPerson(client, f"notice-{language}-{look}", look)
    await person.send("hej")
    await person.press(language)
    notice = person.replies[-1]["text"]
    for words in WORDS[language]:
        assert words in notice, words
    assert (NUMBER_WORDS[language] in notice) == (look == "sms")
    if look == "sms":  # as shown, with its numbered answers
        assert is_gsm7(notice) and len(notice) <= 306 and sms_segments(notice) <= 2


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("key", ["onboarding.consent", "onboarding.consent.phone"])
def test_the_notice_is_plain_and_fits_two_segments_with_the_longest_retention(language, key):
    texts = Texts(language)
    text = texts(key, months=240)
    shown = render_text("sms", Reply(text, [Option("yes", texts("common.yes")),
                                            Option("no", texts("common.no"))]), texts)
    assert is_gsm7(shown) and sms_segments(shown) <= 2
    if language == "sv":
        assert lix(text, names=True) <= 40


async def test_a_yes_records_the_new_notice_version(client, services):
    person = SimPerson(client, "notice-version", "sms")
    await person.onboard()
    async with services.db.transaction() as session:
        versions = (await session.execute(select(Contact.notice_version))).scalars().all()
    assert versions == [Policy().notice_version] and Policy().notice_version != "2026-11"


@pytest.mark.parametrize("look", ["sms", "telegram"])
async def test_mina_uppgifter_says_which_messages_we_keep_and_never_names_the_groups(
        client, services, look):
    person = SimPerson(client, f"mydata-{look}", look)
    await person.onboard()
    async with services.db.transaction() as session:
        contact_id = (await session.execute(select(Contact.id))).scalar_one()
        await record_target_groups(session, contact_id, ["funktionsnedsattning", "forsorjningsstod"],
                                   "coach", services.clock.now())
    replies = await person.send("MINA UPPGIFTER")
    shown = "\n".join(reply["text"] for reply in replies)
    assert "funktionsnedsättning" not in shown.lower() and "försörjningsstöd" not in shown.lower()
    assert "målgrupper" in shown and "Fråga ditt jobbtorg" in shown
    assert "Vi sparar 8 meddelanden från dig" in shown  # hej, the six answers, this one
    if look == "sms":
        assert all(is_gsm7(reply["text"]) and sms_segments(reply["text"]) <= 2 for reply in replies)
