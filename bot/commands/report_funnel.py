"""`jobbtorg report funnel`: reached to three-month outcome per source, unit or district, by gender."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from bot.commands.common import console, fail, print_json, run, with_services
from bot.commands.report_outcomes import parse_bound
from bot.report_labels import percent
from bot.services import Services
from messages import Texts
from storage.export_safety import safe_cell
from storage.funnel import GROUPINGS, funnel
from storage.periods import Period

CSV_COLUMNS = ["group", "name", "path", "step", "total", "women", "men", "other", "share_women",
               "of_previous", "masked"]
WOMEN, MEN, OTHER, HIDDEN = "#1f5fa8", "#e0a400", "#bbbbbb", "#dddddd"


def rows_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per group, path and step, the total last."""
    rows = []
    for group in [*report["groups"], report["total"]]:
        for path in ("steps", "walk_in"):
            for step in group[path]:
                rows.append({"group": group["key"], "name": group["name"],
                             "path": "main" if path == "steps" else "walk-in", **step})
    return rows


def _name(t: Texts, group: dict[str, Any]) -> str:
    if group["key"] == "all":
        return t("staff.report.total")
    if group["key"] in ("none", "unknown"):
        return t("staff.report.no_source" if group["key"] == "none" else "staff.report.unknown")
    return str(group["name"])


def funnel_csv_text(report: dict[str, Any], language: str = "sv") -> str:
    """The funnel as CSV: Swedish by default (';', decimal comma, BOM), names not keys."""
    t = Texts(language)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if language == "sv" else ",", lineterminator="\r\n")
    writer.writerow([t(f"staff.report.funnel.csv.{c}") for c in CSV_COLUMNS[1:]])
    for group in [*report["groups"], report["total"]]:
        for path in ("steps", "walk_in"):
            for step in group[path]:
                writer.writerow([safe_cell(v) for v in (
                    _name(t, group),
                    t("staff.report.funnel.main" if path == "steps"
                      else "staff.report.funnel.walk_in"),
                    t(f"staff.report.funnel.step.{step['step']}"),
                    *("" if step[k] is None else step[k] for k in ("total", "women", "men",
                                                                   "other")),
                    percent(step["share_women"], language), percent(step["of_previous"], language),
                    t("staff.report.csv.yes") if step["masked"] else "")])
    return "\ufeff" + out.getvalue()


def show(report: dict[str, Any]) -> None:
    out = Console()
    t = Texts("en")
    for group in [report["total"], *report["groups"]]:
        table = Table(title=_name(t, group) + ("" if group.get("met") is None
                                               else f" (met by staff: {group['met']})"))
        for column in ("step", "total", "women", "men", "other", "women's share", "of previous"):
            table.add_column(column, justify="left" if column == "step" else "right")
        for path in ("steps", "walk_in"):
            for step in group[path]:
                name = step["step"] if path == "steps" else f"walk-in {step['step']}"
                if step["masked"]:
                    table.add_row(name, "hidden", "", "", "", "", "")
                    continue
                table.add_row(name, str(step["total"]), str(step["women"]), str(step["men"]),
                              str(step["other"]), (percent(step["share_women"], "en") or "-"),
                              (percent(step["of_previous"], "en") or "-"))
        out.print(table)


def chart(report: dict[str, Any], language: str = "sv") -> bytes:
    """Bars per step, women, men and the rest stacked; one panel per group of the split
    (the total first). Masked steps are drawn as a grey "hidden" bar."""
    from matplotlib.figure import Figure

    t = Texts(language)
    groups = [report["total"], *report["groups"]]
    columns = 1 if len(groups) == 1 else 3
    lines = -(-len(groups) // columns)
    figure = Figure(figsize=(9 if columns == 1 else 15, 4.2 * lines), dpi=100)
    names = [t(f"staff.report.funnel.step.{s}") for s in report["steps"]]
    for index, group in enumerate(groups):
        axes = figure.add_subplot(lines, columns, index + 1)
        steps = group["steps"]
        women = [s["women"] or 0 for s in steps]
        men = [s["men"] or 0 for s in steps]
        other = [s["other"] or 0 for s in steps]
        axes.bar(names, women, color=WOMEN, label=t("staff.report.gender.kvinna"))
        axes.bar(names, men, bottom=women, color=MEN, label=t("staff.report.gender.man"))
        axes.bar(names, other, bottom=[w + m for w, m in zip(women, men, strict=True)],
                 color=OTHER, label=t("staff.report.gender.other"))
        top = max([s["total"] or 0 for s in steps] + [1])
        for position, step in enumerate(steps):
            if step["masked"]:
                axes.bar(position, top, color=HIDDEN, hatch="//", edgecolor="#999999")
                axes.text(position, top / 2, t("staff.report.hidden"), rotation=90,
                          ha="center", va="center", fontsize=8)
        axes.set_title(_name(t, group), fontsize=10, loc="left")
        axes.set_ylabel(t("staff.report.funnel.people"))
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        if index == 0:
            axes.legend(loc="upper right", fontsize=8)
    period = report.get("period")
    title = t("staff.report.funnel.title")
    if period:
        title += "\n" + t("staff.report.period", start=period["from"], end=period["to"])
    figure.suptitle(title + "\n" + t("staff.report.funnel.denominator"), fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def report_funnel(
    by: str = typer.Option("none", help="source, unit, district or none."),
    start_text: str = typer.Option("", "--from", help="First day of first contact "
                                   "(YYYY-MM-DD or YYYY-MM); everyone when left out."),
    end_text: str = typer.Option("", "--to", help="Last day of first contact (YYYY-MM-DD or "
                                 "YYYY-MM)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV for Excel (Swedish: ';', "
                                "decimal comma, UTF-8 with BOM)."),
    language: str = typer.Option("sv", "--lang", help="Language of the CSV and chart: sv or en."),
    png: Path | None = typer.Option(None, "--png", help="Also draw the funnel (one panel per "
                                    "group of --by) to this file."),
) -> None:
    """Reached -> consented -> booked -> attended -> enrolled -> avslut -> three-month outcome,
    split by gender with women's share at every step. A person counts at a step only if
    they passed every step before it (the denominator of "of previous" is the step
    before); people enrolled without a booked visit are a path of their own."""
    if by not in GROUPINGS:
        raise fail(f"--by must be one of {', '.join(GROUPINGS)}")
    if as_json and as_csv:
        raise fail("choose one of --json and --csv")
    if language not in ("sv", "en"):
        raise fail(f"--lang must be sv or en (got {language!r})")
    if bool(start_text) != bool(end_text):
        raise fail("give both --from and --to, or neither")
    period = None
    if start_text:
        period = Period(parse_bound(start_text, "--from", end=False),
                        parse_bound(end_text, "--to", end=True))
        if period.start > period.end:
            raise fail(f"--from ({period.start}) is after --to ({period.end})")

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            return await funnel(session, by, period, services.settings.zone)

    report = run(with_services(action))
    if png is not None:
        try:
            png.write_bytes(chart(report, language))
        except OSError as exc:
            raise fail(f"--png {png}: {exc.strerror}") from None
        console.print(f"Wrote {png}.")
    if as_json:
        print_json(report)
    elif as_csv:
        sys.stdout.buffer.write(funnel_csv_text(report, language).encode("utf-8"))
    else:
        show(report)
