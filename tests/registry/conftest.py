from __future__ import annotations

from typing import Any

import pytest

from koshiki.orgs import services as org_services

from ..conftest import PASSWORD, Body

POLICY_TEXT = "運用方針の記載です。"


@pytest.fixture
def iwaki_officers(iwaki: Body, system_admin: Any) -> dict[str, Any]:
    """総務部長 as 情報管理者 (部等の長) for 危機管理課, and 総合政策部長."""
    bucho = org_services.add_staff(actor=system_admin, organization=iwaki.organization, username="iwaki-bucho",
                                   display_name="総務 部長", password=PASSWORD, department=iwaki.departments["somu"],
                                   email="bucho@example.lg.jp")
    org_services.assign_role(actor=system_admin, staff=bucho, role_id="info_manager")
    seisaku = org_services.add_staff(actor=system_admin, organization=iwaki.organization, username="iwaki-seisaku",
                                     display_name="政策 部長", password=PASSWORD, department=iwaki.departments["kouhou"],
                                     email="seisaku@example.lg.jp", language="en")
    org_services.assign_role(actor=system_admin, staff=seisaku, role_id="policy_director")
    return {"bucho": bucho, "seisaku": seisaku}


def full_policy(account: Any) -> dict[str, str]:
    from koshiki.orgs.profiles import profile_for

    return {item.id: POLICY_TEXT for item in profile_for(account.organization).operating_policy.items}
