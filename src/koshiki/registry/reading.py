"""Read an uploaded 台帳 (.xlsx or .csv) into rows, refusing hostile files before they cost memory or CPU.

Every limit is checked while reading, not after: the file's size; for .xlsx the archive's members
(core/xlsx_guard.py), the sheet's declared dimension, and its width; for both, rows are counted as they
are read and reading stops at the limit; a CSV record is capped in characters before the csv module
builds it. Field values are checked later, with the web form's validators (io._validate).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.utils.translation import gettext as _

from koshiki.core.errors import InvalidInput
from koshiki.core.spreadsheet import unescape_cell
from koshiki.core.xlsx_guard import check_xlsx_archive

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5_000  # a body's 台帳 has tens to hundreds of accounts; `make bench` imports the largest file
MAX_COLUMNS = 50
MAX_RECORD_CHARS = 32_768  # one CSV row; the form's limits add up to under 3,000 characters
REQUIRED = ("所属コード", "サービス", "アカウント名", "目的")


class Table(list[dict[str, str]]):
    """Rows keyed by the header; ``positions`` gives each header's column number and ``numbers`` each row's
    number in the file (1-based, blank rows skipped), for messages."""

    def __init__(self, rows: Iterable[dict[str, str]] = ()) -> None:
        super().__init__(rows)
        self.positions: dict[str, int] = {}
        self.numbers: list[int] = []


class _RecordTooLong(Exception):
    pass


class _CappedLines:
    """Lines for csv.reader; raises once the current record passes MAX_RECORD_CHARS (reset per record)."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.used = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._lines.readline(MAX_RECORD_CHARS + 1)
        if not line:
            raise StopIteration
        self.used += len(line)
        if self.used > MAX_RECORD_CHARS:
            raise _RecordTooLong
        return line


def _too_many_rows(last: int) -> InvalidInput:
    return InvalidInput(
        _("At most %(n)s rows at a time: the sheet goes on past row %(last)s.")
        % {"n": f"{MAX_ROWS:,}", "last": f"{last:,}"}
    )


def _csv_records(raw: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(_("The CSV file must be UTF-8 or Shift_JIS."))
    lines = _CappedLines(text)
    reader = csv.reader(lines)
    number = 0
    while True:
        number += 1
        lines.used = 0
        try:
            record = next(reader)
        except StopIteration:
            return
        except _RecordTooLong:
            raise InvalidInput(
                _("Row %(row)d is too long (at most %(max)s characters in one row).")
                % {"row": number, "max": f"{MAX_RECORD_CHARS:,}"}
            ) from None
        except csv.Error as exc:
            raise InvalidInput(
                _("Row %(row)d cannot be read: %(error)s") % {"row": number, "error": exc}
            ) from exc
        yield record


def _xlsx_records(raw: bytes) -> Iterator[list[str]]:
    check_xlsx_archive(raw, max_cells=(MAX_ROWS + 1) * MAX_COLUMNS)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvalidInput(_("The Excel file cannot be read: %(error)s") % {"error": exc}) from exc
    try:
        sheet = book.worksheets[0]
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
            raise InvalidInput(
                _(
                    "The sheet declares %(rows)s rows and %(cols)s columns: at most %(max_rows)s rows and %(max_cols)s columns."  # noqa: E501
                )
                % {
                    "rows": f"{rows:,}",
                    "cols": f"{columns:,}",
                    "max_rows": f"{MAX_ROWS + 1:,}",
                    "max_cols": f"{MAX_COLUMNS:,}",
                }
            )
        # max_row/max_col bound openpyxl's filling of missing rows and cells, whatever the file declares
        values = sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True)
        for row in values:
            yield ["" if v is None else str(v) for v in row]
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(_("The Excel file cannot be read: %(error)s") % {"error": exc}) from exc
    finally:
        book.close()


def read_rows(data: BinaryIO, filename: str) -> Table:
    """Rows keyed by the header, from .xlsx or .csv (UTF-8 with or without BOM, or Shift_JIS)."""
    raw = data.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput(_("The file is larger than 10 MB."))
    records = _xlsx_records(raw) if filename.lower().endswith(".xlsx") else _csv_records(raw)
    header: list[str] | None = None
    table = Table()
    for number, record in enumerate(records, start=1):
        if number > MAX_ROWS + 1:
            raise _too_many_rows(MAX_ROWS + 1)
        if len(record) > MAX_COLUMNS and any(c.strip() for c in record[MAX_COLUMNS:]):
            raise InvalidInput(
                _("Row %(row)d has %(n)s columns (at most %(max)d).")
                % {"row": number, "n": f"{len(record):,}", "max": MAX_COLUMNS}
            )
        cells = [unescape_cell(c.strip()) for c in record[:MAX_COLUMNS]]
        if header is None:
            header = cells
            continue
        if any(cells):
            table.append(dict(zip(header, cells, strict=False)))
            table.numbers.append(number)
    if header is None:
        raise InvalidInput(_("The file is empty."))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(_("Missing columns: %(cols)s") % {"cols": "、".join(missing)})
    table.positions = {name: header.index(name) + 1 for name in header if name}
    return table
