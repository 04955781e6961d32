"""Builds the aiohttp application: health, the simulator and the process's routes."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import text

from bot.services import SERVICES, Services
from bot.web import metrics, sim


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    try:
        async with services.db.transaction() as session:
            await session.execute(text("SELECT 1"))
    except Exception:
        return web.json_response({"status": "database unavailable"}, status=503)
    return web.json_response({"status": "ok"})


def build_app(services: Services) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app[SERVICES] = services
    app.router.add_get("/healthz", healthz)
    if services.demo:
        sim.install(app)
    # Each channel's webhook, the staff dashboard, /metrics: bot/root.py lists them.
    for install in services.process.route_installers:
        install(app, services)
    return app


def build_worker_app(services: Services) -> web.Application:
    """A worker's own port: health and /metrics, where its sends are counted."""
    app = web.Application()
    app[SERVICES] = services
    app.router.add_get("/healthz", healthz)
    metrics.install(app, services)
    return app

