"""Outreach and reports in the dashboard: sources, segments, broadcasts with approval, events, CSV."""

from __future__ import annotations

import re
from datetime import date

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import build_app
from bot.charts import funnel_chart
from messages import Texts
from storage.funnel import funnel
from storage.models import AuditLog, Outbox
from storage.outreach import AWAITING_APPROVAL, Broadcast, OutreachSource
from storage.periods import Period
from tests.conftest import start_services
from tests.sim import SimPerson
from tests.staff_web import login, post


@pytest.fixture
async def web(database_url):
    services = await start_services(database_url, telegram_bot_username="JobbtorgBot")
    async with TestClient(TestServer(build_app(services))) as client:
        yield client, services
    await services.close()


async def onboarded(client, user: str, look: str = "telegram", gender: str = "kvinna") -> None:
    await SimPerson(client, user, look).onboard(gender=gender)


async def test_an_outreach_worker_adds_a_source_and_downloads_its_qr_code(web):
    client, services = web
    await login(client, "outreach")
    response = await post(client, "/staff/outreach/sources", {
        "kind": "bibliotek", "name": "Tensta bibliotek", "keyword": ""})
    assert "done=staff.web.done.saved" in response.headers["Location"]
    async with services.db.transaction() as session:
        source = (await session.execute(select(OutreachSource).where(
            OutreachSource.name == "Tensta bibliotek"))).scalar_one()
    assert source.keyword == "TENSTABIBLIOTEK"
    page = await (await client.get("/staff/outreach/sources")).text()
    assert f"https://t.me/JobbtorgBot?start={source.payload}" in page
    qr = await client.get(f"/staff/outreach/sources/{source.id}/qr.png")
    assert qr.status == 200 and qr.content_type == "image/png"
    assert (await qr.read()).startswith(b"\x89PNG")


async def test_a_source_with_a_taken_keyword_is_refused(web):
    client, _ = web
    await login(client, "outreach")
    response = await post(client, "/staff/outreach/sources", {
        "kind": "bibliotek", "name": "Another", "keyword": "TENSTA"})
    assert "error=staff.web.sources.error_taken" in response.headers["Location"]


async def test_the_segment_count_follows_the_filters(web):
    client, _ = web
    await onboarded(client, "w1", gender="kvinna")
    await onboarded(client, "m1", "sms", gender="man")
    await login(client, "outreach")
    everyone = await (await client.get("/staff/api/segment-count")).json()
    women = await (await client.get("/staff/api/segment-count", params={"gender": "kvinna"})).json()
    by_sms = await (await client.get("/staff/api/segment-count", params={"channel": "sms"})).json()
    assert (everyone["count"], women["count"], by_sms["count"]) == (2, 1, 1)
    assert by_sms["by_channel"] == {"sms": 1} and by_sms["segmented"] == 1 and "1" in by_sms["text"]


async def test_a_broadcast_is_previewed_sent_and_its_progress_read(web):
    client, services = web
    await onboarded(client, "p1")
    await onboarded(client, "p2", "sms")
    await login(client, "outreach")
    created = await post(client, "/staff/outreach/broadcasts", {
        "name": "Jobbmässa", "text_sv": "Välkommen till jobbmässan på fredag!", "text_en": ""})
    path = created.headers["Location"]
    preview = await (await client.get(path)).text()
    assert "2 personer" in preview and "Välkommen till jobbmässan" in preview
    sent = await post(client, f"{path}/send")
    assert "done=staff.web.done.sending" in sent.headers["Location"]
    await services.engine.run_due_jobs()
    broadcast_id = int(path.rsplit("/", 1)[1])
    progress = await (await client.get(f"/staff/api/broadcasts/{broadcast_id}/progress")).json()
    assert progress["total"] == 2 and progress["status"] in ("sending", "sent")
    async with services.db.transaction() as session:
        rows = list((await session.execute(select(Outbox).where(
            Outbox.broadcast_id == broadcast_id))).scalars())
    assert len(rows) == 2


async def test_a_broadcast_without_swedish_text_is_refused(web):
    client, _ = web
    await login(client, "outreach")
    response = await post(client, "/staff/outreach/broadcasts", {"text_sv": " ", "text_en": "Hi"})
    assert "error=staff.web.broadcast.error_swedish" in response.headers["Location"]


async def test_a_costly_sms_broadcast_waits_for_an_admin_who_approves_it(database_url):
    services = await start_services(database_url, sms_approval_sek=0.1)
    async with TestClient(TestServer(build_app(services))) as client:
        await onboarded(client, "s1", "sms")
        await login(client, "outreach")
        created = await post(client, "/staff/outreach/broadcasts", {"text_sv": "Hej på er!"})
        path = created.headers["Location"]
        sent = await post(client, f"{path}/send")
        assert "done=staff.web.done.awaiting_approval" in sent.headers["Location"]
        assert (await client.get("/staff/admin/approvals")).status == 403
        await login(client, "admin")
        listed = await (await client.get("/staff/admin/approvals")).text()
        broadcast_id = int(path.rsplit("/", 1)[1])
        assert f"/staff/admin/approvals/{broadcast_id}" in listed
        approved = await post(client, f"/staff/admin/approvals/{broadcast_id}")
        assert "done=staff.web.done.approved" in approved.headers["Location"]
        async with services.db.transaction() as session:
            broadcast = await session.get(Broadcast, broadcast_id)
            assert broadcast is not None and broadcast.status != AWAITING_APPROVAL
            assert broadcast.approved_by == "admin"
    await services.close()


async def test_cancelling_a_broadcast_stops_what_is_queued(web):
    client, services = web
    await onboarded(client, "c1")
    await login(client, "outreach")
    path = (await post(client, "/staff/outreach/broadcasts", {"text_sv": "Hej!"})).headers["Location"]
    await post(client, f"{path}/send")
    await services.engine.run_due_jobs()
    stopped = await post(client, f"{path}/cancel")
    assert "done=staff.web.done.cancelled" in stopped.headers["Location"]
    progress = await (await client.get(
        f"/staff/api/broadcasts/{path.rsplit('/', 1)[1]}/progress")).json()
    assert progress["counts"]["queued"] == 0 and progress["done"]


async def test_events_list_and_new_event(web):
    client, _ = web
    await login(client, "outreach")
    page = await (await client.get("/staff/outreach/events")).text()
    assert "Rekryteringsträff" in page
    bad = await post(client, "/staff/outreach/events", {
        "kind": "massa", "title": "Mässa", "place": "Kista", "seats": "10",
        "starts_at": "2001-01-01T10:00"})
    assert "error=staff.web.events.error_time" in bad.headers["Location"]
    good = await post(client, "/staff/outreach/events", {
        "kind": "massa", "title": "Vårmässan", "place": "Kista", "seats": "10",
        "starts_at": "2099-04-01T10:00"})
    assert "done=staff.web.done.saved" in good.headers["Location"]
    assert "Vårmässan" in await (await client.get("/staff/outreach/events")).text()
    event_id = re.search(r'/staff/outreach/events/(\d+)">Vårmässan',
                         await (await client.get("/staff/outreach/events")).text()).group(1)
    assert (await client.get(f"/staff/outreach/events/{event_id}")).status == 200


async def test_the_analyst_downloads_the_outcome_csv_without_personal_data(web):
    client, services = web
    await login(client, "analyst")
    page = await client.get("/staff/reports/outcomes")
    assert page.status == 200 and "Andel i arbete eller studier" in await page.text()
    csv_file = await client.get("/staff/reports/outcomes.csv", params={"by": "gender"})
    assert csv_file.status == 200 and csv_file.content_type == "text/csv"
    assert "attachment" in csv_file.headers["Content-Disposition"]
    assert (await csv_file.text()).startswith("\ufeffIndelning;Grupp;Från;Till;Avslutade")
    workbook = await client.get("/staff/reports/outcomes.xlsx")
    assert workbook.status == 200 and (await workbook.read()).startswith(b"PK")
    chart = await client.get("/staff/reports/outcomes.png")
    assert (await chart.read()).startswith(b"\x89PNG")
    async with services.db.transaction() as session:
        viewed = list((await session.execute(select(AuditLog).where(
            AuditLog.contact_id.is_not(None)))).scalars())
    assert viewed == []  # the analyst saw nobody


async def test_the_funnel_splits_each_step_by_gender_and_downloads_as_csv(web):
    client, _ = web
    await onboarded(client, "f1", gender="kvinna")
    await onboarded(client, "f2", gender="man")
    await login(client, "analyst")
    page = await (await client.get("/staff/reports/funnel")).text()
    assert "Andel kvinnor" in page
    assert page.count(Texts("sv")("staff.report.hidden_row")) >= 2  # one woman, one man
    by_unit = await client.get("/staff/reports/funnel", params={"by": "unit"})
    assert "Jobbtorg Järva" in await by_unit.text()
    csv_file = await client.get("/staff/reports/funnel.csv")
    assert (await csv_file.text()).startswith("\ufeffGrupp;Väg;Steg;Totalt;Kvinnor;Män")


async def test_a_source_is_edited_closed_and_opened_again(web):
    client, services = web
    await login(client, "outreach")
    async with services.db.transaction() as session:
        source = (await session.execute(select(OutreachSource).where(
            OutreachSource.keyword == "TENSTA"))).scalar_one()
    edited = await post(client, f"/staff/outreach/sources/{source.id}", {
        "kind": "forening", "name": "Tensta föreningsgård", "district": ""})
    assert "done=staff.web.done.saved" in edited.headers["Location"]
    closed = await post(client, f"/staff/outreach/sources/{source.id}/active", {"active": "no"})
    assert "done=staff.web.done.closed" in closed.headers["Location"]
    async with services.db.transaction() as session:
        found = await session.get(OutreachSource, source.id)
        assert (found.name, found.kind, found.district_id, found.active) == (
            "Tensta föreningsgård", "forening", None, False)
        assert found.keyword == "TENSTA"  # printed posters keep working once it opens again
    page = await (await client.get("/staff/outreach/sources")).text()
    assert "Tensta föreningsgård" in page and "Öppna igen" in page
    await SimPerson(client, "from-poster", "sms").send("TENSTA")  # closed: not attributed
    async with services.db.transaction() as session:
        from storage.models import ChannelAddress, Contact

        address = (await session.execute(select(ChannelAddress).where(
            ChannelAddress.address == "from-poster"))).scalar_one()
        assert (await session.get(Contact, address.contact_id)).source_id is None
    opened = await post(client, f"/staff/outreach/sources/{source.id}/active", {"active": "yes"})
    assert "done=staff.web.done.opened" in opened.headers["Location"]
    async with services.db.transaction() as session:
        assert (await session.get(OutreachSource, source.id)).active
    assert (await post(client, "/staff/outreach/sources/99999/active", {})).status == 404


async def test_an_event_is_edited_and_its_sign_up_closed(web):
    client, services = web
    await login(client, "outreach")
    page = await (await client.get("/staff/outreach/events")).text()
    event_id = int(re.search(r'/staff/outreach/events/(\d+)"', page).group(1))
    edited = await post(client, f"/staff/outreach/events/{event_id}", {
        "title": "Lagerträff", "place": "Kistagången 20", "seats": "30",
        "starts_at": "2099-05-02T13:00"})
    assert "done=staff.web.done.saved" in edited.headers["Location"]
    too_few = await post(client, f"/staff/outreach/events/{event_id}", {
        "title": "Lagerträff", "place": "Kistagången 20", "seats": "0",
        "starts_at": "2099-05-02T13:00"})
    assert "error=staff.web.events.error_fields" in too_few.headers["Location"]
    closed = await post(client, f"/staff/outreach/events/{event_id}/close")
    assert "done=staff.web.done.closed" in closed.headers["Location"]
    async with services.db.transaction() as session:
        from storage.outreach import Event

        event = await session.get(Event, event_id)
        assert (event.title, event.place, event.seats, event.status) == (
            "Lagerträff", "Kistagången 20", 30, "closed")
        assert event.starts_at.astimezone(services.settings.zone).strftime("%Y-%m-%d %H:%M") == \
            "2099-05-02 13:00"
    detail = await (await client.get(f"/staff/outreach/events/{event_id}")).text()
    assert "Anmälan stängd" in detail


async def test_an_analyst_chooses_among_fixed_periods_and_an_admin_any_dates(web):
    client, _ = web
    await login(client, "analyst")
    fixed = await (await client.get("/staff/reports/outcomes")).text()
    assert 'name="period"' in fixed and 'name="from"' not in fixed
    days = await client.get("/staff/reports/outcomes",
                            params={"from": "2026-01-01", "to": "2026-01-14"})
    text = await days.text()
    assert Texts("sv")("staff.web.outcomes.bad_dates") in text  # refused: a fixed period shown
    assert "2026-01-14" not in text
    await login(client, "admin")
    chosen = await client.get("/staff/reports/outcomes",
                              params={"from": "2026-01-01", "to": "2026-01-14"})
    assert "2026-01-14" in await chosen.text()
    backwards = await (await client.get("/staff/reports/outcomes", params={
        "from": "2026-01-14", "to": "2026-01-01"})).text()  # the CLI refuses it too
    assert Texts("sv")("staff.web.outcomes.bad_dates") in backwards  # as it says: the default
    assert "2026-01-14" not in backwards and "2026-01-01" not in backwards


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


async def test_the_funnel_page_draws_the_chart_the_cli_draws_with_the_split(web):
    client, services = web
    await onboarded(client, "c1", gender="kvinna")
    await login(client, "analyst")
    page = await (await client.get("/staff/reports/funnel", params={"by": "unit"})).text()
    assert 'src="/staff/reports/funnel.png?by=unit&amp;period=' in page
    chosen = re.search(r'funnel\.png\?by=unit&amp;period=([0-9.-]+)"', page).group(1)
    drawn = await client.get("/staff/reports/funnel.png", params={"by": "unit", "period": chosen})
    assert drawn.status == 200 and drawn.content_type == "image/png"
    first, _, last = chosen.partition("..")
    async with services.db.transaction() as session:
        report = await funnel(session, "unit", Period(date.fromisoformat(first),
                                                      date.fromisoformat(last)),
                              services.settings.zone)
    assert await drawn.read() == funnel_chart(report, "sv")  # the CLI's chart, not a copy
    alone = png_size(await (await client.get("/staff/reports/funnel.png",
                                             params={"period": chosen})).read())
    split = png_size(await (await client.get("/staff/reports/funnel.png",
                                             params={"by": "unit", "period": chosen})).read())
    assert split[0] > alone[0]  # a panel per unit beside the total
    await login(client, "coach")
    refused = await client.get("/staff/reports/funnel.png", allow_redirects=False)
    assert refused.status == 403


async def test_an_outreach_worker_records_people_met_and_the_funnel_shows_them(web):
    client, services = web
    await login(client, "outreach")
    async with services.db.transaction() as session:
        source = (await session.execute(select(OutreachSource))).scalars().first()
    today = services.clock.now().astimezone(services.settings.zone).date()
    page = await (await client.get("/staff/outreach/sources")).text()
    assert 'action="/staff/outreach/sources/met"' in page
    saved = await post(client, "/staff/outreach/sources/met",
                       {"source": str(source.id), "day": today.isoformat(), "people": "35"})
    assert saved.status == 303 and "done=staff.web.done.met" in saved.headers["Location"]
    later = await post(client, "/staff/outreach/sources/met",
                       {"source": str(source.id), "day": "2999-01-01", "people": "3"})
    assert "error=staff.web.sources.met_error_future" in later.headers["Location"]
    for bad in ({"source": str(source.id), "day": today.isoformat(), "people": "-3"},
                {"source": str(source.id), "day": "igår", "people": "3"},
                {"source": "999999", "day": today.isoformat(), "people": "3"},
                {"source": str(source.id), "day": today.isoformat(), "people": "100001"}):
        refused = await post(client, "/staff/outreach/sources/met", bad)
        assert "error=staff.web.sources.met_error_" in refused.headers["Location"], bad
    listed = await (await client.get("/staff/outreach/sources")).text()
    assert '<td class="num">35</td>' in listed
    async with services.db.transaction() as session:
        audited = (await session.execute(select(AuditLog).where(
            AuditLog.action == "source.met"))).scalars().all()
    assert [(a.actor, a.detail) for a in audited] == [
        ("outreach", f"{source.payload} {today.isoformat()} 35")]
    await login(client, "analyst")
    funnel_page = await (await client.get("/staff/reports/funnel", params={"by": "source"})).text()
    assert f"{Texts('sv')('staff.report.funnel.met')}: 35" in funnel_page
    refused = await post(client, "/staff/outreach/sources/met",
                         {"source": str(source.id), "day": today.isoformat(), "people": "1"})
    assert refused.status == 403  # analysts read the funnel; outreach staff record


async def test_the_outcome_page_opens_on_the_default_period_and_never_prints_none(web):
    from storage.periods import default_period

    client, services = web
    today = services.clock.now().astimezone(services.settings.zone).date()
    expected = default_period(today, services.settings.survey_delay_days)
    for role in ("analyst", "admin"):  # the same default for both, and the CLI's
        await login(client, role)
        page = await (await client.get("/staff/reports/outcomes", params={"by": "reason"})).text()
        assert f"{expected.start.isoformat()} till {expected.end.isoformat()}" in page
        assert ">None<" not in page and "Grupper med färre än fem" not in page
