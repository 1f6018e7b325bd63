"""The accounts list's search: criteria (validated by the web form) → a queryset of the user's body's
accounts. Text matches the name, the handle and the URL, full- and half-width alike (NFKC)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from koshiki.core.textsearch import Nfkc, nfkc

from .models import OfficialAccount


@dataclass(frozen=True)
class AccountCriteria:
    text: str = ""
    platform: str = ""
    state: str = ""
    department_id: int | None = None

    @property
    def any(self) -> bool:
        return any((self.text, self.platform, self.state, self.department_id))


def search_accounts(
    accounts: QuerySet[OfficialAccount], criteria: AccountCriteria
) -> QuerySet[OfficialAccount]:
    c = criteria
    if c.text.strip():
        needle = nfkc(c.text.strip())
        accounts = accounts.alias(
            name_nfkc=Nfkc("account_name"),
            handle_nfkc=Nfkc("handle"),
            url_nfkc=Nfkc("url"),
            department_nfkc=Nfkc("department__name"),
        ).filter(
            Q(name_nfkc__icontains=needle)
            | Q(handle_nfkc__icontains=needle)
            | Q(url_nfkc__icontains=needle)
            | Q(department_nfkc__icontains=needle)  # 「危機管理課」 finds that 課's accounts
        )
    if c.platform:
        accounts = accounts.filter(platform=c.platform)
    if c.state:
        accounts = accounts.filter(state=c.state)
    if c.department_id is not None:
        accounts = accounts.filter(department_id=c.department_id)
    return accounts
