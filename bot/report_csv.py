"""The outcome report as a CSV file for Swedish Excel: `;`, decimal comma, UTF-8 with BOM."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.report_labels import group_name, percent, split_name
from messages import Texts
from storage.export_safety import safe_cell

COLUMNS = ("split", "group", "from", "to", "people", "answered", "late", "unanswered", "pending",
           "response_rate", "work", "studies", "share", "chances", "staff_recorded", "masked")
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
