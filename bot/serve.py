"""`jobbtorg serve`: production start-up checks, then the web and/or worker roles."""

from __future__ import annotations

import errno

from rich.console import Console

from bot.channels import ChannelModule
from bot.channels.telegram import check_telegram_secret, poll_updates
from bot.logs import setup_logging
from bot.process import Process
from bot.runtime import build_services
from bot.settings import Settings
from bot.workers import run_until_stopped
from storage.migrate import schema_problem


async def check_channels(settings: Settings, channels: tuple[ChannelModule, ...]) -> None:
    """Each channel that is on checks its own settings (a sender people cannot answer,
    no public URL for a provider that signs its webhooks, ...)."""
    for channel in channels:
        if channel.enabled(settings) and (problem := await channel.startup_problem(settings)):
            raise SystemExit(problem)


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
    await check_channels(settings, process.channels)
    check_telegram_secret(settings, telegram_polling)
    services = await build_services(settings, process)
    services.extras["telegram_polling"] = telegram_polling
    if telegram_polling and settings.telegram_enabled and role in ("all", "web"):
        services.extras.setdefault("background", []).append(  # type: ignore[attr-defined]
            lambda stop: poll_updates(services, stop))
    console = Console()
    console.print(f"jobbtorg serve: role {role} on {host}:{port}")
    on = [channel for channel in process.channels if channel.enabled(settings)]
    names = [caps.label for channel in on for caps in channel.capabilities(settings)]
    hint = "none (set JOBBTORG_TELEGRAM_TOKEN or JOBBTORG_TWILIO_*)"
    console.print(f"  channels on: {', '.join(names) or hint}")
    base = settings.public_url.rstrip("/") or f"http://{host}:{port}"
    for line in dict.fromkeys(line for channel in on for line in channel.endpoints(settings, base)):
        console.print(f"  {line}")
    if settings.telegram_enabled and telegram_polling:
        console.print("  Telegram: polling with getUpdates (development; the webhook is removed)")
    await run_until_stopped(services, host, port, web_role=role in ("all", "web"),
                            worker_role=role in ("all", "worker"))
