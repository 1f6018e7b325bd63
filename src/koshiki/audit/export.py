"""Export the trail as JSON Lines or CSV for auditors (CSV cells escaped so none is a live formula)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TextIO

from django.utils import timezone

from koshiki.core.spreadsheet import SafeCsvWriter

from .catalog import label_ja
from .models import AuditEntry

COLUMNS = (
    "seq",
    "created_at",
    "action",
    "label_ja",
    "organization_code",
    "actor_name",
    "object_type",
    "object_id",
    "object_repr",
    "clause",
    "before",
    "after",
    "request_id",
    "chain",
    "chain_seq",
    "prev_hash",
    "entry_hash",
)


def export_entries(
    out: TextIO, *, since: dt.date | None, fmt: str, organization_code: str | None = None
) -> int:
    entries = AuditEntry.objects.order_by("seq")
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
        entries = entries.filter(created_at__gte=start)
    if organization_code:
        entries = entries.filter(organization_code=organization_code)
    writer = SafeCsvWriter(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(COLUMNS)
    count = 0
    for entry in entries.iterator(chunk_size=2000):
        row = {
            name: label_ja(entry.action) if name == "label_ja" else getattr(entry, name) for name in COLUMNS
        }
        row["created_at"] = entry.created_at.isoformat()
        if writer is not None:
            writer.writerow(
                [
                    json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                    for v in row.values()
                ]
            )
        else:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count
