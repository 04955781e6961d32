"""The operator commands: bookings list/add, visits mark, enrol, units hours/close/kinds."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.root import cli as app
from handlers.base import Inbound
from storage.models import AuditLog, ChannelAddress, Contact, Outbox
from tests.booking_helpers import clock_at, local
from tests.conftest import start_services

runner = CliRunner()
PHONE = "070-123 45 67"


async def _seed(url: str, moment: datetime) -> None:
    services = await start_services(url, clock=clock_at(moment))
    await services.close()


def at(url: str, moment: datetime) -> None:
    """Seed the database and put its demo clock at `moment` (CLI commands read it)."""
    asyncio.run(_seed(url, moment))


def jobbtorg(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"JOBBTORG_DATABASE_URL": url})
    return result.exit_code, result.stdout + (result.stderr if result.stderr_bytes else "")


def run_json(url: str, *args: str):
    code, out = jobbtorg(url, *args, "--json")
    assert code == 0, out
    return json.loads(out)


async def _query(url: str, work):
    services = await start_services(url, clock=clock_at(local(2026, 11, 30, 8)))
    try:
        async with services.db.transaction() as session:
            return await work(session, services)
    finally:
        await services.close()


def query(url: str, work):
    return asyncio.run(_query(url, work))


@pytest.fixture
def db(database_url):
    at(database_url, local(2026, 11, 30, 8))
    return database_url


def test_a_walk_in_is_booked_by_phone_and_gets_the_confirmation_and_consent_question(db):
    row = run_json(db, "bookings", "add", "--phone", PHONE, "--kind", "forsta-besok",
                   "--start", "2026-12-01 10:00", "--unit", "jarva", "--first-name", "Sara")
    assert row["start"] == "2026-12-01T10:00:00+01:00" and row["new_contact"] is True

    async def sent(session, _services):
        address = (await session.execute(select(ChannelAddress))).scalar_one()
        texts = [o.text for o in (await session.execute(
            select(Outbox).where(Outbox.address_id == address.id).order_by(Outbox.id))).scalars()]
        contact = await session.get(Contact, address.contact_id)
        return address, texts, contact

    address, texts, contact = query(db, sent)
    # A demo database (it has a demo clock): the SMS goes to the simulator's SMS look.
    assert (address.channel, address.address) == ("sim-sms", "+46701234567")
    assert "tisdag 1 december kl. 10.00" in "\n".join(texts) and row["code"] in "\n".join(texts)
    assert "Är det okej?" in texts[-1] and contact.status == "new"

    async def answers_yes(_session, services):
        return await services.engine.handle("sim-sms", "+46701234567", Inbound(text="ja"))

    handled = query(db, answers_yes)
    assert "Hur gammal" in handled.replies[-1].text


def test_booking_a_taken_or_closed_time_fails_with_the_next_free_times(db):
    args = ("bookings", "add", "--phone", PHONE, "--kind", "forsta-besok", "--unit", "jarva")
    assert jobbtorg(db, *args, "--start", "2026-12-01 10:00")[0] == 0
    code, out = jobbtorg(db, *args, "--start", "2026-12-01 10:00")
    assert code != 0 and "not free" in out and "2026-12-01 09:00" in out
    code, out = jobbtorg(db, *args, "--start", "2026-12-25 10:00")
    assert code != 0 and "not free" in out
    code, out = jobbtorg(db, *args, "--start", "tomorrow")
    assert code != 0 and "give the start time" in out
    code, out = jobbtorg(db, "bookings", "add", "--phone", "12", "--kind", "forsta-besok",
                         "--start", "2026-12-01 11:00", "--unit", "jarva")
    assert code != 0 and "not a phone number" in out


def test_bookings_list_gives_the_contract_rows(db):
    added = run_json(db, "bookings", "add", "--phone", "0701111111", "--kind", "forsta-besok",
                     "--start", "2026-12-01 10:00", "--unit", "jarva", "--first-name", "Sara",
                     "--interpreter", "Arabiska", "--accessibility")
    run_json(db, "bookings", "add", "--phone", "0702222222", "--kind", "forsta-besok",
             "--start", "2026-12-02 11:00", "--unit", "vasterort")
    rows = run_json(db, "bookings", "list")
    assert [set(r) for r in rows] == [{"id", "contact_id", "unit", "kind", "start", "seats",
                                       "status", "code", "first_name", "needs"}] * 2
    assert rows[0] | {"id": 0, "contact_id": 0} == {
        "id": 0, "contact_id": 0, "unit": "jarva", "kind": "forsta-besok",
        "start": "2026-12-01T10:00:00+01:00", "seats": 1, "status": "booked",
        "code": added["code"], "first_name": "Sara",
        "needs": ["interpreter:arabiska", "accessibility"]}
    assert (rows[1]["first_name"], rows[1]["needs"]) == (None, [])
    assert [r["unit"] for r in run_json(db, "bookings", "list", "--unit", "vasterort")] == [
        "vasterort"]
    assert [r["start"][:10] for r in run_json(db, "bookings", "list", "--date", "2026-12-02")] == [
        "2026-12-02"]
    assert jobbtorg(db, "bookings", "list", "--date", "someday")[0] != 0


def test_visits_are_marked_only_once_they_have_started(db):
    row = run_json(db, "bookings", "add", "--phone", PHONE, "--kind", "forsta-besok",
                   "--start", "2026-12-01 10:00", "--unit", "jarva")
    code, out = jobbtorg(db, "visits", "mark", str(row["id"]), "no-show")
    assert code != 0 and "not started" in out
    at(db, local(2026, 12, 1, 11))
    assert jobbtorg(db, "visits", "mark", str(row["id"]), "maybe")[0] != 0
    assert jobbtorg(db, "visits", "mark", str(row["id"]), "no-show")[0] == 0
    assert run_json(db, "bookings", "list", "--date", "2026-12-01")[0]["status"] == "no-show"


def test_enrol_records_the_time_once_and_audit_logs_it(db):
    row = run_json(db, "bookings", "add", "--phone", PHONE, "--kind", "forsta-besok",
                   "--start", "2026-12-01 10:00", "--unit", "jarva")
    first = run_json(db, "enrol", str(row["contact_id"]))
    again = run_json(db, "enrol", str(row["contact_id"]))
    assert first["already"] is False and again["already"] is True
    assert first["enrolled_at"] == again["enrolled_at"]
    assert jobbtorg(db, "enrol", "4242")[0] != 0

    async def audits(session, _services):
        return (await session.execute(select(AuditLog.action).where(
            AuditLog.action == "contact.enrolled"))).scalars().all()

    assert query(db, audits) == ["contact.enrolled"]


def test_units_hours_closures_and_kinds_are_edited_and_shape_what_can_be_booked(db):
    hours = run_json(db, "units", "hours", "jarva", "--set", "mon-fri 10:00-15:00",
                     "--set", "sat 10:00-12:00")
    assert hours["mon"] == ["10:00-15:00"] and hours["sat"] == ["10:00-12:00"]
    assert hours["sun"] == []
    assert jobbtorg(db, "units", "hours", "jarva", "--set", "mon 9-16")[0] != 0
    args = ("bookings", "add", "--phone", PHONE, "--kind", "forsta-besok", "--unit", "jarva")
    assert jobbtorg(db, *args, "--start", "2026-12-01 09:00")[0] != 0  # before opening now
    assert jobbtorg(db, "units", "close", "jarva", "2026-12-02", "--reason", "personaldag")[0] == 0
    assert jobbtorg(db, *args, "--start", "2026-12-02 10:00")[0] != 0
    assert jobbtorg(db, "units", "reopen", "jarva", "2026-12-02")[0] == 0
    assert jobbtorg(db, *args, "--start", "2026-12-02 10:00")[0] == 0
    kind = run_json(db, "units", "kinds", "set", "jarva", "informationstraff", "--seats", "20")
    assert kind["seats"] == 20
    assert jobbtorg(db, "units", "kinds", "set", "jarva", "cv-verkstad")[0] != 0
    added = run_json(db, "units", "kinds", "set", "jarva", "cv-verkstad", "--name", "CV-verkstad",
                     "--hours", "fri 13:00-15:00", "--duration", "60")
    assert added["hours"] == {"fri": ["13:00-15:00"]}
    shown = run_json(db, "units", "show", "jarva")
    assert {"day": "2026-12-24", "reason": "Julafton"} in shown["closed"]
    assert "cv-verkstad" in [k["slug"] for k in shown["kinds"]]
    assert [u["slug"] for u in run_json(db, "units", "list")][:2] == ["jarva", "vasterort"]
    assert jobbtorg(db, "units", "show", "nowhere")[0] != 0


def test_a_units_own_words_on_what_to_bring_are_set_checked_and_shown(db):
    bring = run_json(db, "units", "bring", "jarva", "--sv", "Ta med legitimation och CV.")
    assert bring == {"sv": "Ta med legitimation och CV."}
    assert run_json(db, "units", "show", "jarva")["bring"] == bring
    code, out = jobbtorg(db, "units", "bring", "jarva", "--en", "Bring your ID 🙂")
    assert code != 0 and "🙂" in out  # would make every confirmation UCS-2
    assert jobbtorg(db, "units", "bring", "jarva", "--sv", "ord " * 50)[0] != 0  # too long
    assert run_json(db, "units", "bring", "jarva", "--clear") == {}
