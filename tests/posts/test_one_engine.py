"""Posts decide through the one approval engine (koshiki.core.services.approvals), as the registry does."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.approvals import ApprovalDecision
from koshiki.core.services.approvals import SelfApprovalRefused
from koshiki.orgs import services as org_services
from koshiki.posts import services
from koshiki.posts.models import PostApproval

from ..conftest import PASSWORD
from .conftest import CLEAN_POST, PostingBody, build_posting_body

IWAKI_RULE = "「いわき市 第5 1(4)」"


@pytest.fixture
def body(db: Any, system_admin: Any, within_hours: None) -> PostingBody:
    return build_posting_body(system_admin, "iwaki", "072044", "executive")


@pytest.fixture
def second_approver(body: PostingBody, system_admin: Any) -> Any:
    staff = org_services.add_staff(
        actor=system_admin,
        organization=body.seed.organization,
        username="iwaki-fuku",
        display_name="副 所属長",
        password=PASSWORD,
        department=body.account.department,
        email="fuku@example.lg.jp",
    )
    org_services.assign_role(
        actor=system_admin, staff=staff, role_id="account_manager", department=body.account.department
    )
    return staff


def test_self_approval_of_a_post_is_the_engines_refusal_with_the_four_eyes_clause(
    body: PostingBody, second_approver: Any
) -> None:
    post = services.submit(
        actor=body.manager.user,
        post=services.create_post(actor=body.manager.user, account=body.account, text=CLEAN_POST),
    )
    with pytest.raises(SelfApprovalRefused) as refused:
        services.decide(actor=body.manager.user, post=post, approve=True)
    assert refused.value.clause == IWAKI_RULE and IWAKI_RULE in refused.value.message


def test_a_post_decision_is_a_shared_decision_row_citing_the_chain(
    body: PostingBody, second_approver: Any
) -> None:
    post = services.submit(
        actor=body.operator.user,
        post=services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST),
    )
    services.decide(actor=second_approver.user, post=post, approve=False, comment="日付を確認")
    row = PostApproval.objects.get(post=post)
    assert isinstance(row, ApprovalDecision) and row.clause == IWAKI_RULE and row.decision == "rejected"
    entry = AuditEntry.objects.get(action="posts.post.step_rejected")
    assert entry.clause == IWAKI_RULE and entry.object_id == str(post.pk)
