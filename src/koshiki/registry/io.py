"""The 台帳 as a spreadsheet: export to .xlsx or .csv, and import with every row checked first.

Import is all or nothing: one bad row and nothing is imported, with every row's errors listed by
row number, because municipalities keep their 台帳 in Excel and fix it there.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_actions
from koshiki.core.spreadsheet import SafeCsvWriter, xlsx_row
from koshiki.orgs.models import Department, Organization
from koshiki.orgs.permissions import require_manage_org
from koshiki.orgs.profiles import profile_for

from .fields import IMPORT_FIELDS, account_formfield
from .lifecycle import AccountState
from .models import OfficialAccount, Platform
from .reading import MAX_ROWS, Table, read_rows
from .roles import holders

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "ImportReport",
    "Table",
    "export_csv",
    "export_xlsx",
    "import_rows",
    "read_rows",
]

COLUMNS = [
    "所属コード",
    "所属",
    "サービス",
    "アカウント名",
    "ID",
    "URL",
    "目的",
    "対象者",
    "運用時間",
    "返信の方針",
    "状態",
]
_PLATFORMS = {
    **{p.value: p.value for p in Platform},
    **{str(p.label).lower(): p.value for p in Platform},
    "twitter": "x",
    "ツイッター": "x",
    "フェイスブック": "facebook",
    "インスタグラム": "instagram",
    "ユーチューブ": "youtube",
    "ライン": "line",
    "ブルースカイ": "bluesky",
    "ブログ": "blog",
    "その他": "other",
}
_IMPORT_STATES = {
    "運用中": AccountState.ACTIVE,
    "停止": AccountState.SUSPENDED,
    "active": AccountState.ACTIVE,
    "suspended": AccountState.SUSPENDED,
    "": AccountState.ACTIVE,
}


def export_rows(accounts: Iterable[OfficialAccount]) -> Iterator[list[str]]:
    yield COLUMNS
    for a in accounts:
        yield [
            a.department.code,
            a.department.name,
            a.get_platform_display(),
            a.account_name,
            a.handle,
            a.url,
            a.purpose,
            a.audience,
            a.operating_hours,
            a.reply_policy,
            str(a.get_state_display()),
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


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def _field_problems(
    row: dict[str, str], positions: dict[str, int], fields: dict[str, forms.Field]
) -> list[str]:
    """What the web form would say about each text column, with the column's number and name."""
    problems = []
    for column, name in IMPORT_FIELDS.items():
        value = row.get(column, "")
        if not value:
            continue
        try:
            fields[name].clean(value)
        except ValidationError as error:
            problems.append(
                _("column %(number)s “%(column)s”: %(error)s")
                % {"number": positions.get(column, "?"), "column": column, "error": " ".join(error.messages)}
            )
    return problems


@dataclass
class ImportReport:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _validate(
    rows: list[dict[str, str]], organization: Organization
) -> tuple[list[OfficialAccount], list[tuple[int, str]]]:
    departments = {d.code: d for d in Department.objects.filter(organization=organization)}
    taken = set(
        OfficialAccount.objects.filter(organization=organization)
        .exclude(handle="")
        .values_list("platform", "handle")
    )
    seen: set[tuple[str, str]] = set()
    accounts: list[OfficialAccount] = []
    errors: list[tuple[int, str]] = []
    positions = getattr(rows, "positions", None) or {name: i + 1 for i, name in enumerate(COLUMNS)}
    numbers = getattr(rows, "numbers", None) or range(2, len(rows) + 2)  # row 1 is the header
    fields = {name: account_formfield(name) for name in IMPORT_FIELDS.values()}
    for number, row in zip(numbers, rows, strict=True):
        problems = []
        department = departments.get(row.get("所属コード", ""))
        if department is None:
            problems.append(
                _("unknown department code “%(code)s”") % {"code": _short(row.get("所属コード", ""))}
            )
        platform = _PLATFORMS.get(row.get("サービス", "").lower())
        if platform is None:
            problems.append(_("unknown service “%(name)s”") % {"name": _short(row.get("サービス", ""))})
        if not row.get("アカウント名"):
            problems.append(_("no account name"))
        if not row.get("目的"):
            problems.append(_("no purpose"))
        url = row.get("URL", "")
        if url and not url.startswith("https://"):
            problems.append(_("the URL must be a full https:// address"))
        state = _IMPORT_STATES.get(row.get("状態", ""))
        if state is None:
            problems.append(_("state must be 運用中 or 停止"))
        handle = row.get("ID", "").lstrip("@")
        if handle and platform and ((platform, handle) in taken or (platform, handle) in seen):
            problems.append(_("ID @%(handle)s is already registered") % {"handle": _short(handle)})
        problems.extend(_field_problems(row, positions, fields))
        if problems:
            errors.append((number, "、".join(problems)))
            continue
        seen.add((platform or "", handle))
        assert department is not None and platform is not None and state is not None
        accounts.append(
            OfficialAccount(
                organization=organization,
                department=department,
                platform=platform,
                account_name=row["アカウント名"],
                handle=handle,
                url=url,
                purpose=row["目的"],
                audience=row.get("対象者", ""),
                operating_hours=row.get("運用時間", ""),
                reply_policy=row.get("返信の方針", ""),
                state=state,
                state_changed_at=timezone.now(),
            )
        )
    return accounts, errors


def import_rows(
    *, actor: Any, organization: Organization, rows: list[dict[str, str]], source: str
) -> ImportReport:
    """Existing accounts from the body's own 台帳: live already, so they enter as 運用中 (or 停止).

    ``actor`` None is the system itself (the CLI, run by whoever operates the server)."""
    if actor is not None:
        require_manage_org(actor, organization)
    accounts, errors = _validate(rows, organization)
    if errors:
        return ImportReport(0, errors)
    managers: dict[int, Any] = {}
    for account in accounts:
        if account.department_id not in managers:
            found = holders(account, profile_for(organization).account.manager_role)
            managers[account.department_id] = found[0] if found else None
        account.manager = managers[account.department_id]
    with transaction.atomic():
        created = OfficialAccount.objects.bulk_create(accounts, batch_size=500)
        log_actions(
            "registry.account.imported",
            actor=actor,
            objects=[
                (
                    account,
                    {
                        "source": source,
                        "state": account.state,
                        "platform": account.platform,
                        "account_name": account.account_name,
                        "handle": account.handle,
                    },
                )
                for account in created
            ],
        )
    return ImportReport(len(created), [])
