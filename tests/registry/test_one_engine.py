"""Account requests decide through the one approval engine (koshiki.core.services.approvals), as posts do."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.approvals import ApprovalDecision
from koshiki.core.four_eyes import default_rule
from koshiki.core.services.approvals import SelfApprovalRefused
from koshiki.registry import services
from koshiki.registry.models import Approval

from ..conftest import signed_in_client
from .conftest import full_policy

IWAKI_OPEN = "「いわき市 第4 1(2)」"


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


def test_self_approval_of_a_request_is_the_engines_refusal_with_the_four_eyes_clause(
    iwaki: Any, iwaki_officers: Any
) -> None:
    bucho = iwaki_officers["bucho"]
    account = _requested_by(iwaki, bucho)
    with pytest.raises(SelfApprovalRefused) as refused:
        services.decide(actor=bucho.user, account=account, approve=True)
    assert refused.value.clause == default_rule() and default_rule() in refused.value.message


def test_an_account_decision_is_a_shared_decision_row_citing_the_chain(
    iwaki: Any, iwaki_officers: Any
) -> None:
    account = _requested_by(iwaki, iwaki.kacho)
    services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=True)
    row = Approval.objects.get(account=account)
    assert isinstance(row, ApprovalDecision) and row.clause == IWAKI_OPEN
    assert AuditEntry.objects.get(action="registry.account.step_approved").clause == IWAKI_OPEN


def test_a_rejected_step_shows_as_rejected_not_waiting(iwaki: Any, iwaki_officers: Any) -> None:
    account = _requested_by(iwaki, iwaki.kacho)
    services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=False, comment="目的が重複")
    page = signed_in_client(iwaki.kacho.user).get(f"/accounts/{account.pk}/").content.decode()
    assert 'class="step-rejected"' in page and 'class="step-pending"' not in page
