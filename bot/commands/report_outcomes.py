"""`jobbtorg report outcomes`: the share in work or studies three months after avslut."""

from __future__ import annotations

import calendar
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer

from bot.cli import console, fail, output, print_table, run, with_services
from bot.commands.report import report_app
from bot.runtime import Services
from storage.outcome_report import (
    CHANCES_TARGET,
    SPLITS,
    default_cohort,
    outcome_report,
    report_csv,
    year_before,
)

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_bound(text: str, option: str, end: bool) -> date:
    """A day (YYYY-MM-DD) or a month (YYYY-MM: its first day for --from, last for --to)."""
    month = MONTH.match(text)
    try:
        if month:
            year, number = int(month.group(1)), int(month.group(2))
            day = calendar.monthrange(year, number)[1] if end else 1
            return date(year, number, day)
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option} must be a date as YYYY-MM-DD or a month as YYYY-MM "
                   f"(got {text!r})") from None


@report_app.command("outcomes")
def outcomes(
    start_text: str = typer.Option("", "--from", help="First avslut day (YYYY-MM-DD or "
                                   "YYYY-MM); 12 months before --to when left out."),
    end_text: str = typer.Option("", "--to", help="Last avslut day (YYYY-MM-DD or YYYY-MM); "
                                 "SURVEY_DELAY_DAYS before today when left out."),
    by: str = typer.Option("gender", "--by", help="Split by " + ", ".join(SPLITS) + "."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
    png: Path | None = typer.Option(None, "--png", help="Write a bar chart to this PNG file."),
) -> None:
    """Share in work or studies three months after avslut, with answered, unanswered, the
    response rate and the share who say jobbtorg made it easier (target 67 %). Cells under
    five people are masked."""
    if by not in SPLITS:
        raise fail(f"--by must be one of {', '.join(SPLITS)} (got {by!r})")
    if as_json and as_csv:
        raise fail("choose --json or --csv, not both")
    start = parse_bound(start_text, "--from", end=False) if start_text else None
    end = parse_bound(end_text, "--to", end=True) if end_text else None
    if png is not None and png.parent and not png.parent.exists():
        raise fail(f"--png: the folder {png.parent} does not exist")

    async def action(services: Services) -> dict[str, Any]:
        settings = services.settings
        default_start, default_end = default_cohort(services.clock.now(), settings.zone,
                                                    settings.survey_delay_days)
        last = end or default_end
        first = start or (year_before(last) if end else default_start)
        if first > last:
            raise fail(f"--from ({first}) is after --to ({last})")
        async with services.db.transaction() as session:
            return await outcome_report(session, first, last, by)

    report = run(with_services(action))
    if png is not None:
        from bot.charts import outcome_chart  # matplotlib is slow to import: only when asked

        png.write_bytes(outcome_chart(report, CHANCES_TARGET))
        console.print(f"Wrote the chart to {png}.")
    if as_csv:
        sys.stdout.write(report_csv(report))
    elif as_json:
        output(report, True, "Outcomes")
    elif png is None:
        title = (f"Outcomes, avslut {report['cohort']['from']} to {report['cohort']['to']}, "
                 f"by {by}")
        print_table([*report["rows"], report["total"]], title)
