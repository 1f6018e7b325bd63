"""Issue #13 item 1: a chain step nobody can take is refused (or routed to the escalation role) at request
time, citing the clause; requests already stuck show on the admins' dashboard until someone can act."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput
from koshiki.orgs import services as org_services
from koshiki.registry import services
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import OfficialAccount

from ..attention_helpers import kinds
from ..conftest import PASSWORD
from .conftest import full_policy


def library_with_head(body: Any, admin: Any) -> Any:
    """図書館: a 所属 with no 部 above it, its head as account manager."""
    dept = org_services.create_department(
        actor=admin, organization=body.organization, code="lib", name="中央図書館"
    )
    head = org_services.add_staff(
        actor=admin,
        organization=body.organization,
        username="iwaki-libhead",
        display_name="図書 館長",
        password=PASSWORD,
        department=dept,
        email="libhead@example.lg.jp",
    )
    org_services.assign_role(actor=admin, staff=head, role_id="account_manager")
    return dept, head


def _request(actor: Any, dept: Any) -> Any:
    return services.request_account(
        actor=actor.user,
        department=dept,
        platform="x",
        account_name="いわき市立図書館",
        handle="iwaki_library",
        purpose="図書館のお知らせ",
    )


def test_request_from_a_section_with_no_department_above_is_refused_naming_the_step(
    iwaki: Any, iwaki_officers: Any, system_admin: Any
) -> None:
    dept, head = library_with_head(iwaki, system_admin)
    with pytest.raises(InvalidInput) as caught:
        _request(head, dept)
    message = str(caught.value)
    assert "情報管理者" in message and "「いわき市 第4 1(2)」" in message
    assert not OfficialAccount.objects.filter(department=dept).exists()


def test_a_step_nobody_can_take_is_routed_to_the_escalation_role_when_the_profile_names_one(
    iwaki: Any, iwaki_officers: Any, system_admin: Any, monkeypatch: Any
) -> None:
    from koshiki.orgs import profiles

    base = profiles.get_profile("iwaki")
    flow = base.approvals.open_account.model_copy(update={"escalate_to": "ciso"})
    routed = base.model_copy(update={"approvals": base.approvals.model_copy(update={"open_account": flow})})
    monkeypatch.setattr(profiles, "get_profile", lambda pid: routed if pid == "iwaki" else base)
    dept, head = library_with_head(iwaki, system_admin)
    account = _request(head, dept)
    entry = AuditEntry.objects.get(action="registry.account.step_routed")
    assert entry.after["role"] == "info_manager" and entry.after["routed_to"] == "ciso"
    assert entry.clause == "「いわき市 第4 1(2)」"
    services.save_policy(actor=head.user, account=account, items=full_policy(account))
    services.decide(actor=iwaki.ciso.user, account=account, approve=True)
    services.decide(actor=iwaki_officers["seisaku"].user, account=account, approve=True)
    account.refresh_from_db()
    assert account.state == AccountState.APPROVED


def test_the_post_chain_is_checked_at_request_time_too(
    iwaki: Any, iwaki_officers: Any, system_admin: Any, monkeypatch: Any
) -> None:
    from koshiki.guidelines.schema import ApprovalStep
    from koshiki.orgs import profiles

    base = profiles.get_profile("iwaki")
    approval = base.posting.approval.model_copy(update={"steps": [ApprovalStep(role="info_manager")]})
    flow = base.approvals.open_account.model_copy(update={"steps": [ApprovalStep(role="policy_director")]})
    strict = base.model_copy(
        update={
            "posting": base.posting.model_copy(update={"approval": approval}),
            "approvals": base.approvals.model_copy(update={"open_account": flow}),
        }
    )
    monkeypatch.setattr(profiles, "get_profile", lambda pid: strict if pid == "iwaki" else base)
    dept, head = library_with_head(iwaki, system_admin)
    with pytest.raises(InvalidInput) as caught:
        _request(head, dept)
    assert "情報管理者" in str(caught.value) and "「いわき市 第5 1(4)」" in str(caught.value)


def test_admins_see_a_request_stuck_on_a_step_nobody_holds_until_someone_does(
    iwaki: Any, iwaki_officers: Any, system_admin: Any
) -> None:
    account = services.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき市危機管理課",
        handle="iwaki_bousai",
        purpose="防災情報の発信",
    )
    services.save_policy(actor=iwaki.tanto.user, account=account, items=full_policy(account))
    assert "registry.unassignable_step" not in kinds(iwaki.kacho)
    org_services.end_role(  # the 部長's 情報管理者 ends: nobody can take step 1 any more
        actor=system_admin,
        assignment=iwaki_officers["bucho"].roles.get(role_id="info_manager"),
    )
    assert "registry.unassignable_step" in kinds(iwaki.kacho)
    assert "registry.unassignable_step" not in kinds(iwaki.tanto)
    org_services.assign_role(actor=system_admin, staff=iwaki_officers["bucho"], role_id="info_manager")
    assert "registry.unassignable_step" not in kinds(iwaki.kacho)
