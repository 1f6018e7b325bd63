"""The whole lifecycle under each seed profile: its own chain, and its own notice period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.core.errors import InvalidInput
from koshiki.orgs import services as org_services
from koshiki.orgs.profiles import profile_for
from koshiki.registry import services
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.services.requests import pending_step

from ..conftest import PASSWORD
from .conftest import full_policy

BODIES = [
    ("iwaki", "072044", "executive"),
    ("moriya-council", "082244", "council"),
    ("ashibetsu", "012165", "executive"),
    ("shinshiro", "232211", "executive"),
]


@pytest.mark.parametrize("profile_id,lgcode,kind", BODIES)
def test_open_and_close_under_each_profile(
    profile_id: str, lgcode: str, kind: str, db: Any, system_admin: Any
) -> None:
    org = org_services.create_organization(
        actor=system_admin, lgcode=lgcode, kind=kind, name=profile_id, profile_id=profile_id
    )
    profile = profile_for(org)
    bu = org_services.create_department(actor=system_admin, organization=org, code="bu", name="部")
    ka = org_services.create_department(actor=system_admin, organization=org, code="ka", name="課", parent=bu)
    people = {}
    for role in profile.roles:
        person = org_services.add_staff(
            actor=system_admin,
            organization=org,
            username=f"{lgcode}-{role.id}",
            display_name=role.name,
            password=PASSWORD,
            department=ka if role.scope == "department" else bu,
        )
        org_services.assign_role(actor=system_admin, staff=person, role_id=role.id)
        people[role.id] = person
    requester = people.get("operator") or people["account_manager"]
    account = services.request_account(
        actor=requester.user,
        department=ka,
        platform="x",
        account_name="公式",
        handle=f"acct_{lgcode}",
        purpose="広報",
    )
    services.save_policy(actor=requester.user, account=account, items=full_policy(account))
    roles_in_order = []
    while (step := pending_step(account)) is not None:
        roles_in_order.append(step.step.role)
        services.decide(actor=step.waiting_for[0].user, account=account, approve=True)
    expected = [s.role for s in profile.approvals.open_account.steps] or [profile.account.manager_role]
    assert roles_in_order == expected
    account.refresh_from_db()
    assert account.state == AccountState.APPROVED
    manager = account.manager
    services.activate(actor=manager.user, account=account, url="https://x.com/example")
    days = profile.closure.notice_before.days
    today = timezone.localdate()
    if days:
        with pytest.raises(InvalidInput):
            services.announce(
                actor=manager.user,
                account=account,
                kind="closure",
                effective_on=today + dt.timedelta(days=days - 1),
                description="終了",
            )
    notice = services.announce(
        actor=manager.user,
        account=account,
        kind="closure",
        effective_on=today + dt.timedelta(days=days),
        description="終了",
    )
    assert notice.keep_until == notice.effective_on + dt.timedelta(
        days=profile.closure.keep_notice_after_closure.days
    )
    services.complete_notice(actor=manager.user, account=account, on=notice.effective_on)
    account.refresh_from_db()
    assert account.state == AccountState.CLOSED
