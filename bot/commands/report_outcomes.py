"""`jobbtorg report outcomes`: the share in work or studies three months after avslut."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich import box
from rich.table import Table

from bot.charts import outcome_chart
from bot.commands.common import console, fail, output, run, wide_console, with_services
from bot.commands.options import BOUND_EXAMPLES, read_language, read_period, read_split
from bot.report_csv import outcome_csv
from bot.report_labels import group_name, pending_sentence, percent, split_name, split_note
from bot.services import Services
from messages import Texts
from storage.outcome_report import (
    CHANCES_TARGET,
    SPLITS,
    outcome_reports,
    year_before,
)
from storage.periods import Period, cohort_year, default_period, previous


def _writable(path: Path | None, option: str) -> None:
    if path is not None and path.parent and not path.parent.exists():
        raise fail(f"{option}: the folder {path.parent} does not exist")


def outcomes(
    start_text: str = typer.Option("", "--from", help="First avslut day, or a month (its "
                                   "first day): " + BOUND_EXAMPLES + "; 12 months before "
                                   "--to when left out. With no dates: the latest "
                                   "reporting year (September-August) whose three-month "
                                   "surveys have all had time, as on the dashboard."),
    end_text: str = typer.Option("", "--to", help="Last avslut day, or a month (its last "
                                 "day), written as for --from; today or earlier."),
    year: int | None = typer.Option(None, "--cohort-year", help="The city's reporting year "
                                    "that starts in this year: --cohort-year 2025 is "
                                    "2025-09-01 to 2026-08-31."),
    by: str = typer.Option("gender", "--by", help="Split by " + ", ".join(SPLITS) + " (or "
                           "the column's name: Kön, Ålder, Stadsdel, Målgrupp ...). Each is "
                           "a partition of the people, except group (target "
                           "groups), where a person may be in several."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV for Excel (Swedish: ';', "
                                "decimal comma, UTF-8 with BOM)."),
    language: str = typer.Option("sv", "--lang", help="Language of the table, CSV, XLSX and "
                                 "chart: sv (svenska) or en (English)."),
    png: Path | None = typer.Option(None, "--png", help="Write a bar chart to this PNG file."),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="Write the city's workbook (one "
                                     "sheet per split) to this file."),
) -> None:
    """Share in work or studies three months after avslut: (in work + in studies) divided
    by those who answered the survey (the denominator), with answered, not answered (yet:
    open surveys included), the response rate (svarsfrekvens = answered / avslutade, all
    who ended) and the share who say jobbtorg made it easier (target 67 %). A row with
    any figure of 1-4 is masked, and more rows or figures where needed so no masked
    figure can be worked out; 0 is never masked."""
    by = read_split(by, SPLITS)
    if as_json and as_csv:
        raise fail("choose --json or --csv, not both")
    language = read_language(language)
    if year is not None and (start_text or end_text):
        raise fail("choose --cohort-year or --from/--to, not both")
    _writable(png, "--png")
    _writable(xlsx, "--xlsx")

    async def action(services: Services) -> tuple[dict[str, Any], bytes | None]:
        settings = services.settings
        today = services.clock.now().astimezone(settings.zone).date()
        start, end = read_period(start_text, end_text, today)  # the bot's today, not the host's
        if year is not None:
            start, end = cohort_year(year).start, cohort_year(year).end
        default = default_period(today, settings.survey_delay_days)
        default_start, default_end = default.start, default.end
        last = end or default_end
        first = start or (year_before(last) if end else default_start)
        if first > last:
            raise fail(f"--from ({first}) is after the latest reporting year's end ({last}), "
                       "taken when --to is left out; give --to")
        async with services.db.transaction() as session:
            splits = SPLITS if xlsx is not None else (by,)
            reports = await outcome_reports(session, first, last, splits)
            workbook = None
            if xlsx is not None:
                from bot.report_xlsx import outcome_workbook  # openpyxl: only when asked

                earlier = previous_period(first, last)
                before = await outcome_reports(session, earlier[0], earlier[1], SPLITS)
                target = settings.outcome_target
                workbook = outcome_workbook(reports, before, None if target is None
                                            else target / 100, services.clock.now(), language)
        return reports[by], workbook

    report, workbook = run(with_services(action))
    if xlsx is not None and workbook is not None:
        xlsx.write_bytes(workbook)
        console.print(f"Wrote the workbook to {xlsx}.")
    if png is not None:

        png.write_bytes(outcome_chart(report, CHANCES_TARGET, language))
        console.print(f"Wrote the chart to {png}.")
    if as_csv:
        sys.stdout.buffer.write(outcome_csv(report, language).encode("utf-8"))
    elif as_json:
        output(report, True, "Outcomes")
    elif png is None and xlsx is None:
        show(report, language)


def show(report: dict[str, Any], language: str) -> None:
    """The report as a terminal table: names, not keys; masked rows said to be hidden;
    the denominator and the masking rule under it."""
    t = Texts(language)
    caption = t("staff.web.outcomes.caption", start=report["cohort"]["from"],
                end=report["cohort"]["to"])
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False,
                  title=f"{caption} · {split_name(t, report['by'])}")
    rows = [*report["rows"], report["total"]]
    names = [t("staff.report.total") if row is report["total"] else group_name(
        t, report["by"], row) for row in rows]
    table.add_column(split_name(t, report["by"]), min_width=min(30, max(map(len, names))),
                     overflow="fold")  # a name whole, never cut
    for key in SHOWN:
        header = t(f"staff.report.cli.{key}" if key == "chances" else
                   f"staff.web.outcomes.{key}", target=f"{CHANCES_TARGET * 100:.0f}")
        table.add_column(header + (" (%)" if key in ("response_rate", "share") else ""),
                         justify="right", overflow="fold")
    for name, row in zip(names, rows, strict=True):
        if row["masked"]:
            table.add_row(name, *[HIDDEN] * len(SHOWN))
            continue
        table.add_row(name, *(_shown(row, key, language) for key in SHOWN))
    out = wide_console(table)  # into a file or a pipe: as wide as the table, nothing cut
    out.print(table)
    out.print(t("staff.report.denominator"), t("staff.report.masking"),
              pending_sentence(t, report["total"]), split_note(t, report["by"]))


HIDDEN = "–"  # as in the CSV's empty cells and the workbook
SHOWN = ("people", "answered", "unanswered", "response_rate", "work", "studies", "share", "chances")
FIELD_OF = {"share": "work_or_studies_share", "chances": "better_chances_share"}


def _shown(row: dict[str, Any], key: str, language: str) -> str:
    value = row[FIELD_OF.get(key, key)]
    if value is None:
        return HIDDEN
    return percent(value, language) if isinstance(value, float) else str(value)


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The same dates a year earlier."""
    earlier = previous(Period(first, last))
    return earlier.start, earlier.end
