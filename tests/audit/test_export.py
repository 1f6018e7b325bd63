from __future__ import annotations

import csv
import io
import json
from typing import Any

from koshiki.audit.export import export_entries
from koshiki.audit.models import AuditEntry


def test_jsonl_has_one_line_per_entry(iwaki: Any) -> None:
    out = io.StringIO()
    count = export_entries(out, since=None, fmt="jsonl")
    lines = out.getvalue().splitlines()
    assert count == len(lines) == AuditEntry.objects.count()
    first = json.loads(lines[0])
    assert first["seq"] == AuditEntry.objects.order_by("seq").values_list("seq", flat=True).first()
    # Issue #12: the chain and the position in it, with the hashes, let an auditor re-verify an export.
    assert first["chain"].startswith("org-") and first["chain_seq"] == 1


def test_csv_keeps_japanese_and_hashes(iwaki: Any) -> None:
    out = io.StringIO()
    export_entries(out, since=None, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert any("いわき市" in row["object_repr"] for row in rows)
    assert all(len(row["entry_hash"]) == 64 for row in rows)


def test_since_excludes_older_entries(iwaki: Any) -> None:
    import datetime as dt

    out = io.StringIO()
    assert export_entries(out, since=dt.date(2999, 1, 1), fmt="jsonl") == 0


def test_org_filter_leaves_out_other_bodies(iwaki: Any, shinshiro: Any) -> None:
    out = io.StringIO()
    export_entries(out, since=None, fmt="jsonl", organization_code="232211")
    codes = {json.loads(line)["organization_code"] for line in out.getvalue().splitlines()}
    assert codes == {"232211"}


def test_csv_and_jsonl_carry_the_japanese_label_beside_the_code(iwaki: Any) -> None:
    out = io.StringIO()
    export_entries(out, since=None, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    created = next(row for row in rows if row["action"] == "orgs.organization.created")
    assert created["label_ja"] == "団体の登録"
    assert len(created["entry_hash"]) == 64  # the columns still line up after the new one
    out = io.StringIO()
    export_entries(out, since=None, fmt="jsonl")
    first = json.loads(out.getvalue().splitlines()[0])
    assert first["action"] == "orgs.organization.created" and first["label_ja"] == "団体の登録"
