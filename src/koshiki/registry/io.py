"""The 台帳 as a spreadsheet: export to .xlsx or .csv, and import with every row checked first.

Import is all or nothing: one bad row and nothing is imported, with every row's errors listed by
row number, because municipalities keep their 台帳 in Excel and fix it there. The export's 台帳ID column
makes it round-trip: a row with a 台帳ID updates that account (io_plan previews the differences,
io_apply applies them); a row without one is a new account.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction

from koshiki.core.spreadsheet import SafeCsvWriter, xlsx_row
from koshiki.orgs.models import Organization
from koshiki.orgs.permissions import require_manage_org

from .io_apply import AlreadyApplied, ImportReport, StalePreview, apply_plan, apply_upload, preview_upload
from .io_plan import COLUMNS, ImportPlan, plan_import
from .models import OfficialAccount
from .reading import MAX_ROWS, Table, read_rows

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "AlreadyApplied",
    "ImportPlan",
    "ImportReport",
    "StalePreview",
    "Table",
    "apply_upload",
    "export_csv",
    "export_xlsx",
    "import_rows",
    "preview_upload",
    "read_rows",
]


def _labels(field: str) -> dict[str, str]:
    """A choice field's labels, translated once: get_FOO_display translates every choice on each call."""
    choices = OfficialAccount._meta.get_field(field).flatchoices  # type: ignore[union-attr]
    return {str(value): str(label) for value, label in choices}


def export_rows(accounts: Iterable[OfficialAccount]) -> Iterator[list[str]]:
    yield COLUMNS
    platforms, states = _labels("platform"), _labels("state")
    for a in accounts:
        yield [
            a.department.code,
            a.department.name,
            platforms.get(a.platform, a.platform),
            a.account_name,
            a.handle,
            a.url,
            a.purpose,
            a.audience,
            a.operating_hours,
            a.reply_policy,
            states.get(a.state, a.state),
            str(a.pk),
        ]


def export_csv(accounts: Iterable[OfficialAccount]) -> bytes:
    out = io.StringIO()
    SafeCsvWriter(out).writerows(export_rows(accounts))
    return out.getvalue().encode("utf-8-sig")  # with BOM, so Excel opens it as UTF-8


def export_xlsx(accounts: Iterable[OfficialAccount]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("公式アカウント台帳")
    for row in export_rows(accounts):
        sheet.append(xlsx_row(sheet, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_rows(
    *, actor: Any, organization: Organization, rows: list[dict[str, str]], source: str
) -> ImportReport:
    """Existing accounts from the body's own 台帳: live already, so they enter as 運用中 (or 停止).

    ``actor`` None is the system itself (the CLI, run by whoever operates the server)."""
    if actor is not None:
        require_manage_org(actor, organization)
    with transaction.atomic():
        plan = plan_import(rows, organization, lock=True)
        plan.source = source
        return apply_plan(actor=actor, organization=organization, plan=plan)
