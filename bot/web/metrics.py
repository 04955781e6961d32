"""`GET /metrics`: the Prometheus page, with the gauges read from the database first."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select
from sqlmodel import col

from bot.metrics import JOBS_OVERDUE, QUEUE_DEPTH, REGISTRY, SCRAPE_ERRORS
from bot.services import SERVICES
from storage.models import Job, Outbox

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("jobbtorg.metrics")

METRICS_PATH = "/metrics"


async def refresh_from_database(services: Services) -> None:
    """Set the gauges that describe the database (queue depth, overdue jobs)."""
    now = services.clock.now()
    async with services.db.transaction() as session:
        queued = (await session.execute(
            select(col(Outbox.channel), col(Outbox.priority), func.count())
            .where(col(Outbox.status) == "queued")
            .group_by(col(Outbox.channel), col(Outbox.priority)))).all()
        overdue = (await session.execute(
            select(func.count()).select_from(Job)
            .where(col(Job.status) == "pending", col(Job.due_at) <= now))).scalar_one()
    QUEUE_DEPTH.clear()  # a channel with nothing queued shows no series rather than a stale one
    for channel, priority, count in queued:
        QUEUE_DEPTH.labels(channel=channel, priority=str(priority)).set(count)
    JOBS_OVERDUE.set(overdue)


async def metrics_page(request: web.Request) -> web.Response:
    try:
        await refresh_from_database(request.app[SERVICES])
    except Exception:  # the counters are still worth serving while the database is down
        SCRAPE_ERRORS.inc()
        log.warning("metrics_database_unavailable", extra={"event": "metrics_database_unavailable"})
    return web.Response(body=generate_latest(REGISTRY),
                        headers={"Content-Type": CONTENT_TYPE_LATEST})


def install(app: web.Application, services: Services) -> None:
    """/metrics beside the service's routes, unless it has a port of its own."""
    if services.settings.metrics_port is None:
        app.router.add_get(METRICS_PATH, metrics_page)


def build_metrics_app(services: Services) -> web.Application:
    """The app on JOBBTORG_METRICS_PORT: /metrics and nothing else."""
    app = web.Application()
    app[SERVICES] = services
    app.router.add_get(METRICS_PATH, metrics_page)
    return app


