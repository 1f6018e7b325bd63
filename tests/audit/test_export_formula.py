"""The audit CSV export carries no live formula: an actor or object named "=..." stays text."""

from __future__ import annotations

import csv
import io
from typing import Any

from koshiki.audit.export import export_entries
from koshiki.audit.models import AuditEntry
from koshiki.orgs import services


def test_csv_cells_starting_with_formula_characters_are_escaped(iwaki: Any) -> None:
    services.create_department(
        actor=iwaki.kacho.user,
        organization=iwaki.organization,
        code="f1",
        name='=HYPERLINK("https://evil.example/")',
    )
    out = io.StringIO()
    export_entries(out, since=None, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    reprs = [row["object_repr"] for row in rows if "HYPERLINK" in row["object_repr"]]
    assert reprs and all(not r.startswith(("=", "+", "-", "@", "\t", "\r")) for r in reprs)
    assert reprs[0].startswith("'=")


def test_csv_fields_are_all_quoted(iwaki: Any) -> None:
    out = io.StringIO()
    export_entries(out, since=None, fmt="csv")
    first = AuditEntry.objects.order_by("seq").first()
    assert first is not None and out.getvalue().splitlines()[1].startswith(f'"{first.seq}","')
