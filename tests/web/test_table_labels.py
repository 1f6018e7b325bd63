"""Every table that turns into cards at phone width (``table.table``, ``table.cards``) labels its cells:
the card shows each cell's ``data-label`` (its column header) through CSS, so a cell without one is a value
with no name on a phone (issue #13 item 9). Action columns with an empty header need no label."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "koshiki" / "web" / "templates" / "koshiki"
TABLE = re.compile(r'<table class="(?:table|cards)"[^>]*>.*?</table>', re.S)
HEADER = re.compile(r"<th(?:\s[^>]*)?>(.*?)</th>", re.S)
ROW = re.compile(r"<tr\b.*?</tr>", re.S)
CELL = re.compile(r"<td(?=[\s>{])([^>]*)>")


def unlabelled_cells() -> list[str]:
    missing = []
    for path in sorted(TEMPLATES.glob("*.html")):
        for table in TABLE.findall(path.read_text(encoding="utf-8")):
            head, _, body = table.rpartition("</thead>")
            headers = [h.strip() for h in HEADER.findall(head)]
            for row in ROW.findall(body):
                for column, attrs in enumerate(CELL.findall(row)):
                    header_empty = bool(headers) and column < len(headers) and not headers[column]
                    if "colspan" in attrs or "data-label" in attrs or header_empty:
                        continue
                    missing.append(f"{path.name}: column {column + 1} of {row[:60]!r}")
    return missing


def test_every_card_table_cell_has_a_data_label() -> None:
    assert unlabelled_cells() == []
