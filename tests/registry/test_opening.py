"""Opening an account along each body's own chain, with a complete operating policy first."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.orgs import services as org_services
from koshiki.registry import services
from koshiki.registry.lifecycle import AccountState

from .conftest import full_policy


def _request(body: Any, by: Any = None) -> Any:
    return services.request_account(
        actor=(by or body.tanto).user,
        department=body.departments["kiki"],
        platform="x",
        account_name="いわき市危機管理課",
        handle="iwaki_bousai",
        purpose="防災情報の発信",
    )


def test_request_names_the_departments_account_manager(iwaki: Any) -> None:
    account = _request(iwaki)
    assert account.state == AccountState.REQUESTED and account.manager == iwaki.shozokucho
    entry = AuditEntry.objects.get(action="registry.account.requested")
    assert entry.clause == "「いわき市 第4 1(2)」"


def test_request_without_purpose_is_refused_with_the_clause(iwaki: Any) -> None:
    with pytest.raises(InvalidInput, match="「いわき市 第4 2\\(1\\)①」"):
        services.request_account(
            actor=iwaki.tanto.user,
            department=iwaki.departments["kiki"],
            platform="x",
            account_name="x",
            purpose=" ",
        )


def test_outsider_cannot_request_for_another_body(iwaki: Any, outsider: Any) -> None:
    with pytest.raises(NotPermitted):
        _request(iwaki, by=outsider)


def test_iwaki_chain_is_info_manager_then_policy_director(iwaki: Any, iwaki_officers: Any) -> None:
    account = _request(iwaki)
    services.save_policy(actor=iwaki.tanto.user, account=account, items=full_policy(account))
    with pytest.raises(NotPermitted, match="情報管理者"):
        services.decide(actor=iwaki_officers["seisaku"].user, account=account, approve=True)
    services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=True)
    assert account.state == AccountState.REQUESTED
    services.decide(actor=iwaki_officers["seisaku"].user, account=account, approve=True)
    account.refresh_from_db()
    assert account.state == AccountState.APPROVED
    assert AuditEntry.objects.filter(
        action="registry.account.approved", clause="「いわき市 第4 1(2)」"
    ).exists()


def test_incomplete_policy_blocks_approval_item_by_item(iwaki: Any, iwaki_officers: Any) -> None:
    account = _request(iwaki)
    services.save_policy(actor=iwaki.tanto.user, account=account, items={"purpose": "防災"})
    with pytest.raises(InvalidInput, match="「いわき市 第4 2\\(2\\)」"):
        services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=True)
    assert not account.approvals.exists()


def test_ciso_is_notified_after_approval_in_their_language(
    iwaki: Any, iwaki_officers: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from koshiki.notify.tasks import notify_roles_task

    account = _request(iwaki)
    services.save_policy(actor=iwaki.tanto.user, account=account, items=full_policy(account))
    services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.decide(actor=iwaki_officers["seisaku"].user, account=account, approve=True)
    assert len(callbacks) == 2  # the profile's notify_after roles; the requester (issue #13: mark it 運用中)
    org_services.assign_role(actor=iwaki.kacho.user, staff=iwaki_officers["seisaku"], role_id="ciso")
    notify_roles_task.call(account.pk, ["ciso"], "approved", {"account": str(account)})
    subjects = sorted(m.subject for m in mailoutbox)
    assert any(s.startswith("公式アカウントが承認されました") for s in subjects)
    assert any(s.startswith("Official account approved") for s in subjects)


def test_rejection_needs_a_reason_and_ends_the_request(iwaki: Any, iwaki_officers: Any) -> None:
    account = _request(iwaki)
    with pytest.raises(InvalidInput):
        services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=False)
    services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=False, comment="目的が重複")
    account.refresh_from_db()
    assert account.state == AccountState.REJECTED
    with pytest.raises(InvalidTransition):
        services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=True)


def test_silent_chain_lets_the_account_manager_approve_alone(shinshiro: Any, system_admin: Any) -> None:
    from koshiki.orgs.profiles import profile_for

    assert [s.role for s in profile_for(shinshiro.organization).approvals.open_account.steps] == [
        "account_manager"
    ]
    account = services.request_account(
        actor=shinshiro.tanto.user,
        department=shinshiro.departments["kiki"],
        platform="instagram",
        account_name="新城市観光",
        purpose="観光情報",
    )
    services.save_policy(actor=shinshiro.tanto.user, account=account, items=full_policy(account))
    services.decide(actor=shinshiro.shozokucho.user, account=account, approve=True)
    account.refresh_from_db()
    assert account.state == AccountState.APPROVED


def test_policy_versions_are_kept(iwaki: Any) -> None:
    account = _request(iwaki)
    services.save_policy(actor=iwaki.tanto.user, account=account, items={"purpose": "v1"})
    services.save_policy(actor=iwaki.tanto.user, account=account, items={"purpose": "v2"})
    assert [p.version for p in account.policies.all()] == [2, 1]


def test_unknown_policy_item_changes_nothing(iwaki: Any) -> None:
    account = _request(iwaki)
    with pytest.raises(InvalidInput):
        services.save_policy(actor=iwaki.tanto.user, account=account, items={"nonsense": "x"})
    assert not account.policies.exists()


def test_activating_before_approval_is_an_invalid_transition(iwaki: Any) -> None:
    account = _request(iwaki)
    with pytest.raises(InvalidTransition):
        services.activate(actor=iwaki.shozokucho.user, account=account, url="https://x.com/iwaki_bousai")
