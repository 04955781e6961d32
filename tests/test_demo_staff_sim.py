"""The demo's staff use their Telegram commands from the simulator: the demo coach is
linked to simulator user "9001" on the Telegram look, and that user gets the coach's
replies, not the participant welcome."""

from __future__ import annotations

from bot.demo import DEMO_TELEGRAM
from tests.booking_helpers import app_at, book, local
from tests.sim import SimPerson


async def test_the_demo_coach_writes_idag_in_the_simulator_and_gets_the_days_visits(
        database_url):
    async with app_at(database_url, local(2026, 11, 30, 8)) as (_services, client):
        visitor = SimPerson(client, "visitor")
        await visitor.onboard()
        await book(visitor, day="2026-12-01", time_index=1, name="Amina")
        coach = SimPerson(client, str(DEMO_TELEGRAM["coach"]))
        assert coach.user == "9001"
        replies = await coach.send("/imorgon")
        shown = "\n".join(r["text"] for r in replies)
        assert "Amina" in shown and "Järva" in shown, shown


async def test_digits_on_the_sms_look_or_an_unlinked_number_stay_a_participant(database_url):
    async with app_at(database_url, local(2026, 11, 30, 8)) as (_services, client):
        over_sms = await SimPerson(client, "9001", channel="sms").send("/idag")
        stranger = await SimPerson(client, "4242").send("/idag")
        for replies in (over_sms, stranger):
            assert "Amina" not in "\n".join(r["text"] for r in replies)
            assert not any(o["key"].startswith("staff:") for r in replies for o in r["options"])


async def test_the_demo_outreach_worker_has_the_broadcast_command_in_the_simulator(database_url):
    async with app_at(database_url, local(2026, 11, 30, 8)) as (_services, client):
        replies = await SimPerson(client, str(DEMO_TELEGRAM["outreach"])).send("/utskick")
        assert replies and all(not o["key"].startswith(("sv", "lang"))
                               for r in replies for o in r["options"]), replies
