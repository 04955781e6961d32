"""`jobbtorg retention run`: erase people kept too long now, as the daily job does."""

from __future__ import annotations

import typer

from bot.commands.common import console, output, run, with_services
from bot.services import Services

retention_app = typer.Typer(help="Retention: erase people inactive too long.", no_args_is_help=True)


@retention_app.command("run")
def retention_run(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only count who would be erased."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Erase people inactive for RETENTION_MONTHS, and those who never consented after 7 days."""
    from storage.retention import expired_ids, sweep

    async def action(services: Services) -> dict[str, int]:
        months = services.settings.retention_months
        now = services.clock.now()
        if dry_run:
            async with services.db.transaction() as session:
                inactive, silent = await expired_ids(session, now, months, limit=10**9)
            return {"inactive": len(inactive), "no_consent": len(silent)}
        totals = {"inactive": 0, "no_consent": 0}
        while True:  # one transaction per batch, so a big backlog never holds long locks
            async with services.db.transaction() as session:
                swept = await sweep(session, now, months)
            totals["inactive"] += swept.inactive
            totals["no_consent"] += swept.no_consent
            if swept.total == 0:
                return totals

    totals = run(with_services(action))
    if as_json:
        output(totals, True, "Retention")
        return
    verb = "Would erase" if dry_run else "Erased"
    console.print(f"{verb} {totals['inactive']} people inactive for the retention period and "
                  f"{totals['no_consent']} who never consented.")
