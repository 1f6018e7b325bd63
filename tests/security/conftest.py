"""A body under each seed profile with a live account, its manager, two operators and the escalation role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ..conftest import PASSWORD

SEEDS = [
    ("iwaki", "072044", "executive"),
    ("moriya-council", "082244", "council"),
    ("ashibetsu", "012165", "executive"),
    ("shinshiro", "232211", "executive"),
]


@dataclass
class SeedBody:
    organization: Any
    profile: Any
    admin: Any  # 広報主管課長 (organization administrator)
    manager: Any  # 所属長 (account manager)
    operator: Any  # 担当者
    second_operator: Any
    escalation: Any  # holder of the profile's escalation role
    account: Any
    other_account: Any


def build_seed_body(system_admin: Any, profile_id: str, lgcode: str, kind: str) -> SeedBody:
    from koshiki.orgs import services
    from koshiki.orgs.profiles import profile_for
    from koshiki.registry.io import import_rows
    from koshiki.registry.models import OfficialAccount

    domain = f"city.{lgcode}.lg.jp"
    org = services.create_organization(
        actor=system_admin,
        lgcode=lgcode,
        kind=kind,
        name=profile_id,
        profile_id=profile_id,
        web_domains=[domain],
    )
    profile = profile_for(org)
    bu = services.create_department(actor=system_admin, organization=org, code="bu", name="総務部")
    ka = services.create_department(actor=system_admin, organization=org, code="ka", name="広報課", parent=bu)
    role_ids = {r.id for r in profile.roles}

    def person(
        name: str,
        display: str,
        dept: Any,
        roles: tuple[str, ...],
        *,
        admin: bool = False,
        language: str = "ja",
    ) -> Any:
        staff = services.add_staff(
            actor=system_admin,
            organization=org,
            username=f"{lgcode}-{name}",
            display_name=display,
            password=PASSWORD,
            department=dept,
            email=f"{name}@{domain}",
            is_org_admin=admin,
            language=language,
        )
        for role_id in roles:
            if role_id in role_ids:
                services.assign_role(actor=system_admin, staff=staff, role_id=role_id)
        return staff

    escalate_to = profile.credentials.escalate_to
    escalation = person(
        "escalation",
        "統括 一郎",
        ka if escalate_to and profile.role(escalate_to).scope == "department" else bu,
        (escalate_to,) if escalate_to else (),
        language="en",
    )
    body = SeedBody(
        organization=org,
        profile=profile,
        admin=person("kacho", "広報 花子", bu, (), admin=True),
        manager=person("shozokucho", "所属 太郎", ka, (profile.account.manager_role,)),
        operator=person("tanto", "担当 次郎", ka, ("operator",)),
        second_operator=person("tanto2", "担当 三郎", ka, ("operator",)),
        escalation=escalation,
        account=None,
        other_account=None,
    )
    import_rows(
        actor=None,
        organization=org,
        source="test",
        rows=[
            {
                "所属コード": "ka",
                "サービス": "x",
                "アカウント名": "広報公式",
                "ID": f"koho_{lgcode}",
                "URL": f"https://x.com/koho_{lgcode}",
                "目的": "市政情報の発信",
                "状態": "運用中",
            },
            {
                "所属コード": "ka",
                "サービス": "instagram",
                "アカウント名": "観光公式",
                "ID": f"kanko_{lgcode}",
                "URL": f"https://instagram.com/kanko_{lgcode}",
                "目的": "観光情報の発信",
                "状態": "運用中",
            },
        ],
    )
    body.account = OfficialAccount.objects.get(handle=f"koho_{lgcode}")
    body.other_account = OfficialAccount.objects.get(handle=f"kanko_{lgcode}")
    return body


@pytest.fixture(params=SEEDS, ids=[s[0] for s in SEEDS])
def seed_body(request: pytest.FixtureRequest, db: Any, system_admin: Any) -> SeedBody:
    return build_seed_body(system_admin, *request.param)


@pytest.fixture
def iwaki_body(db: Any, system_admin: Any) -> SeedBody:
    return build_seed_body(system_admin, *SEEDS[0])
