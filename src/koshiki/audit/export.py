"""Export the trail as JSON Lines or CSV for auditors (CSV cells escaped so none is a live formula)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.core.spreadsheet import SafeCsvWriter

from .catalog import label_ja
from .models import AuditEntry
from .retention import reveal_entries

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


CHUNK = 500


def _csv_line(row: list[Any]) -> str:
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerow(row)
    return buffer.getvalue()


def csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """The CSV of ``entries`` (oldest first) line by line, for a streamed download: a BOM so spreadsheet
    programs read UTF-8, the CLI's columns, free texts shown as the log page shows them (or the shredded
    mark), every cell formula-safe. One query per CHUNK entries for their kept texts, none per row."""
    yield "\ufeff" + _csv_line(list(COLUMNS))
    chunk: list[AuditEntry] = []
    for entry in entries.order_by("seq").iterator(chunk_size=2000):
        chunk.append(entry)
        if len(chunk) == CHUNK:
            yield from _chunk_lines(chunk)
            chunk = []
    if chunk:
        yield from _chunk_lines(chunk)


def _chunk_lines(chunk: list[AuditEntry]) -> Iterator[str]:
    for entry in reveal_entries(chunk):
        values: dict[str, Any] = {name: getattr(entry, name, "") for name in COLUMNS if name != "label_ja"}
        values["label_ja"] = label_ja(entry.action)
        values["created_at"] = timezone.localtime(entry.created_at).isoformat()
        values["before"] = entry.shown_before  # type: ignore[attr-defined]
        values["after"] = entry.shown_after  # type: ignore[attr-defined]
        yield _csv_line(
            [
                json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (dict, list)) else v
                for v in (values[name] for name in COLUMNS)
            ]
        )


def export_for_reader(
    *, actor: Any, organization: Any, entries: QuerySet[AuditEntry], filters: dict[str, str]
) -> Iterator[str]:
    """The browser's export (issue #13): only ``organization``'s entries, only for someone who may read its
    audit log, up to the last entry at the time of asking (a bounded snapshot however long the download
    takes), recorded as ``audit.log.exported`` with its filters before the first byte is sent."""
    from koshiki.core.errors import NotPermitted
    from koshiki.orgs.permissions import can_read_audit

    from .services import log_action

    if not can_read_audit(actor, organization):
        raise NotPermitted(_("You may not read this organization's audit log."))
    own = entries.filter(organization_id=organization.pk)
    with transaction.atomic():
        up_to = own.aggregate(last=Max("seq"))["last"] or 0
        log_action(
            "audit.log.exported",
            actor=actor,
            organization=organization,
            after={"filters": filters, "format": "csv", "up_to_seq": up_to},
        )
    return csv_lines(own.filter(seq__lte=up_to))
