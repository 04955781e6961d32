"""`jobbtorg serve`: production start-up checks, then the web and/or worker roles."""

from __future__ import annotations

from rich.console import Console

from bot.runtime import build_services
from bot.settings import Settings
from bot.workers import run_until_stopped
from storage.migrate import current_revision, head_revision

# Feature modules add start-up checks (e.g. refusing an alphanumeric TWILIO_FROM) and
# lines describing what is switched on.
startup_checks: list = []


async def run_serve(settings: Settings, host: str, port: int, role: str,
                    telegram_polling: bool) -> None:
    current = await current_revision(settings.database_url)
    if current != head_revision(settings.database_url):
        raise SystemExit(
            f"The database schema is {current or 'empty'}, the code needs "
            f"{head_revision(settings.database_url)}. Run `jobbtorg db upgrade` first."
        )
    for check in startup_checks:
        check(settings)
    services = await build_services(settings)
    services.extras["telegram_polling"] = telegram_polling
    console = Console()
    console.print(f"jobbtorg serve: role {role} on {host}:{port}")
    on = [name for name, enabled in (("telegram", settings.telegram_enabled),
                                     ("sms", settings.sms_enabled)) if enabled]
    console.print(f"  channels on: {', '.join(on) or 'none (set TELEGRAM_TOKEN or TWILIO_*)'}")
    base = settings.public_url.rstrip("/") or f"http://{host}:{port}"
    if settings.telegram_enabled and not telegram_polling:
        console.print(f"  Telegram webhook: {base}/webhooks/telegram "
                      "(register with `jobbtorg telegram set-webhook`)")
    if settings.sms_enabled:
        console.print(f"  Twilio SMS webhook: {base}/webhooks/twilio/sms")
        console.print(f"  Twilio status callback: {base}/webhooks/twilio/status")
    await run_until_stopped(services, host, port, web_role=role in ("all", "web"),
                            worker_role=role in ("all", "worker"))
