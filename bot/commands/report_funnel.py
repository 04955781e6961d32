"""`jobbtorg report funnel`: reached to three-month outcome per source, unit or district, by gender."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from bot.charts import funnel_chart
from bot.commands.common import console, fail, print_json, run, wide_console, with_services
from bot.commands.options import BOUND_EXAMPLES, read_language, read_period, read_split
from bot.report_csv import funnel_csv
from bot.report_labels import funnel_group_name, percent
from bot.services import Services
from messages import Texts
from storage.funnel import GROUPINGS, funnel
from storage.periods import Period


def show(report: dict[str, Any], language: str = "sv") -> None:
    """The funnel as terminal tables, in the chosen language, hidden steps said to be."""
    t = Texts(language)
    tables = []
    for group in [report["total"], *report["groups"]]:
        met = group.get("met")
        table = Table(title=funnel_group_name(t, group) + (
            "" if met is None else f" ({t('staff.report.funnel.met')}: {met})"))
        for index, key in enumerate(("step", "total", "share_women", "of_previous")):
            table.add_column(t(f"staff.web.funnel.{key}"), justify="left" if index == 0
                             else "right", no_wrap=True)
            if key == "total":
                for column in ("staff.web.gender.kvinna", "staff.web.gender.man",
                               "staff.web.funnel.other"):
                    table.add_column(t(column), justify="right", no_wrap=True)
        for path in ("steps", "walk_in"):
            if path == "walk_in":
                table.add_row(t("staff.report.funnel.walk_in"))
            for step in group[path]:
                name = t(f"staff.report.funnel.step.{step['step']}")
                if step["masked"]:
                    table.add_row(name, t("staff.report.hidden_row"), "", "", "", "", "")
                    continue
                table.add_row(name, str(step["total"]), str(step["women"]), str(step["men"]),
                              str(step["other"]), (percent(step["share_women"], language)
                                                   or "–"),
                              (percent(step["of_previous"], language) or "–"))
        tables.append(table)
    out = wide_console(*tables)
    for table in tables:
        out.print(table)
    out.print(t("staff.report.funnel.denominator"), t("staff.report.masking"))


# "No split" as staff say it.
NO_SPLIT = {"ingen": "none", "inget": "none", "alla": "none", "all": "none", "total": "none",
            "totalt": "none"}


def report_funnel(
    by: str = typer.Option("none", help="source, unit, district or none (or Källa, "
                           "Jobbtorg, Stadsdel, ingen)."),
    start_text: str = typer.Option("", "--from", help="First day of first contact, or a "
                                   "month (its first day): " + BOUND_EXAMPLES + "; everyone "
                                   "when left out."),
    end_text: str = typer.Option("", "--to", help="Last day of first contact, or a month "
                                 "(its last day), written as for --from; today or earlier."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV for Excel (Swedish: ';', "
                                "decimal comma, UTF-8 with BOM)."),
    language: str = typer.Option("sv", "--lang", help="Language of the table, CSV and chart: "
                                 "sv (svenska) or en (English)."),
    png: Path | None = typer.Option(None, "--png", help="Also draw the funnel (one panel per "
                                    "group of --by) to this file."),
) -> None:
    """Reached -> consented -> booked -> attended -> enrolled -> avslut -> three-month outcome,
    split by gender (women, men, and another gender or not given) with women's share at
    every step: women divided by everyone at the step, the third group included. A person
    counts at a step only if they passed every step before it (the denominator of "of
    previous" is the step before); people enrolled without a booked visit are a path of
    their own."""
    by = read_split(by, GROUPINGS, also=NO_SPLIT)
    if as_json and as_csv:
        raise fail("choose one of --json and --csv")
    language = read_language(language)
    if bool(start_text) != bool(end_text):
        raise fail("give both --from and --to, or neither")

    async def action(services: Services) -> dict[str, Any]:
        today = services.clock.now().astimezone(services.settings.zone).date()
        first, last = read_period(start_text, end_text, today)
        period = None if first is None or last is None else Period(first, last)
        async with services.db.transaction() as session:
            return await funnel(session, by, period, services.settings.zone)

    report = run(with_services(action))
    if png is not None:

        try:
            png.write_bytes(funnel_chart(report, language))
        except OSError as exc:
            raise fail(f"--png {png}: {exc.strerror}") from None
        console.print(f"Wrote {png}.")
    if as_json:
        print_json(report)
    elif as_csv:
        sys.stdout.buffer.write(funnel_csv(report, language).encode("utf-8"))
    else:
        show(report, language)
