"""Staff sign-in: signed session cookies, CSRF tokens, the login lock, and the role guard."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from aiohttp import web

from bot.passwords import check_password
from bot.web.dashboard.core import (
    SECRET,
    SECURITY_CLOCK,
    Route,
    Staff,
    fill_badges,
    refuse,
    render,
    see_other,
    services_of,
)
from messages import LANGUAGES
from storage.staff import audit, staff_by_username
from storage.staff_sessions import (
    create_session,
    end_session,
    forget_login_tries,
    live_session,
    prune_login_tries,
    set_session_language,
    take_login_try,
)

SESSION_COOKIE = "jt_staff"
LOGIN_COOKIE = "jt_login"  # the pre-login CSRF secret (double submit)
LANGUAGE_COOKIE = "jt_lang"
SESSION_LIFETIME = timedelta(hours=10)  # one working day
MAX_FIELD = 200

log = logging.getLogger("jobbtorg.dashboard")


def _sign(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:40]


def signed(secret: bytes, value: str) -> str:
    return f"{value}.{_sign(secret, value)}"


def unsigned(secret: bytes, cookie: str | None) -> str | None:
    """The value of a signed cookie, or None when it is missing or was tampered with."""
    if not cookie or "." not in cookie:
        return None
    value, signature = cookie.rsplit(".", 1)
    return value if hmac.compare_digest(signature, _sign(secret, value)) else None


def cookie_is_secure(request: web.Request) -> bool:
    """Secure cookies everywhere except a demo served over plain http."""
    settings = services_of(request).settings
    return settings.public_url.startswith("https://") or not services_of(request).demo


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str,
               max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/staff", httponly=True,
                        secure=cookie_is_secure(request), samesite="Lax")


def client_address(request: web.Request) -> str:
    """The caller's address for the login lock; forwarded only when the proxy is trusted."""
    settings = services_of(request).settings
    if settings.trust_proxy:
        # The last entry is the one our proxy added; earlier ones are the caller's to choose.
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
        if forwarded:
            return forwarded[:64]
    return (request.remote or "unknown")[:64]


def safe_next(value: str | None) -> str:
    """Only a path inside the dashboard may be a redirect target (no open redirects)."""
    if value and value.startswith("/staff/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/staff/"


def request_language(request: web.Request) -> str:
    chosen = request.query.get("lang") or request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in LANGUAGES else "sv"


async def current_staff(request: web.Request) -> Staff | None:
    """The signed-in staff member, from a valid signed cookie and a live server session."""
    token = unsigned(request.app[SECRET], request.cookies.get(SESSION_COOKIE))
    if token is None:
        return None
    services = services_of(request)
    now = request.app[SECURITY_CLOCK].now()
    async with services.db.transaction() as session:
        found = await live_session(session, token, now)
        if found is None:
            return None
        row, user = found
        if now - row.last_seen_at > timedelta(minutes=5):
            row.last_seen_at = now
        assert row.id is not None
        session.expunge(user)
        return Staff(user=user, session_id=row.id, csrf=row.csrf_token, language=row.language,
                     services=services)


async def form_of(request: web.Request) -> dict[str, str]:
    """The posted form as plain strings (file fields dropped)."""
    data = await request.post()
    return {key: value for key, value in data.items() if isinstance(value, str)}


def csrf_ok(request: web.Request, staff: Staff, form: dict[str, str]) -> bool:
    sent = form.get("csrf") or request.headers.get("X-CSRF-Token") or ""
    return bool(sent) and hmac.compare_digest(sent, staff.csrf)


def guarded(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wrap a handler: signed in, the right role, and for a POST a valid CSRF token."""

    async def handle(request: web.Request) -> web.StreamResponse:
        staff = await current_staff(request)
        if staff is None:
            if request.method == "GET" and not request.path.startswith("/staff/api/"):
                return see_other("/staff/login?" + _next_query(request))
            return web.json_response({"error": "sign in first"}, status=401)
        if staff.role not in route.roles:
            log.info("dashboard_refused", extra={"event": "dashboard_refused",
                                                 "role": staff.role, "route": route.path})
            return refuse(request, staff)
        if request.method == "POST":
            form = await form_of(request)
            if not csrf_ok(request, staff, form):
                return refuse(request, staff, "staff.web.error.csrf")
            staff.form = form
        elif not request.path.startswith("/staff/api/"):
            await fill_badges(request, staff)
        return await route.handler(request, staff)

    return handle


def _next_query(request: web.Request) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": request.path_qs})


# --- the login page --------------------------------------------------------------------


def _login_page(request: web.Request, status: int = 200, error: str = "",
                username: str = "") -> web.Response:
    secret = request.app[SECRET]
    nonce = unsigned(secret, request.cookies.get(LOGIN_COOKIE)) or secrets.token_urlsafe(24)
    language = request_language(request)
    response = render(request, None, "staff/login.html", status=status, language=language,
                      csrf=_sign(secret, "login:" + nonce), error=error, username=username,
                      next=safe_next(request.query.get("next")))
    set_cookie(request, response, LOGIN_COOKIE, signed(secret, nonce))
    if "lang" in request.query and language == request.query["lang"]:
        set_cookie(request, response, LANGUAGE_COOKIE, language, max_age=365 * 86400)
    return response


async def login_page(request: web.Request) -> web.StreamResponse:
    if await current_staff(request) is not None:
        return see_other(safe_next(request.query.get("next")))
    return _login_page(request)


async def login_submit(request: web.Request) -> web.StreamResponse:
    secret = request.app[SECRET]
    data = await form_of(request)
    nonce = unsigned(secret, request.cookies.get(LOGIN_COOKIE))
    if nonce is None or not hmac.compare_digest(data.get("csrf", ""), _sign(secret, "login:" + nonce)):
        return refuse(request, None, "staff.web.error.csrf")
    username = data.get("username", "").strip()[:64]
    password = data.get("password", "")[:MAX_FIELD]
    if not username or not password:
        return _login_page(request, 400, "staff.web.login.missing", username)
    services = services_of(request)
    now = request.app[SECURITY_CLOCK].now()  # the lock and the session: real time
    audit_now = services.clock.now()
    address = client_address(request)
    try:
        async with services.db.transaction() as session:
            until = await take_login_try(session, username, address, now)
            if until is not None:
                raise _Throttled(until)  # roll back: a refused try is not counted
            user = await staff_by_username(session, username)
            known = user if user is not None and user.active and user.id is not None else None
    except _Throttled as refused:
        return _throttled_page(request, username, refused.until - now)
    # Checked outside any transaction (argon2 takes a while; SQLite would hold its write
    # lock meanwhile), in a thread, and against a stand-in hash for an unknown user so
    # that the answer takes as long whether the user exists or not.
    ok = await check_password(known.password_hash if known else None, password) and known is not None
    async with services.db.transaction() as session:
        if not ok or known is None or known.id is None:
            await audit(session, audit_now, username, "staff.login_failed", detail=f"from {address}")
            await prune_login_tries(session, now)
            log.info("login_failed", extra={"event": "login_failed"})
            return _login_page(request, 401, "staff.web.login.wrong", username)
        await forget_login_tries(session, username, address)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        await create_session(session, known.id, token, csrf, request_language(request), now,
                             SESSION_LIFETIME)
        await audit(session, audit_now, known.username, "staff.login", detail=f"from {address}")
    response = see_other(safe_next(data.get("next")))
    set_cookie(request, response, SESSION_COOKIE, signed(secret, token),
               max_age=int(SESSION_LIFETIME.total_seconds()))
    response.del_cookie(LOGIN_COOKIE, path="/staff")
    return response


class _Throttled(Exception):
    def __init__(self, until: datetime) -> None:
        self.until = until


def _throttled_page(request: web.Request, username: str, wait: timedelta) -> web.Response:
    """429: the pair or the address is locked (15 minutes), or the account must wait a little."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    error = "staff.web.login.locked" if seconds > 60 else "staff.web.login.slowed"
    response = _login_page(request, 429, error, username)
    response.headers["Retry-After"] = str(seconds)
    return response


async def logout(request: web.Request, staff: Staff) -> web.StreamResponse:
    token = unsigned(request.app[SECRET], request.cookies.get(SESSION_COOKIE))
    services = services_of(request)
    async with services.db.transaction() as session:
        if token:
            await end_session(session, token)
        await audit(session, staff.now(), staff.name, "staff.logout")
    response = see_other("/staff/login")
    response.del_cookie(SESSION_COOKIE, path="/staff")
    return response


async def switch_language(request: web.Request, staff: Staff) -> web.StreamResponse:
    data = staff.form
    language = data.get("lang", "")
    if language not in LANGUAGES:
        return refuse(request, staff, "staff.web.error.bad_input", 400)
    async with services_of(request).db.transaction() as session:
        await set_session_language(session, staff.session_id, language)
    response = see_other(safe_next(data.get("next")))
    set_cookie(request, response, LANGUAGE_COOKIE, language, max_age=365 * 86400)
    return response
