"""Recording one decision on an approval chain: the one writer that registry and posts (and later replies,
moderation and incidents) call. The domain locks its subject row and checks its own state first; this checks
who may act (through the engine), records the row and writes the audit entry in the caller's transaction.
The domain then moves its own state machine when the chain is complete or rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from koshiki.audit import catalog
from koshiki.audit.services import log_action
from koshiki.core.approvals import ApprovalDecision, PendingStep, Subject, pending_step
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted, ServiceError
from koshiki.guidelines.workflows import Progress, may_act
from koshiki.orgs.scoping import staff_of


class SelfApprovalRefused(NotPermitted):
    """Four-eyes: the actor wrote, requested or last edited the subject. ``clause`` is the rule applied."""

    def __init__(self, message: str, *, clause: str) -> None:
        super().__init__(message)
        self.clause = clause


@dataclass(frozen=True)
class Wording:
    """What each domain says when it refuses; the engine decides when."""

    self_approval: str  # with %(rule)s
    not_holder: str  # may use %(role)s
    closed: ServiceError
    reason_required: str


@dataclass(frozen=True)
class Recorded:
    row: ApprovalDecision
    approved: bool
    progress: Progress  # after the decision

    @property
    def complete(self) -> bool:
        return self.approved and self.progress.complete


#: The audit code of a step decision, per subject kind (declared here so the catalog's scan sees every code).
DECISION_ACTIONS = catalog.family(
    "core.services.approvals",
    {
        "registry.account:approved": "registry.account.step_approved",
        "registry.account:rejected": "registry.account.step_rejected",
        "posts.post:approved": "posts.post.step_approved",
        "posts.post:rejected": "posts.post.step_rejected",
    },
)


def record_decision(
    *,
    actor: Any,
    subject: Subject,
    obj: models.Model,
    model: type[ApprovalDecision],
    link: dict[str, Any],
    approve: bool,
    comment: str,
    wording: Wording,
    four_eyes_rule: str,
    role_name: Callable[[str], str],
    action_prefix: str,
    organization: Any = None,
    before_approval: Callable[[], None] | None = None,
) -> Recorded:
    """Check → record → audit for the pending step of ``subject`` (``obj`` is its locked row)."""
    state = subject.progress()
    staff = staff_of(actor)
    verdict = may_act(state, staff.pk if staff is not None else None, subject.excluded)
    if verdict == "closed":
        raise wording.closed
    if verdict == "self":
        raise SelfApprovalRefused(wording.self_approval % {"rule": four_eyes_rule}, clause=four_eyes_rule)
    pending: PendingStep | None = pending_step(subject, state)
    assert pending is not None
    if verdict == "not_holder":
        raise NotPermitted(wording.not_holder % {"role": role_name(pending.step.role)})
    assert staff is not None  # may_act admits holders only, and a holder is staff
    comment = comment.strip()
    if not approve and not comment:
        raise InvalidInput(wording.reason_required, field="comment")
    if approve and before_approval is not None:
        before_approval()
    decision = ApprovalDecision.Decision.APPROVED if approve else ApprovalDecision.Decision.REJECTED
    try:
        with transaction.atomic():  # the unique (subject, round, step, approver) row: one decision, never two
            row = model._default_manager.create(
                **link,
                round=subject.round,
                step=pending.index,
                role_id=pending.step.role,
                approver=staff,
                decision=decision,
                comment=comment,
                clause=subject.chain.citation,
            )
    except IntegrityError as exc:
        raise InvalidTransition(
            _("Someone else changed this at the same time. Reload and try again.")
        ) from exc
    log_action(
        DECISION_ACTIONS[f"{action_prefix}:{'approved' if approve else 'rejected'}"],
        actor=actor,
        obj=obj,
        organization=organization,
        after={"step": pending.index, "role": pending.step.role, "comment": comment},
        clause=subject.chain.citation,
    )
    subject.decisions = [*subject.decisions, row]
    return Recorded(row, approve, subject.progress())
