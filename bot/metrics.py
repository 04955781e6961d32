"""The Prometheus metrics: what is counted and measured (shown by bot/web/metrics.py).

Counters and the latency histogram live in this process (one registry, `REGISTRY`), so
with several processes Prometheus scrapes each and adds them up. The outbox queue depth
and the overdue jobs are set from the database at scrape time, so every process shows
the same figure for them. Labels carry channels, statuses and reasons only: never an
address or a text.
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
)

REGISTRY = CollectorRegistry(auto_describe=True)

INBOUND = Counter(
    "jobbtorg_inbound_messages", "Messages received from people, by channel "
    "(repeat deliveries of one provider id count under duplicates).",
    ["channel"], registry=REGISTRY)
INBOUND_DUPLICATES = Counter(
    "jobbtorg_inbound_duplicates", "Repeat deliveries of a message already handled.",
    ["channel"], registry=REGISTRY)
OUTBOUND = Counter(
    "jobbtorg_outbound_messages", "Send attempts by channel and what became of them "
    "(sent, queued = retry later, failed, cancelled).",
    ["channel", "status"], registry=REGISTRY)
SEND_LATENCY = Histogram(
    "jobbtorg_send_latency_seconds", "How long one provider call to send a message took.",
    ["channel"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
WEBHOOK_REJECTIONS = Counter(
    "jobbtorg_webhook_rejections", "Webhook calls refused, by channel and reason "
    "(signature, secret, malformed, error).",
    ["channel", "reason"], registry=REGISTRY)
QUEUE_DEPTH = Gauge(
    "jobbtorg_outbox_queue_depth", "Messages waiting in the outbox, by channel and priority "
    "(0: replies, 1: bulk). Read from the database at scrape time.",
    ["channel", "priority"], registry=REGISTRY)
JOBS_OVERDUE = Gauge(
    "jobbtorg_jobs_overdue", "Timed jobs past their due time and not yet run. Read from the "
    "database at scrape time.", registry=REGISTRY)
INBOUND_BATCH = Histogram(
    "jobbtorg_inbound_batch_size", "Messages handled together in one transaction (group "
    "commit): 1 under light load, larger when many arrive at once.", registry=REGISTRY,
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256))
INBOUND_BATCH_SPLITS = Counter(
    "jobbtorg_inbound_batch_splits", "Batches undone and handled one message at a time "
    "(a turn failed, a staff command, or a race with another process).", registry=REGISTRY)
SCRAPE_ERRORS = Counter(
    "jobbtorg_metrics_database_errors", "Scrapes that could not read the database.",
    registry=REGISTRY)


def count_inbound(channel: str, duplicate: bool = False) -> None:
    (INBOUND_DUPLICATES if duplicate else INBOUND).labels(channel=channel).inc()


def observe_batch(size: int, split: bool) -> None:
    INBOUND_BATCH.observe(size)
    if split:
        INBOUND_BATCH_SPLITS.inc()


def count_outbound(channel: str, status: str) -> None:
    OUTBOUND.labels(channel=channel, status=status).inc()


def observe_send(channel: str, seconds: float) -> None:
    SEND_LATENCY.labels(channel=channel).observe(seconds)


def count_rejection(channel: str, reason: str) -> None:
    WEBHOOK_REJECTIONS.labels(channel=channel, reason=reason).inc()


def value(name: str, labels: dict[str, str] | None = None) -> float:
    """A sample's current value (0 when it was never set); for tests and the CLI."""
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0
