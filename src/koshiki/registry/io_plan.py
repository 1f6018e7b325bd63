"""What a 台帳 file would do, row by row, before anything is written: the preview of an import.

A row with a 台帳ID (the account's number in Koshiki, written by the export) updates that account; a row
without one is a new account. The plan lists each update as (column, before, after), each new row, the
notes (a changed 状態 is ignored: states move only through the lifecycle services) and every row's errors
with their row and column. ``basis`` is a digest of the accounts the file names, as they are now: the
confirm recomputes it under row locks and refuses if it moved (compare-and-set on the preview).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from koshiki.core.errors import InvalidInput
from koshiki.orgs.models import Department, Organization

from .fields import IMPORT_FIELDS, account_formfield
from .lifecycle import AccountState
from .links import account_url
from .models import OfficialAccount, Platform
from .services.common import account_snapshot

KEY = "台帳ID"
COLUMNS = [  # the key last, so the columns people already know keep their places
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
    KEY,
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


@dataclass
class FieldChange:
    column: str
    name: str
    before: str
    after: str


@dataclass
class AccountDiff:
    """One existing account the file changes."""

    number: int
    account_id: int
    account_name: str
    changes: list[FieldChange]


@dataclass
class NewRow:
    number: int
    account: OfficialAccount  # unsaved

    @property
    def account_name(self) -> str:
        return self.account.account_name


@dataclass
class ImportPlan:
    new: list[NewRow] = field(default_factory=list)
    updates: list[AccountDiff] = field(default_factory=list)
    unchanged: int = 0
    notes: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    basis: str = ""
    digest: str = ""
    upload_id: int | None = None
    source: str = ""

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.updates)


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def _state_texts(state: str) -> set[str]:
    """What an export may have written for ``state``: its code or its label in either language."""
    texts = {state}
    for language in ("ja", "en"):
        with override(language):
            texts.add(str(AccountState(state).label))
    return texts


def basis_of(accounts: Sequence[OfficialAccount]) -> str:
    """A digest of the accounts as they are now: any change to one of them changes it."""
    data = [[a.pk, account_snapshot(a)] for a in sorted(accounts, key=lambda a: a.pk)]
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class _Planner:
    def __init__(self, rows: list[dict[str, str]], organization: Organization, *, lock: bool) -> None:
        self.rows = rows
        self.organization = organization
        self.positions: dict[str, int] = getattr(rows, "positions", None) or {
            name: i + 1 for i, name in enumerate(COLUMNS)
        }
        self.numbers: Sequence[int] = getattr(rows, "numbers", None) or range(2, len(rows) + 2)
        self.present = set(self.positions) if getattr(rows, "positions", None) else set(COLUMNS)
        self.fields: dict[str, forms.Field] = {
            name: account_formfield(name) for name in IMPORT_FIELDS.values()
        }
        self.departments = {d.code: d for d in Department.objects.filter(organization=organization)}
        self.existing = self._existing(lock)
        self.plan = ImportPlan(basis=basis_of(list(self.existing.values())))
        # handles held by accounts the file does not name; the file's own rows are added as they are read
        self.taken = {
            (a.platform, a.handle)
            for a in OfficialAccount.objects.filter(organization=organization)
            .exclude(handle="")
            .exclude(pk__in=list(self.existing))
            .only("platform", "handle")
        }

    def _ids(self) -> set[int]:
        return {int(row[KEY]) for row in self.rows if row.get(KEY, "").isdigit() and len(row[KEY]) < 18}

    def _existing(self, lock: bool) -> dict[int, OfficialAccount]:
        accounts = OfficialAccount.objects.filter(organization=self.organization, pk__in=self._ids())
        if lock:
            accounts = accounts.select_for_update(of=("self",), no_key=True)
        return {a.pk: a for a in accounts.select_related("department").order_by("pk")}

    def _col(self, column: str) -> str:
        return _("column %(number)s “%(column)s”") % {
            "number": self.positions.get(column, "?"),
            "column": column,
        }

    def _field_problems(self, row: dict[str, str]) -> list[str]:
        """What the web form would say about each text column, with the column's number and name."""
        problems = []
        for column, name in IMPORT_FIELDS.items():
            value = row.get(column, "")
            if not value:
                continue
            try:
                self.fields[name].clean(value)
            except ValidationError as error:
                problems.append(f"{self._col(column)}: {' '.join(error.messages)}")
        return problems

    def _common(self, row: dict[str, str]) -> tuple[list[str], Department | None, str | None, str]:
        problems = []
        department = self.departments.get(row.get("所属コード", ""))
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
        handle = row.get("ID", "").lstrip("@")
        if url and platform:
            try:  # the platform's URL rules (registry/links.py), as the account services apply them
                account_url(platform, url, handle)
            except InvalidInput as refused:
                problems.append(str(refused.message))
        elif url and not url.startswith("https://"):
            problems.append(_("the URL must be a full https:// address"))
        if handle and platform and ((platform, handle) in self.taken):
            problems.append(_("ID @%(handle)s is already registered") % {"handle": _short(handle)})
        problems.extend(self._field_problems(row))
        return problems, department, platform, handle

    def run(self) -> ImportPlan:
        seen_ids: set[int] = set()
        for number, row in zip(self.numbers, self.rows, strict=True):
            key = row.get(KEY, "")
            if key:
                self._update(number, row, key, seen_ids)
            else:
                self._new(number, row)
        return self.plan

    def _new(self, number: int, row: dict[str, str]) -> None:
        problems, department, platform, handle = self._common(row)
        state = _IMPORT_STATES.get(row.get("状態", ""))
        if state is None:
            problems.append(_("a new account's state must be 運用中 or 停止"))
        if problems:
            self.plan.errors.append((number, "、".join(problems)))
            return
        assert department is not None and platform is not None and state is not None
        if handle:
            self.taken.add((platform, handle))
        self.plan.new.append(
            NewRow(
                number,
                OfficialAccount(
                    organization=self.organization,
                    department=department,
                    platform=platform,
                    account_name=row["アカウント名"],
                    handle=handle,
                    url=row.get("URL", ""),
                    purpose=row["目的"],
                    audience=row.get("対象者", ""),
                    operating_hours=row.get("運用時間", ""),
                    reply_policy=row.get("返信の方針", ""),
                    state=state,
                    state_changed_at=timezone.now(),
                ),
            )
        )

    def _update(self, number: int, row: dict[str, str], key: str, seen_ids: set[int]) -> None:
        account = self.existing.get(int(key)) if key.isdigit() and len(key) < 18 else None
        if account is None:
            # another body's account and a number that does not exist read the same: nothing leaks
            message = _("%(col)s: no account with 台帳ID %(id)s in this organization's 台帳") % {
                "col": self._col(KEY),
                "id": _short(key),
            }
            self.plan.errors.append((number, message))
            return
        if account.pk in seen_ids:
            self.plan.errors.append(
                (number, _("台帳ID %(id)s appears more than once in the file") % {"id": account.pk})
            )
            return
        seen_ids.add(account.pk)
        problems, department, platform, handle = self._common(row)
        if department is not None and department.pk != account.department_id:
            problems.append(
                _("%(col)s: an existing account's department cannot be changed by import")
                % {"col": self._col("所属コード")}
            )
        if platform is not None and platform != account.platform:
            problems.append(
                _("%(col)s: an existing account's service cannot be changed by import")
                % {"col": self._col("サービス")}
            )
        public = account.state not in (AccountState.REQUESTED, AccountState.APPROVED)
        for column, name, given in (("URL", "url", row.get("URL", "")), ("ID", "handle", handle)):
            if public and column in self.present and given != str(getattr(account, name)):
                # once public, a new address is a 変更 with the profile's notice (the account page)
                problems.append(
                    _("%(col)s: a public account's URL or ID changes through 変更 on the account's page")
                    % {"col": self._col(column)}
                )
        if problems:
            self.plan.errors.append((number, "、".join(problems)))
            return
        if handle:
            self.taken.add((account.platform, handle))
        state = row.get("状態", "")
        if "状態" in self.present and state and state not in _state_texts(account.state):
            self.plan.notes.append(
                (
                    number,
                    _(
                        "状態 “%(given)s” ignored: the account stays %(state)s. Change states on the account's page."  # noqa: E501
                    )
                    % {"given": _short(state), "state": account.get_state_display()},
                )
            )
        changes = []
        for column, name in IMPORT_FIELDS.items():
            if column not in self.present:
                continue
            after = handle if name == "handle" else row.get(column, "")
            before = str(getattr(account, name))
            if after != before:
                changes.append(FieldChange(column, name, before, after))
        if changes:
            self.plan.updates.append(AccountDiff(number, account.pk, account.account_name, changes))
        else:
            self.plan.unchanged += 1


def plan_import(rows: list[dict[str, str]], organization: Organization, *, lock: bool = False) -> ImportPlan:
    """The plan for ``rows``; with ``lock`` the named accounts are locked until the transaction ends."""
    return _Planner(rows, organization, lock=lock).run()
