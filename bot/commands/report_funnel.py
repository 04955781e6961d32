"""`jobbtorg report funnel`: reached to three-month outcome per source, unit or district, by gender."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from bot.cli import console, fail, print_json, run, with_services
from bot.commands.report import report_app
from bot.runtime import Services
from storage.export_safety import SafeDictWriter
from storage.funnel import GROUPINGS, funnel

CSV_COLUMNS = ["group", "name", "step", "total", "women", "men", "other", "share_women",
               "of_previous"]


def rows_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per group and step, the total last."""
    rows = []
    for group in [*report["groups"], report["total"]]:
        for step in group["steps"]:
            rows.append({"group": group["key"], "name": group["name"], **step})
    return rows


def percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f} %"


def show(report: dict[str, Any]) -> None:
    out = Console()
    for group in [*report["groups"], report["total"]]:
        table = Table(title=f"{group['name']} ({group['key']})" if report["by"] != "none"
                      or group["key"] != "all" else "Funnel, everyone")
        for column in ("step", "total", "women", "men", "other", "women's share", "of previous"):
            table.add_column(column, justify="left" if column == "step" else "right")
        for step in group["steps"]:
            table.add_row(step["step"], str(step["total"]), str(step["women"]), str(step["men"]),
                          str(step["other"]), percent(step["share_women"]),
                          percent(step["of_previous"]))
        out.print(table)


def chart(report: dict[str, Any]) -> bytes:
    """Bars per step for everyone, with women's share at each step as a line."""
    from matplotlib.figure import Figure

    steps = report["total"]["steps"]
    figure = Figure(figsize=(9, 4.5), dpi=110)
    axes = figure.add_subplot()
    names = [s["step"] for s in steps]
    axes.bar(names, [s["women"] for s in steps], color="#1f5fa8", label="women")
    axes.bar(names, [s["men"] for s in steps], bottom=[s["women"] for s in steps],
             color="#e0a400", label="men")
    axes.bar(names, [s["other"] for s in steps],
             bottom=[s["women"] + s["men"] for s in steps], color="#bbbbbb", label="other")
    axes.set_ylabel("people")
    share = axes.twinx()
    share.plot(names, [(s["share_women"] or 0) * 100 for s in steps], color="#b3001b",
               marker="o", label="women's share")
    share.set_ylim(0, 100)
    share.set_ylabel("women's share (%)")
    axes.legend(loc="upper right")
    axes.set_title("Outreach funnel")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


@report_app.command("funnel")
def report_funnel(
    by: str = typer.Option("none", help="source, unit, district or none."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV, one row per group and step."),
    png: Path | None = typer.Option(None, "--png", help="Also draw the total funnel to this file."),
) -> None:
    """Reached -> consented -> booked -> attended -> enrolled -> avslut -> three-month outcome,
    split by gender with women's share at every step."""
    if by not in GROUPINGS:
        raise fail(f"--by must be one of {', '.join(GROUPINGS)}")
    if as_json and as_csv:
        raise fail("choose one of --json and --csv")

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            return await funnel(session, by)

    report = run(with_services(action))
    if png is not None:
        try:
            png.write_bytes(chart(report))
        except OSError as exc:
            raise fail(f"--png {png}: {exc.strerror}") from None
        console.print(f"Wrote {png}.")
    if as_json:
        print_json(report)
    elif as_csv:
        writer = SafeDictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows_of(report))
    else:
        show(report)
