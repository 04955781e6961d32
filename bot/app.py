"""Builds the aiohttp application: health, webhooks, the staff dashboard and the simulator."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web
from sqlalchemy import text

from bot.channels import sms, telegram
from bot.services import SERVICES, Services
from bot.web import dashboard, metrics, sim

RouteInstaller = Callable[[web.Application, Services], None]
# What the web process serves besides /healthz: each channel's webhook, the staff
# dashboard and /metrics. A new route module is added here.
route_installers: list[RouteInstaller] = [sms.install, telegram.install, dashboard.install,
                                          metrics.install]


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
    for install in route_installers:
        install(app, services)
    return app


def build_worker_app(services: Services) -> web.Application:
    """A worker's own port: health and /metrics, where its sends are counted."""
    app = web.Application()
    app[SERVICES] = services
    app.router.add_get("/healthz", healthz)
    metrics.install(app, services)
    return app

