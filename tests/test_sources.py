"""Outreach sources: first contacts attributed by deep link or SMS keyword; the CLI and QR codes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Contact
from storage.outreach import (
    add_source,
    keyword_from,
    payload_from,
    source_by_payload,
    valid_payload,
)
from tests.conftest import seed_places
from tests.sim import SimPerson
from tests.test_cli import jobbtorg


@pytest.mark.parametrize(("name", "payload", "keyword"), [
    ("Sfi Tensta", "sfi-tensta", "SFITENSTA"),
    ("Öppna förskolan Rinkeby", "oppna-forskolan-rinkeby", "OPPNAFORSKOLANRINKEB"),
    ("Husby bibliotek (vår 2027)", "husby-bibliotek-var-2027", "HUSBYBIBLIOTEKVAR202"),
    ("!!!", "source", ""),
])
def test_names_become_deep_link_payloads_and_keywords(name, payload, keyword):
    assert payload_from(name) == payload and valid_payload(payload)
    assert keyword_from(name) == keyword


async def newest_source(services) -> int | None:
    """The source of the person who wrote first most recently."""
    async with services.db.transaction() as session:
        result = await session.execute(select(Contact.source_id).order_by(Contact.id.desc()))
        return result.scalars().first()


async def test_a_telegram_deep_link_attributes_the_first_contact(services, client):
    async with services.db.transaction() as session:
        source = await source_by_payload(session, "sfi-tensta")  # seeded for the demo
    person = SimPerson(client, "u1", "telegram")
    await person.send("/start sfi-tensta")
    assert person.keys == ["sv", "en"]  # onboarding starts as for anyone
    assert await newest_source(services) == source.id


async def test_an_sms_keyword_as_the_first_message_attributes_the_contact(services, client):
    async with services.db.transaction() as session:
        source = await source_by_payload(session, "husby-bibliotek")
    person = SimPerson(client, "+46700000001", "sms")
    await person.send("Husby")
    assert person.keys == ["sv", "en"]  # the welcome follows as for anyone
    assert await newest_source(services) == source.id


async def test_a_keyword_later_in_the_conversation_changes_nothing(services, client):
    person = SimPerson(client, "u2", "sms")
    await person.send("hej")
    await person.send("TENSTA")
    assert await newest_source(services) is None


async def test_an_unknown_payload_leaves_the_contact_unattributed(services, client):
    person = SimPerson(client, "u3", "telegram")
    await person.send("/start no-such-place")
    assert await newest_source(services) is None


@pytest.fixture
def cli_db(sqlite_url: str) -> str:
    """A migrated, seeded database (`db upgrade` and `seed stockholm` are tested in test_cli)."""
    asyncio.run(seed_places(sqlite_url))
    return sqlite_url


def test_sources_add_list_and_qr_from_the_command_line(cli_db, tmp_path):
    env = {"JOBBTORG_TELEGRAM_BOT_USERNAME": "JobbtorgBot", "JOBBTORG_TWILIO_FROM": "+46766860000"}
    added = jobbtorg(cli_db, "sources", "add", "--kind", "öppen förskola", "--name",
                     "Öppna förskolan Tensta", "--district", "spanga-tensta", "--keyword", "TENSTA",
                     "--json", env=env)
    assert added.returncode == 0, added.stderr
    row = json.loads(added.stdout)
    assert row["deep_link"] == "https://t.me/JobbtorgBot?start=oppna-forskolan-tensta"
    assert row["keyword"] == "TENSTA" and row["kind"] == "oppen-forskola"
    listed = json.loads(jobbtorg(cli_db, "sources", "list", "--json", env=env).stdout)
    assert [s["payload"] for s in listed] == ["oppna-forskolan-tensta"]
    qr = jobbtorg(cli_db, "sources", "qr", "TENSTA", "--out", str(tmp_path / "qr"), "--json", env=env)
    assert qr.returncode == 0, qr.stderr
    files = [Path(f) for f in json.loads(qr.stdout)["files"]]
    assert sorted(f.suffix for f in files) == [".png", ".png", ".svg", ".svg"]
    assert all(f.stat().st_size > 100 for f in files)
    assert files[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--kind", "kyrka", "--name", "X"], "--kind must be one of"),
    (["--kind", "bibliotek", "--name", "Kista", "--keyword", "STOPP"], "reserved word"),
    (["--kind", "bibliotek", "--name", "Kista", "--keyword", "K!"], "--keyword must be"),
    (["--kind", "bibliotek", "--name", "Kista", "--district", "narnia"], "--district must be one of"),
    (["--kind", "bibliotek", "--name", "Kista", "--payload", "a b"], "--payload may hold"),
])
def test_sources_add_refuses_bad_input_with_a_clear_message(cli_db, args, message):
    result = jobbtorg(cli_db, "sources", "add", *args)
    assert result.returncode != 0 and message in result.stderr


def test_a_second_source_with_the_same_keyword_is_refused(cli_db):
    first = jobbtorg(cli_db, "sources", "add", "--kind", "bibliotek", "--name", "Kista bibliotek",
                     "--keyword", "KISTA")
    assert first.returncode == 0, first.stderr
    again = jobbtorg(cli_db, "sources", "add", "--kind", "forening", "--name", "Kista IF",
                     "--keyword", "KISTA")
    assert again.returncode != 0 and "already has that keyword" in again.stderr


def test_qr_without_a_bot_username_or_sms_number_explains_what_to_set(cli_db, tmp_path):
    jobbtorg(cli_db, "sources", "add", "--kind", "bibliotek", "--name", "Kista bibliotek")
    result = jobbtorg(cli_db, "sources", "qr", "1", "--out", str(tmp_path))
    assert result.returncode != 0 and "TELEGRAM_BOT_USERNAME" in result.stderr


async def test_the_payload_the_telegram_channel_passes_attributes_the_contact(services):
    from handlers.base import Inbound

    async with services.db.transaction() as session:
        source = await source_by_payload(session, "instagram")
    await services.engine.handle("telegram", "4242", Inbound(text="/start", start_payload="instagram"),
                                 provider_id="update-1")
    assert await newest_source(services) == source.id


async def test_a_keyword_inside_a_greeting_attributes_the_first_contact(services, client):
    async with services.db.transaction() as session:
        source = await source_by_payload(session, "husby-bibliotek")
    person = SimPerson(client, "+46700000002", "sms")
    await person.send("Hej HUSBY!")
    assert person.keys == ["sv", "en"]
    assert await newest_source(services) == source.id


@pytest.mark.parametrize("text", ["Hej BIBLIO", "hej biblio!", "BIBLIO hej", "Hejsan Biblio 😊"])
async def test_hej_biblio_is_attributed_to_the_source_whose_keyword_is_biblio(
        services, client, text):
    """Issue 14: "Hej BIBLIO" was not attributed to the source keyed BIBLIO."""
    async with services.db.transaction() as session:
        source = await add_source(session, "bibliotek", "Biblioteket", None, "biblio", "BIBLIO",
                                  services.clock.now())
    person = SimPerson(client, "+46700000009", "sms")
    await person.send(text)
    assert person.keys == ["sv", "en"]
    assert await newest_source(services) == source.id


async def test_a_long_first_question_is_not_taken_for_a_keyword(services, client):
    person = SimPerson(client, "+46700000003", "sms")
    await person.send("hej jag bor i husby och undrar om ni kan hjälpa mig med jobb")
    assert await newest_source(services) is None


@pytest.mark.parametrize("look", ["telegram", "sms"])
async def test_someone_we_know_who_taps_a_link_or_sends_a_keyword_gets_the_menu(
        services, client, look):
    person = SimPerson(client, f"known-{look}", look)
    await person.onboard()
    await person.send("/start sfi-tensta" if look == "telegram" else "HUSBY")
    assert "förstod inte" not in person.text
    assert "Hej igen" in person.text and "faq" in person.keys


async def test_a_link_tapped_during_onboarding_repeats_the_open_question(services, client):
    person = SimPerson(client, "half-way", "telegram")
    await person.send("hej")
    await person.press("sv")
    await person.send("/start sfi-tensta")
    assert "förstod inte" not in person.text and person.keys == ["yes", "no"]
