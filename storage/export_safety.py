"""Exported cells that a spreadsheet cannot run: one escape for every CSV and XLSX writer."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets
# (tab and CR too: some strip them first). OWASP "CSV injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write into an exported cell: text that would start a formula gets a
    leading apostrophe, so it shows as the text it is; numbers, dates and None stay as
    they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: safe_cell(value) for key, value in row.items()}


class SafeDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """csv.DictWriter whose every text cell goes through `safe_cell`."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow(safe_row(rowdict))

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)
