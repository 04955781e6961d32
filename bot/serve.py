"""`jobbtorg serve`: production start-up checks, then the web and/or worker roles."""

from __future__ import annotations

import errno

from rich.console import Console

from bot.channels.sms import sender_problem
from bot.channels.telegram import check_telegram_secret, poll_updates
from bot.logs import setup_logging
from bot.process import Process
from bot.runtime import build_services
from bot.settings import Settings
from bot.workers import run_until_stopped
from storage.migrate import schema_problem


def check_sms_sender(settings: Settings) -> None:
    """Refuse a TWILIO_FROM people cannot answer (an alphanumeric sender ID)."""
    if settings.sms_enabled and (problem := sender_problem(settings.twilio_from)):
        raise SystemExit(problem)


def check_sms_urls(settings: Settings) -> None:
    """Twilio signs against the public URL and posts delivery status there."""
    if settings.sms_enabled and not settings.public_url and not settings.trust_proxy:
        raise SystemExit("SMS is on but JOBBTORG_PUBLIC_URL is not set: Twilio signs every webhook "
                         "against it. Set it (e.g. https://bot.example.se), or set "
                         "JOBBTORG_TRUST_PROXY=1 behind a proxy that forwards the host.")



def listen_problem(host: str, port: int, exc: OSError) -> str | None:
    """One line for a port that cannot be listened on, or None for another OSError."""
    if exc.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
        return f"Cannot listen on {host}:{port}: {exc.strerror}. Choose another --port or --host."
    return None


async def run_serve(settings: Settings, host: str, port: int, role: str,
                    telegram_polling: bool, process: Process) -> None:
    """Start `process` (the root's), refusing a configuration that cannot work with one
    line (SystemExit)."""
    if problem := await schema_problem(settings.database_url):
        raise SystemExit(problem)
    setup_logging(settings.log_level)  # JSON lines with an event, no numbers
    try:
        await _run_serve(settings, host, port, role, telegram_polling, process)
    except OSError as exc:
        if (problem := listen_problem(host, port, exc)) is None:
            raise
        raise SystemExit(problem) from None


async def _run_serve(settings: Settings, host: str, port: int, role: str,
                     telegram_polling: bool, process: Process) -> None:
    for check in process.startup_checks:  # refuse a set-up that cannot work, first
        check(settings)
    check_telegram_secret(settings, telegram_polling)
    services = await build_services(settings, process)
    services.extras["telegram_polling"] = telegram_polling
    if telegram_polling and settings.telegram_enabled and role in ("all", "web"):
        services.extras.setdefault("background", []).append(  # type: ignore[attr-defined]
            lambda stop: poll_updates(services, stop))
    console = Console()
    console.print(f"jobbtorg serve: role {role} on {host}:{port}")
    on = [name for name, enabled in (("telegram", settings.telegram_enabled),
                                     ("sms", settings.sms_enabled)) if enabled]
    hint = "none (set JOBBTORG_TELEGRAM_TOKEN or JOBBTORG_TWILIO_*)"
    console.print(f"  channels on: {', '.join(on) or hint}")
    base = settings.public_url.rstrip("/") or f"http://{host}:{port}"
    if settings.telegram_enabled and not telegram_polling:
        console.print(f"  Telegram webhook: {base}/webhooks/telegram "
                      "(register with `jobbtorg telegram set-webhook`)")
    if settings.telegram_enabled and telegram_polling:
        console.print("  Telegram: polling with getUpdates (development; the webhook is removed)")
    if settings.sms_enabled:
        console.print(f"  Twilio SMS webhook: {base}/webhooks/twilio/sms")
        console.print(f"  Twilio status callback: {base}/webhooks/twilio/status")
    await run_until_stopped(services, host, port, web_role=role in ("all", "web"),
                            worker_role=role in ("all", "worker"))
