"""Odd input gets a kind answer in the person's language and the conversation goes on."""

from __future__ import annotations

import pytest

from tests.sim import SimPerson

ODD_INPUTS = [
    "",
    " ",
    "x" * 5000,
    "😀😀😀",
    "مرحبا، أريد عملا",
    "'; DROP TABLE contact; --",
    "Robert'); DELETE FROM outbox WHERE ('1'='1",
    "hej\x00\x01\x02\x1b[31m",
    "\u202e\u200b",
    "{key} {0} %s %(name)s",
    "99",
    "-1",
]


@pytest.mark.parametrize("look", ["telegram", "sms"])
@pytest.mark.parametrize("text", ODD_INPUTS, ids=range(len(ODD_INPUTS)))
async def test_odd_input_mid_onboarding_is_answered_and_the_question_stands(client, look, text):
    person = SimPerson(client, f"odd-{look}", look)
    await person.send("hej")
    await person.press("en")
    replies = await person.send(text)
    assert replies, "every message gets an answer"
    assert person.keys == ["yes", "no"]
    assert "understand" in person.text  # in the person's language (English)
    await person.press("yes")
    assert "16-19" in person.keys


@pytest.mark.parametrize("text", ODD_INPUTS, ids=range(len(ODD_INPUTS)))
async def test_odd_input_as_the_first_message_starts_the_welcome(client, text):
    person = SimPerson(client, "odd-first", "sms")
    await person.send(text)
    assert person.keys == ["sv", "en"]


async def test_odd_input_at_the_menu_is_reasked_in_swedish(client):
    person = SimPerson(client, "odd-menu", "sms")
    await person.onboard()
    await person.send("😀")
    assert "förstod inte" in person.text
    assert "faq" in person.keys


async def test_a_pressed_option_that_was_not_offered_is_reasked(client):
    person = SimPerson(client, "stale-button")
    await person.send("hej")
    await person.send(choice="no-such-key")
    assert "förstod inte" in person.text
    assert person.keys == ["sv", "en"]


@pytest.mark.parametrize("body", [
    b"not json", b"[]", b'{"user": ""}', b'{"user": "a", "channel": "fax", "text": "hi"}',
    b'{"user": "a", "channel": "sms"}', b'{"user": 5, "text": "hi"}',
    b'{"user": "a", "text": 5}', b'{"user": "a", "text": "' + b"x" * 20000 + b'"}',
    b'{"user": "a", "channel": "sms", "text": "hej", "choice": "sv"}',
])
async def test_malformed_simulator_requests_get_a_400_with_a_reason(client, body):
    response = await client.post("/sim/api/messages", data=body,
                                 headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert "error" in await response.json()


@pytest.mark.parametrize(("body", "reason"), [
    (b'{"user": "a", "channel": "sms"}', "has neither"),
    (b'{"user": "a", "channel": "sms", "text": null}', "has neither"),
    (b'{"user": "a", "channel": "sms", "text": "hej", "choice": "sv"}', "not both"),
])
async def test_a_simulator_message_without_text_or_choice_says_what_is_missing(client, body, reason):
    response = await client.post("/sim/api/messages", data=body,
                                 headers={"Content-Type": "application/json"})
    assert response.status == 400
    error = (await response.json())["error"]
    assert reason in error
    assert ("not both" in error) == (reason == "not both")


@pytest.mark.parametrize("body", [b"{}", b'{"advance_seconds": -5}', b'{"advance_seconds": "x"}',
                                  b"nope", b'{"advance_seconds": true}'])
async def test_malformed_clock_requests_get_a_400(client, body):
    response = await client.post("/sim/api/clock", data=body)
    assert response.status == 400
