"""`GET /metrics`: inbound by channel, outbound by status, queue depth, latency, rejections."""

from __future__ import annotations

from datetime import timedelta

from bot import metrics
from storage.jobs import schedule
from storage.models import Outbox
from tests.sim import SimPerson


def inbound(channel: str, duplicate: bool = False) -> float:
    name = "jobbtorg_inbound_duplicates_total" if duplicate else "jobbtorg_inbound_messages_total"
    return metrics.value(name, {"channel": channel})


async def test_the_metrics_page_is_prometheus_text_with_every_family(client):
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    body = await response.text()
    for family in ("jobbtorg_inbound_messages_total", "jobbtorg_outbound_messages_total",
                   "jobbtorg_outbox_queue_depth", "jobbtorg_send_latency_seconds",
                   "jobbtorg_webhook_rejections_total", "jobbtorg_jobs_overdue"):
        assert f"# TYPE {family.removesuffix('_total')}" in body, family


async def test_messages_from_people_are_counted_by_channel(client):
    before_sms, before_telegram = inbound("sim-sms"), inbound("sim-telegram")
    await SimPerson(client, "counted", "sms").send("hej")
    await SimPerson(client, "counted", "sms").send("1")
    await SimPerson(client, "counted2", "telegram").send("hej")
    assert inbound("sim-sms") - before_sms == 2
    assert inbound("sim-telegram") - before_telegram == 1


async def test_a_repeat_delivery_counts_as_a_duplicate(services):
    from handlers.base import Inbound

    before = inbound("sim-sms", duplicate=True)
    await services.engine.handle("sim-sms", "twice", Inbound(text="hej"), provider_id="p-1")
    await services.engine.handle("sim-sms", "twice", Inbound(text="hej"), provider_id="p-1")
    assert inbound("sim-sms", duplicate=True) - before == 1


async def test_the_queue_depth_is_read_from_the_outbox_at_scrape_time(client, services):
    now = services.clock.now()
    async with services.db.transaction() as session:
        for priority in (0, 1, 1):
            session.add(Outbox(channel="sms", to_address="+46700000000", text="x",
                               priority=priority, created_at=now, next_attempt_at=now))
        session.add(Outbox(channel="sms", to_address="+46700000000", text="x", status="sent",
                           created_at=now, next_attempt_at=now))
        await schedule(session, "nothing", now - timedelta(minutes=5), now)
    body = await (await client.get("/metrics")).text()
    assert 'jobbtorg_outbox_queue_depth{channel="sms",priority="0"} 1.0' in body
    assert 'jobbtorg_outbox_queue_depth{channel="sms",priority="1"} 2.0' in body
    assert "jobbtorg_jobs_overdue 1.0" in body


async def test_the_metrics_page_still_answers_when_the_database_is_gone(client, services,
                                                                        monkeypatch):
    def unavailable():
        raise ConnectionRefusedError("database down")

    monkeypatch.setattr(services.db, "transaction", unavailable)
    before = metrics.value("jobbtorg_metrics_database_errors_total")
    response = await client.get("/metrics")
    assert response.status == 200
    assert "jobbtorg_inbound_messages_total" in await response.text()
    assert metrics.value("jobbtorg_metrics_database_errors_total") - before == 1


async def test_sends_are_counted_by_status_and_timed(sqlite_url):
    from tests.fakes import FakeTwilio
    from tests.fakes.wiring import SMS_PATH, sms_form, wired

    sent = {"channel": "sms", "status": "sent"}
    retried = {"channel": "sms", "status": "queued"}
    before = (metrics.value("jobbtorg_outbound_messages_total", sent),
              metrics.value("jobbtorg_outbound_messages_total", retried),
              metrics.value("jobbtorg_send_latency_seconds_count", {"channel": "sms"}))
    async with FakeTwilio() as twilio, wired(sqlite_url, twilio=twilio) as w:
        twilio.fail_next(1, 503)
        await w.sms_post(SMS_PATH, sms_form("SM" + "1" * 32, "+46701234567", "hej"))
        await w.drain()  # one reply fails with a 503 and waits for its retry, one goes
    assert metrics.value("jobbtorg_outbound_messages_total", sent) - before[0] == 1
    assert metrics.value("jobbtorg_outbound_messages_total", retried) - before[1] == 1
    assert metrics.value("jobbtorg_send_latency_seconds_count", {"channel": "sms"}) - before[2] == 2


async def test_refused_webhooks_are_counted_by_reason(sqlite_url):
    from tests.fakes import FakeTelegram, FakeTwilio
    from tests.fakes.wiring import SMS_PATH, sms_form, text_update, wired

    def refused(channel: str, reason: str) -> float:
        return metrics.value("jobbtorg_webhook_rejections_total",
                             {"channel": channel, "reason": reason})

    reasons = [("telegram", "secret"), ("telegram", "malformed"), ("sms", "signature")]
    before = {key: refused(*key) for key in reasons}
    async with FakeTelegram() as telegram, FakeTwilio() as twilio, \
            wired(sqlite_url, telegram=telegram, twilio=twilio) as w:
        assert (await w.update(text_update(1, 42, "hej"), secret="nope")).status == 403
        assert (await w.client.post("/webhooks/telegram", data=b"{", headers={
            "X-Telegram-Bot-Api-Secret-Token": "webhook-secret_42"})).status == 400
        forged = await w.sms_post(SMS_PATH, sms_form("SM" + "2" * 32, "+46701234567", "hej"),
                                  signed=False)
        assert forged.status == 403
    assert {key: refused(*key) - before[key] for key in reasons} == dict.fromkeys(reasons, 1)


async def test_a_worker_alone_answers_health_and_metrics_on_its_port(services):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import build_worker_app

    async with TestClient(TestServer(build_worker_app(services))) as worker:
        assert (await worker.get("/healthz")).status == 200
        body = await (await worker.get("/metrics")).text()
        assert "# TYPE jobbtorg_outbound_messages" in body
        assert "jobbtorg_outbox_queue_depth" in body
        assert (await worker.post("/webhooks/telegram", data=b"{}")).status == 404
