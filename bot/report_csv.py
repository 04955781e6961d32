"""The outcome report as a CSV file for Swedish Excel: `;`, decimal comma, UTF-8 with BOM."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.report_labels import funnel_group_name, group_name, percent, split_name
from messages import Texts
from storage.export_safety import safe_cell

COLUMNS = ("split", "group", "from", "to", "people", "answered", "late", "unanswered", "pending",
           "response_rate", "work", "studies", "share", "chances", "staff_recorded", "masked")
FUNNEL_COLUMNS = ("name", "path", "step", "total", "women", "men", "other", "share_women",
                  "of_previous", "masked")
BOM = "\ufeff"


def outcome_csv(report: dict[str, Any], language: str = "sv") -> str:
    """One line per group and a last line for the total; masked figures are empty. The
    headers state each share's denominator."""
    t = Texts(language)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if language == "sv" else ",", lineterminator="\r\n")
    writer.writerow([t(f"staff.report.csv.{column}") for column in COLUMNS])
    split = split_name(t, report["by"])
    for row in [*report["rows"], report["total"]]:
        name = t("staff.report.total") if row is report["total"] else group_name(
            t, report["by"], row)

        def number(key: str, row: dict[str, Any] = row) -> Any:
            return "" if row[key] is None else row[key]

        writer.writerow([safe_cell(value) for value in (
            split, name, report["cohort"]["from"], report["cohort"]["to"],
            number("people"), number("answered"), number("answered_late"), number("unanswered"),
            number("pending"),
            percent(row["response_rate"], language), number("work"), number("studies"),
            percent(row["work_or_studies_share"], language),
            percent(row["better_chances_share"], language), number("staff_recorded"),
            t("staff.report.csv.yes") if row["masked"] else "")])
    return BOM + out.getvalue()


def funnel_csv(report: dict[str, Any], language: str = "sv") -> str:
    """The funnel as CSV: Swedish by default (';', decimal comma, BOM), names not keys."""
    t = Texts(language)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if language == "sv" else ",", lineterminator="\r\n")
    writer.writerow([t(f"staff.report.funnel.csv.{c}") for c in FUNNEL_COLUMNS])
    for group in [*report["groups"], report["total"]]:
        for path in ("steps", "walk_in"):
            for step in group[path]:
                writer.writerow([safe_cell(v) for v in (
                    funnel_group_name(t, group),
                    t("staff.report.funnel.main" if path == "steps"
                      else "staff.report.funnel.walk_in"),
                    t(f"staff.report.funnel.step.{step['step']}"),
                    *("" if step[k] is None else step[k] for k in ("total", "women", "men",
                                                                   "other")),
                    percent(step["share_women"], language), percent(step["of_previous"], language),
                    t("staff.report.csv.yes") if step["masked"] else "")])
    return BOM + out.getvalue()
