"""The outcome report as the city's XLSX workbook: one sheet per split, Kvinnor/Män/Totalt.

Each sheet states the indicator, the period, the denominator and the target; each group
is a block of rows (avslutade, svarat, ej svarat (än), svarsfrekvens, i arbete, i studier,
andel, ökade chanser) in columns Kvinnor, Män, Annat eller ej angivet (so the three add up
to Totalt) and Totalt, with the previous period's total and the target beside it. Masked
figures are "–". Text cells go through `safe_cell`, so a name starting with "=" is shown,
never run.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from bot.report_labels import group_name, pending_sentence, sheet_title, split_name, split_note
from messages import Texts
from storage.export_safety import safe_cell
from storage.outcome_report import CHANCES_TARGET, GENDER_COLUMNS

HIDDEN = "–"
BLOCK = (("people", "count"), ("answered", "count"), ("answered_late", "count"),
         ("unanswered", "count"), ("response_rate", "share"),
         ("work", "count"), ("studies", "count"), ("work_or_studies_share", "share"),
         ("better_chances_answered", "count"), ("better_chances_share", "share"),
         ("unique_people", "count"))
ROW_LABEL = {"people": "people", "answered": "answered", "answered_late": "late",
             "unanswered": "unanswered", "response_rate": "response_rate",
             "work": "work", "studies": "studies", "work_or_studies_share": "share",
             "better_chances_answered": "chances_answered", "better_chances_share": "chances",
             "unique_people": "unique"}


WIDTHS = {"A": 44, "B": 12, "C": 12, "D": 14, "E": 12, "F": 18, "G": 10}
NOTE_CHARACTERS = 105  # about what one line of the merged A:F holds
RIGHT = Alignment(horizontal="right")
NOTHING = {"masked": False}  # a group nobody was in during the previous period


def _value(cell: dict[str, Any] | None, key: str, kind: str) -> Any:
    if cell is None:
        return None
    if cell.get("masked"):
        return HIDDEN
    value = cell.get(key, 0 if cell is NOTHING and kind == "count" else None)
    if value is None:
        return None
    return round(value * 100, 1) if kind == "share" else value


def _write(sheet: Worksheet, row: int, values: list[Any], bold: bool = False,
           share: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=safe_cell(value))
        if bold:
            cell.font = Font(bold=True)
        if share and isinstance(value, float | int):
            cell.number_format = "0.0"
        if column > 1 and value == HIDDEN:
            cell.alignment = RIGHT  # in line with the figures above and below


def _note(sheet: Worksheet, row: int, text: str, bold: bool = False) -> None:
    """A line of text across the table's width, wrapped, its row as tall as it needs."""
    _write(sheet, row, [text], bold=bold)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
    sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    lines = -(-len(text) // NOTE_CHARACTERS)
    if lines > 1:
        sheet.row_dimensions[row].height = 15 * lines


def _sheet(book: Workbook, t: Texts, report: dict[str, Any],
           previous: dict[str, Any] | None, target: float | None, title: str,
           total_only: bool) -> None:
    targets = {"work_or_studies_share": target, "better_chances_share": CHANCES_TARGET}
    sheet = book.create_sheet(sheet_title(title))
    cohort = report["cohort"]
    notes = [t("staff.report.period", start=cohort["from"], end=cohort["to"])]
    if previous is not None:
        notes.append(t("staff.report.previous_period", start=previous["cohort"]["from"],
                       end=previous["cohort"]["to"]))
    notes += [t("staff.report.split", split=title), t("staff.report.denominator")]
    notes.append(t("staff.report.no_target") if target is None
                 else t("staff.report.target", target=f"{target * 100:.0f} %"))
    notes.append(t("staff.report.chances_target", target=f"{CHANCES_TARGET * 100:.0f} %"))
    notes += [t("staff.report.masking"), pending_sentence(t, report["total"])]
    if split_note(t, report["by"]) and not total_only:
        notes.append(split_note(t, report["by"]))
    _note(sheet, 1, t("staff.report.indicator"), bold=True)
    for line, text in enumerate(notes, start=2):
        _note(sheet, line, text)
    line = len(notes) + 3
    _write(sheet, line, [t("staff.report.col.group"), t("staff.report.col.kvinna"),
                         t("staff.report.col.man"), t("staff.report.col.other"),
                         t("staff.report.col.total"),
                         t("staff.report.col.previous"), t("staff.report.col.target")], bold=True)
    for cell in sheet[line][1:]:
        cell.alignment = Alignment(horizontal="right", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=line + 1, column=2)  # headers and names stay in view
    line_of_headers = line
    before = {r["group"]: r for r in (previous or {}).get("rows", [])}
    blocks = [] if total_only else [
        (group_name(t, report["by"], row), row,
         before.get(row["group"], NOTHING) if previous is not None else None)
        for row in report["rows"]]
    blocks.append((t("staff.report.total"), report["total"],
                   previous["total"] if previous else None))
    for name, row, earlier in blocks:
        line += 1
        _write(sheet, line, [name], bold=True)
        genders = row.get("genders") or {}
        for key, kind in BLOCK:
            line += 1
            values: list[Any] = [t(f"staff.report.row.{ROW_LABEL[key]}")]
            values += [_value(genders.get(g), key, kind) for g in GENDER_COLUMNS]
            values += [_value(row, key, kind), _value(earlier, key, kind)]
            if targets.get(key) is not None:
                values.append(round(targets[key] * 100, 1))  # type: ignore[operator]
            _write(sheet, line, values, share=kind == "share")
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = "landscape"  # printed or made a PDF: one page wide
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{line_of_headers}:{line_of_headers}"


def outcome_workbook(reports: dict[str, dict[str, Any]],
                     previous: dict[str, dict[str, Any]] | None, target: float | None,
                     created: datetime, language: str = "sv") -> bytes:
    """The workbook: a "Totalt" sheet, then one per split in `reports` (by -> report)."""
    t = Texts(language)
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    first = next(iter(reports.values()))
    _sheet(book, t, first, (previous or {}).get(first["by"]), target,
           t("staff.report.sheet.total"), total_only=True)
    for by, report in reports.items():
        if by == "gender":
            continue  # the Totalt sheet has Kvinnor and Män
        _sheet(book, t, report, (previous or {}).get(by), target, split_name(t, by),
               total_only=False)
    moment = created.astimezone(UTC).replace(tzinfo=None)  # openpyxl writes naive UTC
    book.properties.created = moment
    book.properties.modified = moment
    book.properties.creator = "jobbtorg"
    buffer = io.BytesIO()
    # Workbook.save() stamps "modified" with the real clock; the writer itself does not.
    ExcelWriter(book, ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()
