"""WhatsApp through Twilio, end to end against the fake: in, replies, templates after 24 hours, 63016."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.channels.whatsapp import INBOUND_PATH, edge_variable, startup_problem, templates_of
from bot.settings import load_settings
from handlers.reminders import REMINDER
from storage.bookings import Booking, VisitKind
from storage.jobs import schedule
from storage.models import ChannelAddress, Contact, DeliveryAttempt, Outbox, Unit
from tests.fakes import FakeTwilio
from tests.fakes.wiring import PUBLIC_URL, SMS_PATH, STATUS_PATH, Wired, sms_form, wired

PERSON = "+46701234567"
OUR_WHATSAPP = "whatsapp:+46766860001"
REMINDER_TEMPLATE = ("Hej! Påminnelse från Jobbtorg: {{visit}} på {{unit}}, {{address}}. "
                     "Din kod är {{code}}. Svara här om du vill ändra.")


def whatsapp_form(sid: str, body: str, sender: str = PERSON) -> dict[str, str]:
    """An inbound WhatsApp message as Twilio posts it."""
    return {"MessageSid": sid, "SmsMessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32,
            "From": f"whatsapp:{sender}", "To": OUR_WHATSAPP, "Body": body, "NumMedia": "0",
            "NumSegments": "1", "MessageType": "text", "SmsStatus": "received",
            "WaId": sender.lstrip("+"), "ProfileName": "Test", "ApiVersion": "2010-04-01"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as server:
        yield server


@pytest.fixture
async def whatsapp(sqlite_url: str, fake: FakeTwilio) -> AsyncIterator[Wired]:
    reminder = fake.add_template(REMINDER_TEMPLATE)
    async with wired(sqlite_url, twilio=fake, full_demo=True, twilio_whatsapp_from=OUR_WHATSAPP,
                     whatsapp_templates=json.dumps({"booking.reminder": reminder})) as running:
        yield running


async def wrote(w: Wired, sid: str, text: str) -> None:
    response = await w.sms_post(INBOUND_PATH, whatsapp_form(sid, text))
    assert response.status == 200
    await w.drain()


async def test_a_whatsapp_message_is_answered_on_whatsapp_with_a_numbered_list(whatsapp, fake):
    await wrote(whatsapp, "SMwa1", "hej")
    assert fake.sent, "nothing was sent"
    assert {s.to for s in fake.sent} == {f"whatsapp:{PERSON}"}
    assert {s.from_ for s in fake.sent} == {OUR_WHATSAPP}
    assert {s.status_callback for s in fake.sent} == {PUBLIC_URL + STATUS_PATH}
    assert "1. " in fake.sent[-1].body and "2. " in fake.sent[-1].body  # the language question
    async with whatsapp.services.db.transaction() as session:
        address = (await session.execute(select(ChannelAddress))).scalar_one()
    assert (address.channel, address.address) == ("whatsapp", PERSON)


async def test_a_number_answers_the_numbered_question(whatsapp, fake):
    await wrote(whatsapp, "SMwa1", "hej")
    await wrote(whatsapp, "SMwa2", "1")  # Svenska
    async with whatsapp.services.db.transaction() as session:
        contact = (await session.execute(select(Contact))).scalar_one()
    assert contact.language == "sv"


async def test_unsigned_whatsapp_posts_are_refused(whatsapp):
    response = await whatsapp.sms_post(INBOUND_PATH, whatsapp_form("SMwa1", "hej"), signed=False)
    assert response.status == 403


async def test_the_sms_webhook_keeps_ignoring_whatsapp_and_whatsapp_ignores_sms(whatsapp, fake):
    assert (await whatsapp.sms_post(SMS_PATH, whatsapp_form("SMwa1", "hej"))).status == 200
    assert (await whatsapp.sms_post(INBOUND_PATH, sms_form("SMsms1", PERSON, "hej"))).status == 200
    await whatsapp.drain()
    assert fake.sent == []


async def test_whatsapp_is_off_without_its_sender(sqlite_url, fake):
    async with wired(sqlite_url, twilio=fake) as sms_only:
        assert (await sms_only.sms_post(INBOUND_PATH, whatsapp_form("SMwa1", "hej"))).status == 404


async def remind_in(w: Wired, hours: float) -> Outbox:
    """Book the person a visit, let `hours` pass, and run the reminder job: its outbox row."""
    now = w.services.clock.now()
    async with w.services.db.transaction() as session:
        contact = (await session.execute(select(Contact))).scalar_one()
        kind = (await session.execute(select(VisitKind))).scalars().first()
        unit = (await session.execute(select(Unit))).scalars().first()
        start = now + timedelta(hours=hours + 2)
        booking = Booking(code="WA1234", contact_id=contact.id, unit_id=unit.id, kind_id=kind.id,
                          start=start, end=start + timedelta(hours=1), created_at=now)
        session.add(booking)
        await session.flush()
        await schedule(session, REMINDER, now + timedelta(hours=hours), now, contact_id=contact.id,
                       payload={"booking_id": booking.id, "start": int(start.timestamp())})
    w.advance(hours * 3600)
    assert await w.services.engine.run_due_jobs() == 1
    await w.drain()
    async with w.services.db.transaction() as session:
        return (await session.execute(select(Outbox).order_by(Outbox.id.desc()))).scalars().first()


async def test_a_reminder_within_a_day_goes_as_free_text(whatsapp, fake):
    await wrote(whatsapp, "SMwa1", "hej")
    row = await remind_in(whatsapp, 20)
    sent = fake.sent[-1]
    assert row.kind == "booking.reminder" and row.status == "sent"
    assert sent.content_sid is None and sent.params["Body"] == row.text


async def test_a_reminder_after_a_day_of_silence_goes_as_its_approved_template(whatsapp, fake):
    await wrote(whatsapp, "SMwa1", "hej")
    row = await remind_in(whatsapp, 30)
    sent = fake.sent[-1]
    assert row.status == "sent"
    assert sent.content_sid == json.loads(whatsapp.services.settings.whatsapp_templates)["booking.reminder"]
    assert "Body" not in sent.params  # never the template's words in Body
    variables = json.loads(sent.params["ContentVariables"])
    assert variables["code"] == "WA1234" and "\n" not in "".join(variables.values())
    assert sent.body.startswith("Hej! Påminnelse från Jobbtorg:") and "WA1234" in sent.body


async def test_a_message_the_bot_starts_without_a_template_is_not_sent_after_a_day(sqlite_url, fake):
    async with wired(sqlite_url, twilio=fake, full_demo=True,
                     twilio_whatsapp_from=OUR_WHATSAPP) as w:
        await wrote(w, "SMwa1", "hej")
        before = len(fake.sent)
        row = await remind_in(w, 30)
    assert len(fake.sent) == before  # nothing went to Twilio
    assert row.status == "failed" and "no approved template for booking.reminder" in row.error


async def test_63016_in_the_status_callback_fails_that_message_only(whatsapp, fake):
    await wrote(whatsapp, "SMwa1", "hej")
    fake.close_window(f"whatsapp:{PERSON}")  # Twilio will say the window had closed
    await wrote(whatsapp, "SMwa2", "1")
    late = fake.sent[-1]
    response = await whatsapp.sms_post(STATUS_PATH, fake.callback_form(late.sid))
    assert response.status == 200
    async with whatsapp.services.db.transaction() as session:
        row = (await session.execute(select(Outbox).where(
            Outbox.provider_message_id == late.sid))).scalar_one()
        attempt = (await session.execute(select(DeliveryAttempt).where(
            DeliveryAttempt.outbox_id == row.id))).scalars().all()
        address = (await session.execute(select(ChannelAddress))).scalar_one()
    assert row.status == "failed" and row.error == "twilio 63016: failed"
    assert [a.outcome for a in attempt][-1] == "failed"
    assert not address.opted_out and not address.unreachable  # the person can still write


def test_templates_are_json_of_message_kind_to_content_sid():
    sid = "HX" + "a" * 32
    assert templates_of("") == {}
    assert templates_of(json.dumps({"booking.reminder": sid})) == {"booking.reminder": sid}
    assert "not valid JSON" in str(templates_of("{booking.reminder: HX}"))
    assert "no ContentSid" in str(templates_of(json.dumps({"broadcast": "hello"})))
    assert "no message kind" in str(templates_of(json.dumps({"reminder": sid})))


@pytest.mark.parametrize(("body", "where"), [
    ("{{text}} Svara STOPP för att sluta.", "starts"),
    ("Nytt från Jobbtorg: {{text}}", "ends"),
    ("Nytt från Jobbtorg: {{text}} Svara STOPP för att sluta.", None),
])
def test_a_template_may_not_start_or_end_with_a_variable(body, where):
    assert edge_variable(body) == where


async def test_serve_names_the_fix_for_a_template_that_ends_with_a_variable(fake):
    bad = fake.add_template("Nytt från Jobbtorg: {{text}}")
    settings = load_settings(twilio_account_sid=fake.account_sid, twilio_auth_token=fake.auth_token,
                             twilio_api_url=fake.base_url, public_url=PUBLIC_URL,
                             twilio_whatsapp_from=OUR_WHATSAPP,
                             whatsapp_templates=json.dumps({"broadcast": bad}))
    problem = await startup_problem(settings)
    assert problem is not None and bad in problem and "ends with a variable" in problem
    assert "\n" not in problem
    good = fake.add_template("Nytt från Jobbtorg: {{text}} Svara STOPP för att sluta.")
    assert await startup_problem(settings.model_copy(update={
        "whatsapp_templates": json.dumps({"broadcast": good})})) is None
    assert "whatsapp:+46" in str(await startup_problem(settings.model_copy(update={
        "twilio_whatsapp_from": "+46766860001"})))


async def test_the_preview_prices_whatsapp_per_message_and_warns_without_a_broadcast_template(whatsapp):
    from handlers.broadcasts import preview
    from tests.outreach_helpers import draft, person

    now = whatsapp.services.clock.now()
    async with whatsapp.services.db.transaction() as session:
        await person(session, now, "wa", channels=("whatsapp",))
        await person(session, now, "sm", channels=("sim-sms",))
        shown = await preview(session, await draft(session, now), now,
                              whatsapp.services.engine.policy)
    settings = whatsapp.services.settings
    rows = {row.channel: row for row in shown.rows}
    assert shown.by_channel == {"whatsapp": 1, "sms": 1}
    assert (rows["whatsapp"].segments, rows["whatsapp"].cost_sek) == (0, settings.whatsapp_price_sek)
    assert rows["sms"].cost_sek == settings.sms_price_sek
    assert {"code": "no-template", "channel": "WhatsApp"} in shown.warnings


async def test_a_broadcast_to_someone_silent_for_a_day_goes_as_the_broadcast_template(sqlite_url, fake):
    from handlers.broadcasts import start
    from tests.outreach_helpers import draft

    template = fake.add_template("Nytt från Jobbtorg: {{text}} Svara STOPP för att sluta.")
    async with wired(sqlite_url, twilio=fake, full_demo=True, twilio_whatsapp_from=OUR_WHATSAPP,
                     whatsapp_templates=json.dumps({"broadcast": template})) as w:
        await wrote(w, "SMwa1", "hej")
        await wrote(w, "SMwa2", "1")
        async with w.services.db.transaction() as session:
            contact = (await session.execute(select(Contact))).scalar_one()
            contact.status, contact.consented_at = "active", w.services.clock.now()
        w.advance(30 * 3600)
        now = w.services.clock.now()
        async with w.services.db.transaction() as session:
            broadcast = await draft(session, now, texts={"sv": "Jobbmässa i Kista\npå fredag!"})
            await start(session, broadcast, now, w.services.engine.policy)
        w.advance(12 * 3600)  # past any quiet hours
        await w.services.engine.run_due_jobs()
        await w.drain()
    sent = fake.sent[-1]
    assert sent.content_sid == template and "Body" not in sent.params
    assert json.loads(sent.params["ContentVariables"]) == {"text": "Jobbmässa i Kista på fredag!"}
    assert sent.body == "Nytt från Jobbtorg: Jobbmässa i Kista på fredag! Svara STOPP för att sluta."
