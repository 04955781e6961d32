"""Builds the aiohttp application: health, webhooks, the staff dashboard and the simulator."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web
from sqlalchemy import text

from bot.runtime import Services

SERVICES = web.AppKey("services", Services)

# Feature modules add their routes here (webhooks, dashboard); each gets the app.
route_installers: list[Callable[[web.Application, Services], None]] = []


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
        from bot.web import sim

        sim.install(app)
    for install in route_installers:
        install(app, services)
    return app


def build_worker_app(services: Services) -> web.Application:
    """A worker's own port: health and /metrics, where its sends are counted."""
    from bot.web.metrics import install as install_metrics

    app = web.Application()
    app[SERVICES] = services
    app.router.add_get("/healthz", healthz)
    install_metrics(app, services)
    return app


# Route modules (channel webhooks, dashboard, metrics) register themselves in
# route_installers when imported; they import this module, so they come last.
import bot.channels.sms  # noqa: E402, F401
import bot.channels.telegram  # noqa: E402, F401
import bot.web.dashboard  # noqa: E402, F401
import bot.web.metrics  # noqa: E402, F401
