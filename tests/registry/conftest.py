from __future__ import annotations

from typing import Any

POLICY_TEXT = "運用方針の記載です。"


def full_policy(account: Any) -> dict[str, str]:
    from koshiki.orgs.profiles import profile_for

    return {item.id: POLICY_TEXT for item in profile_for(account.organization).operating_policy.items}
