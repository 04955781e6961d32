"""The dashboard's frame: pages and their roles, the signed-in staff context, rendering."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

from bot.clock import Clock
from bot.services import SERVICES, Services
from handlers.broadcasts import channel_counts
from messages import Texts
from storage.capabilities import CHANNELS
from storage.followup import PROGRAMMES
from storage.models import StaffUser

ADMIN, COACH, OUTREACH, ANALYST = "admin", "coach", "outreach", "analyst"
ALL_ROLES = frozenset({ADMIN, COACH, OUTREACH, ANALYST})
LOCALES = {"sv": "sv_SE", "en": "en_GB"}

JINJA = web.AppKey("staff_jinja", jinja2.Environment)
# Sessions and the login lock run on real time, not the demo clock: moving the demo clock
# a week ahead must not sign staff out or lift a lock (tests may put a FixedClock here).
SECURITY_CLOCK = web.AppKey("staff_security_clock", Clock)
SECRET = web.AppKey("staff_secret", bytes)


@dataclass
class Staff:
    """The signed-in staff member for one request."""

    user: StaffUser
    session_id: int
    csrf: str
    language: str
    services: Services
    texts: Texts = field(init=False)
    form: dict[str, str] = field(default_factory=dict)  # a POST's fields, CSRF checked
    badges: dict[str, int] = field(default_factory=dict)  # navigation path -> count to show

    def __post_init__(self) -> None:
        self.texts = Texts(self.language)

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def is_admin(self) -> bool:
        return self.user.role == ADMIN

    @property
    def unit_scope(self) -> int | None | bool:
        """The unit a coach may see; None for an admin (every unit). A coach with no unit
        gets False, which matches nothing."""
        if self.is_admin:
            return None
        return self.user.unit_id if self.user.unit_id is not None else False

    def may_see_unit(self, unit_id: int | None) -> bool:
        scope = self.unit_scope
        return scope is None or (scope is not False and unit_id == scope)

    def now(self) -> datetime:
        return self.services.clock.now()


Handler = Callable[[web.Request, Staff], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler
    roles: frozenset[str]


# A count shown beside a navigation item (e.g. unread conversations), per signed-in staff.
NavCount = Callable[[Staff], Awaitable[int]]


@dataclass(frozen=True)
class NavItem:
    path: str
    key: str  # catalog key of its label
    roles: frozenset[str]  # who sees it


def _roles(roles: tuple[str, ...], path: str) -> frozenset[str]:
    """The roles given (none: every signed-in role); an unknown one is a mistake."""
    allowed = frozenset(roles) or ALL_ROLES
    if unknown := allowed - ALL_ROLES:
        raise ValueError(f"unknown roles {sorted(unknown)} for {path}")
    return allowed


class Pages:
    """One area's pages: `pages = Pages()`, then `@pages.page("GET", "/staff/x", COACH)`;
    `pages.nav(path, key, *roles)` adds a navigation item and `pages.counts[path]` its
    count. `bot/root.py` lists every area's `pages`."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.nav_items: list[NavItem] = []
        self.counts: dict[str, NavCount] = {}

    def page(self, method: str, path: str, *roles: str) -> Callable[[Handler], Handler]:
        """A route for the given roles (none given: every signed-in role)."""
        allowed = _roles(roles, path)

        def declare(handler: Handler) -> Handler:
            self.routes.append(Route(method, path, handler, allowed))
            return handler
        return declare

    def nav(self, path: str, key: str, *roles: str) -> None:
        self.nav_items.append(NavItem(path, key, _roles(roles, path)))


# Navigation in the order of a working day.
NAV_ORDER = ("/staff/visits", "/staff/handoffs", "/staff/followup", "/staff/contacts",
             "/staff/outreach/sources", "/staff/outreach/segments", "/staff/outreach/broadcasts",
             "/staff/outreach/events",
             "/staff/reports/outcomes", "/staff/reports/funnel", "/staff/admin/approvals",
             "/staff/admin/staff", "/staff/admin/units", "/staff/admin/hours",
             "/staff/admin/audit")


@dataclass(frozen=True)
class Dashboard:
    """Every area's pages together: each route with the roles that may use it (the guard
    checks it on the server, the route x role test walks it), the navigation, the counts."""

    routes: tuple[Route, ...]
    nav: tuple[NavItem, ...]
    counts: dict[str, NavCount]

    @classmethod
    def of(cls, areas: tuple[Pages, ...]) -> Dashboard:
        routes = [route for area in areas for route in area.routes]
        seen: set[tuple[str, str]] = set()
        for route in routes:
            if (route.method, route.path) in seen:
                raise ValueError(f"{route.method} {route.path} is listed twice")
            seen.add((route.method, route.path))
        nav = sorted((item for area in areas for item in area.nav_items),
                     key=lambda item: NAV_ORDER.index(item.path) if item.path in NAV_ORDER
                     else len(NAV_ORDER))
        return cls(tuple(routes), tuple(nav),
                   {path: count for area in areas for path, count in area.counts.items()})

    def nav_for(self, staff: Staff | None) -> list[tuple[str, str]]:
        """(path, catalog key) of the navigation items this staff member sees."""
        return [(item.path, item.key) for item in self.nav if staff and staff.role in item.roles]


DASHBOARD = web.AppKey("staff_dashboard", Dashboard)


def services_of(request: web.Request) -> Services:
    return request.app[SERVICES]


async def fill_badges(request: web.Request, staff: Staff) -> None:
    """The counts of the navigation items this staff member sees (for a page view)."""
    dashboard = request.app[DASHBOARD]
    for item in dashboard.nav:
        count = dashboard.counts.get(item.path)
        if count is not None and staff.role in item.roles:
            staff.badges[item.path] = await count(staff)


def _formatters(language: str, zone: Any) -> dict[str, Callable[..., str]]:
    locale = LOCALES.get(language, "sv_SE")

    def when(value: datetime | None, style: str = "EEE d MMM HH:mm") -> str:
        return format_datetime(value, style, tzinfo=zone, locale=locale) if value else ""

    def day_name(value: date | datetime | None) -> str:
        if isinstance(value, datetime):
            value = value.astimezone(zone).date()
        return format_date(value, "EEEE d MMMM", locale=locale) if value else ""

    def clock(value: datetime | None) -> str:
        return format_time(value, "HH:mm", tzinfo=zone, locale=locale) if value else ""

    def money(value: float | None) -> str:
        """An amount in kronor as the page's language writes it ("62,15" on Swedish pages)."""
        return format_decimal(value or 0, "#,##0.00", locale=locale)

    return {"when": when, "day_name": day_name, "clock": clock, "money": money}


def render(request: web.Request, staff: Staff | None, template: str, *, status: int = 200,
           language: str = "sv", **context: Any) -> web.Response:
    """Render a staff page with the frame's context (texts, navigation, CSRF token, dates)."""
    services = services_of(request)
    language = staff.language if staff else language
    texts = staff.texts if staff else Texts(language)
    nav = request.app[DASHBOARD].nav_for(staff)
    flash = request.query.get("done", "")
    html = request.app[JINJA].get_template(template).render(
        t=texts, staff=staff, csrf=staff.csrf if staff else context.pop("csrf", ""),
        nav=nav, path=request.path, lang=language, demo=services.demo,
        channel_label=CHANNELS.label, channel_counts=channel_counts,
        flash=flash if flash.startswith("staff.web.done.") and texts.has(flash) else "",
        flash_args=flash_args(request.query),
        **_formatters(language, services.settings.zone), **context)
    return web.Response(text=html, status=status, content_type="text/html")


def flash_args(query: Any) -> dict[str, str]:
    """The names a confirmation may show (?was= and ?to=), only known programme keys, so a
    link cannot put words of its own on the page; "-" for none."""
    return {name: PROGRAMMES.get(query.get(name, ""), "-") for name in ("was", "to")}


def see_other(location: str) -> web.Response:
    """A 303 redirect as a plain response, so cookies set on it are kept. A target with a
    control character (CR/LF from a posted `next` or `back`) is a 400: a header cannot
    carry it, and the connection would be dropped."""
    if any(ord(c) < 32 or ord(c) == 127 for c in location):
        return web.Response(status=400, text="bad redirect target")
    return web.Response(status=303, headers={"Location": location})


def back_to(path: str, done: str | None = None, **query: Any) -> web.Response:
    """A redirect after a form (post/redirect/get), optionally with a confirmation key."""
    params = {k: v for k, v in query.items() if v not in (None, "")}
    if done:
        params["done"] = done
    joiner = "&" if "?" in path else "?"
    return see_other(path + (joiner + urlencode(params) if params else ""))


def refuse(request: web.Request, staff: Staff | None, key: str = "staff.web.error.forbidden",
           status: int = 403) -> web.Response:
    """An error page (403 wrong role or bad token, 404 not found, 400 bad input)."""
    if request.path.startswith("/staff/api/"):
        texts = staff.texts if staff else Texts("sv")
        return web.json_response({"error": texts(key)}, status=status)
    return render(request, staff, "staff/error.html", status=status, message_key=key)


def not_found(request: web.Request, staff: Staff) -> web.Response:
    return refuse(request, staff, "staff.web.error.not_found", 404)


MAX_ID = 2 ** 31 - 1  # ids are 32-bit on PostgreSQL: a larger one is no id (not a 500)


def int_param_of(raw: str | None) -> int | None:
    """A row id from a form or URL field: ASCII digits that fit an id, else None."""
    if not raw or not raw.isascii() or not raw.isdecimal() or len(raw) > 10:
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


def int_param(request: web.Request, name: str) -> int | None:
    """A positive integer path or query parameter, or None when missing or malformed."""
    return int_param_of(request.match_info.get(name) or request.query.get(name, ""))


def error_key(request: web.Request, prefix: str) -> str:
    """A catalog key passed back in ?error= after a refused form, if it is one of ours."""
    key = request.query.get("error", "")
    return key if key.startswith(prefix) and key.replace(".", "").replace("_", "").isalnum() else ""
