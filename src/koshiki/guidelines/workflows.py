"""The approval chain a profile sets for an account change, with the documented default applied."""

from __future__ import annotations

from typing import Literal

from .citing import cite
from .schema import ApprovalStep, Profile, Workflow

WorkflowName = Literal["open_account", "change_account", "close_account"]


def workflow(profile: Profile, name: WorkflowName) -> Workflow:
    return getattr(profile.approvals, name)  # type: ignore[no-any-return]


def effective_steps(profile: Profile, name: WorkflowName) -> list[ApprovalStep]:
    """The chain's steps; where the guideline names none, the account manager approves alone."""
    steps = workflow(profile, name).steps
    return list(steps) if steps else [ApprovalStep(role=profile.account.manager_role)]


def citation(profile: Profile, name: WorkflowName) -> str:
    return cite(profile, workflow(profile, name))
