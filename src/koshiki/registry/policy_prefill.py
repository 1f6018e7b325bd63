"""運用方針 items that the account request already answered: prefilled so nobody types them twice (#13).

A profile names its policy items freely; these are the item ids the shipped profiles use for what the
request form asks (purpose, platform, name and ID, URL, audience, replies, hours). A profile item with
another id is simply left empty. The text is the body's own language (Japanese), like the policy itself.
"""

from __future__ import annotations

from collections.abc import Callable

from koshiki.guidelines import Profile

from .models import OfficialAccount


def _name_and_id(account: OfficialAccount) -> str:
    return account.account_name + (f"（@{account.handle}）" if account.handle else "")


def _name_id_url(account: OfficialAccount) -> str:
    return " ".join(part for part in (_name_and_id(account), account.url) if part)


def _operation(account: OfficialAccount) -> str:
    parts = [f"運用時間：{account.operating_hours}" if account.operating_hours else "", account.reply_policy]
    return "\n".join(part for part in parts if part)


FROM_REQUEST: dict[str, Callable[[OfficialAccount], str]] = {
    "purpose": lambda a: a.purpose,
    "platform": lambda a: str(a.get_platform_display()),
    "platforms": lambda a: str(a.get_platform_display()),
    "account_name_id": _name_and_id,
    "account": _name_id_url,
    "url": lambda a: a.url,
    "audience": lambda a: a.audience,
    "reply_policy": lambda a: a.reply_policy,
    "operation": _operation,
}


def prefilled(account: OfficialAccount, profile: Profile, saved: dict[str, str]) -> dict[str, str]:
    """The policy form's starting values: what was saved, else what the request already said."""
    values: dict[str, str] = {}
    for item in profile.operating_policy.items:
        value = (saved.get(item.id) or "").strip()
        if not value and item.id in FROM_REQUEST:
            value = FROM_REQUEST[item.id](account).strip()
        if value:
            values[item.id] = value
    return values
