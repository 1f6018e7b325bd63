"""Cells that spreadsheets must never run as formulas, for every CSV and .xlsx the app writes.

OWASP "CSV Injection": a cell starting with = + - @ tab or CR can become a live formula when a user opens
the export in Excel or LibreOffice. Such cells get a leading single quote, every CSV field is quoted, and
.xlsx cells are written as plain string cells. Imports of the app's own exports call ``unescape_cell`` so a
round trip adds no quotes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """``value`` with a leading ' if it is text a spreadsheet could read as a
    formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo ``escape_cell``: drop one leading ' only when a formula character follows it."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeCsvWriter:
    """csv.writer with every field quoted and every formula-like cell escaped."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([escape_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_row(sheet: Any, row: Iterable[Any]) -> list[Any]:
    """Cells for a write-only openpyxl sheet: text escaped and forced to a
    string cell (never data_type 'f')."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in row:
        cell = WriteOnlyCell(sheet, value=escape_cell(value))
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells
