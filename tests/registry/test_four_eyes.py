"""Four-eyes on account requests: nobody approves (or rejects) an account they requested themselves."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import NotPermitted
from koshiki.orgs import services as org_services
from koshiki.registry import services
from koshiki.registry.lifecycle import AccountState

from ..conftest import PASSWORD, signed_in_client
from .conftest import full_policy


def _requested_by(body: Any, staff: Any) -> Any:
    account = services.request_account(
        actor=staff.user,
        department=body.departments["kiki"],
        platform="x",
        account_name="いわき市危機管理課",
        handle="iwaki_bousai",
        purpose="防災情報の発信",
    )
    services.save_policy(actor=staff.user, account=account, items=full_policy(account))
    return account


@pytest.fixture
def deputy(iwaki: Any, system_admin: Any) -> Any:
    """A second 情報管理者 (部等の長) over 危機管理課."""
    staff = org_services.add_staff(
        actor=system_admin,
        organization=iwaki.organization,
        username="iwaki-fukubucho",
        display_name="総務 副部長",
        password=PASSWORD,
        department=iwaki.departments["somu"],
        email="fukubucho@example.lg.jp",
    )
    org_services.assign_role(actor=system_admin, staff=staff, role_id="info_manager")
    return staff


def test_the_requester_cannot_approve_their_own_request(iwaki: Any, iwaki_officers: Any, deputy: Any) -> None:
    bucho = iwaki_officers["bucho"]
    account = _requested_by(iwaki, bucho)
    with pytest.raises(NotPermitted) as refused:
        services.decide(actor=bucho.user, account=account, approve=True)
    assert "申請" in refused.value.message and "相互確認の原則" in refused.value.message
    assert not account.approvals.exists()
    assert services.pending_step(account).waiting_for == [deputy]
    services.decide(actor=deputy.user, account=account, approve=True)
    services.decide(actor=iwaki_officers["seisaku"].user, account=account, approve=True)
    account.refresh_from_db()
    assert account.state == AccountState.APPROVED


def test_the_requester_cannot_reject_it_either(iwaki: Any, iwaki_officers: Any) -> None:
    account = _requested_by(iwaki, iwaki_officers["bucho"])
    with pytest.raises(NotPermitted):
        services.decide(
            actor=iwaki_officers["bucho"].user, account=account, approve=False, comment="取り下げ"
        )
    account.refresh_from_db()
    assert account.state == AccountState.REQUESTED


def test_web_the_requester_gets_a_japanese_refusal_and_nothing_changes(
    iwaki: Any, iwaki_officers: Any
) -> None:
    bucho = iwaki_officers["bucho"]
    account = _requested_by(iwaki, bucho)
    client = signed_in_client(bucho.user)
    assert (
        f'action="/accounts/{account.pk}/decide/"'
        not in client.get(f"/accounts/{account.pk}/").content.decode()
    )
    before = AuditEntry.objects.count()
    response = client.post(f"/accounts/{account.pk}/decide/", {"decision": "approve", "comment": ""})
    assert response.status_code == 400 and "相互確認の原則" in response.content.decode()
    assert AuditEntry.objects.count() == before and not account.approvals.exists()
