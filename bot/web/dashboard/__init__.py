"""The staff dashboard under /staff/: installs the guarded routes, templates and static files.

Its pages are in the area modules beside this one (`pages = Pages()` in each);
`bot/root.py` lists the areas and passes them to `installer`."""

from __future__ import annotations

import secrets
from importlib.resources import files
from pathlib import Path

import jinja2
from aiohttp import web

from bot.clock import Clock
from bot.process import RouteInstaller
from bot.services import Services
from bot.web.dashboard import auth, core
from bot.web.dashboard.core import DASHBOARD, Dashboard

# Every staff page forbids framing and inline script; pages are never cached.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                               "base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    if request.path.startswith("/staff"):
        for name, value in SECURITY_HEADERS.items():
            if name == "Cache-Control" and request.path.startswith("/staff/static/"):
                continue
            response.headers.setdefault(name, value)


def _secret(services: Services) -> bytes:
    """The key that signs staff cookies. The demo makes one when none is configured;
    `serve` refuses to start without JOBBTORG_SECRET_KEY."""
    if services.settings.secret_key:
        return services.settings.secret_key.encode()
    if not services.demo:
        raise RuntimeError("JOBBTORG_SECRET_KEY is required for the staff dashboard")
    return secrets.token_bytes(32)


async def _to_dashboard(request: web.Request) -> web.StreamResponse:
    return core.see_other("/staff/")


def installer(dashboard: Dashboard) -> RouteInstaller:
    """Installs the dashboard with these pages (the root's list of areas)."""
    def install(app: web.Application, services: Services) -> None:
        app[DASHBOARD] = dashboard
        _install(app, services)
    return install


def _install(app: web.Application, services: Services) -> None:
    app[core.JINJA] = jinja2.Environment(
        loader=jinja2.PackageLoader("bot", "web/templates"),
        autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True)
    app[core.SECRET] = _secret(services)
    clock = services.extras.get("security_clock")
    app[core.SECURITY_CLOCK] = clock if isinstance(clock, Clock) else Clock()
    app.on_response_prepare.append(_security_headers)
    app.router.add_get("/staff", _to_dashboard)
    app.router.add_get("/staff/login", auth.login_page)
    app.router.add_post("/staff/login", auth.login_submit)
    app.router.add_static("/staff/static", Path(str(files("bot") / "web" / "static")))
    for route in app[DASHBOARD].routes:
        app.router.add_route(route.method, route.path, auth.guarded(route))

