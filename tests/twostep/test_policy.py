"""Who must sign in with two steps: every role that approves a post, on a multi-step chain too."""

from __future__ import annotations

from koshiki.guidelines.catalog import get_profile
from koshiki.guidelines.schema import ApprovalStep
from koshiki.twostep.policy import approver_roles


def _with_post_chain(**approval: object) -> object:
    profile = get_profile("iwaki")
    posting = profile.posting.model_copy(
        update={"approval": profile.posting.approval.model_copy(update=approval)}
    )
    return profile.model_copy(update={"posting": posting})


def test_every_step_of_a_multi_step_post_chain_needs_two_steps() -> None:
    profile = _with_post_chain(steps=[ApprovalStep(role="operator"), ApprovalStep(role="policy_director")])
    roles = approver_roles(profile)  # type: ignore[arg-type]
    assert {"operator", "policy_director"} <= roles


def test_the_post_chain_escalation_role_needs_two_steps() -> None:
    profile = _with_post_chain(escalate_to="operator")
    assert "operator" in approver_roles(profile)  # type: ignore[arg-type]


def test_an_account_workflow_escalation_role_needs_two_steps() -> None:
    profile = get_profile("iwaki")
    flow = profile.approvals.close_account.model_copy(update={"escalate_to": "operator"})
    approvals = profile.approvals.model_copy(update={"close_account": flow})
    changed = profile.model_copy(update={"approvals": approvals})
    assert "operator" in approver_roles(changed)
