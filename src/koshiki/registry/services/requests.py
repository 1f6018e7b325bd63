"""Requesting an account and approving it along the profile's chain (e.g. いわき市 第4 1(2))."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.core.four_eyes import default_rule
from koshiki.guidelines import cite
from koshiki.guidelines.schema import ApprovalStep
from koshiki.guidelines.workflows import WorkflowName, citation, effective_steps, workflow
from koshiki.orgs.models import Department, Staff
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of

from ..lifecycle import AccountState
from ..models import Approval, OfficialAccount, Platform
from ..roles import holders
from .common import account_snapshot, move, notify_after_commit
from .policy import policy_completeness

OPEN: WorkflowName = "open_account"


@transaction.atomic
def request_account(
    *,
    actor: Any,
    department: Department,
    platform: str,
    account_name: str,
    purpose: str,
    handle: str = "",
    url: str = "",
    audience: str = "",
    login_email: str = "",
    operating_hours: str = "",
    reply_policy: str = "",
    operators: list[Staff] | None = None,
) -> OfficialAccount:
    """申請: any staff member asks to open an account for a department of their own body."""
    staff = staff_of(actor)
    if staff is None or staff.organization_id != department.organization_id:
        raise NotPermitted(_("You can request accounts only for your own organization."))
    if platform not in Platform.values:
        raise InvalidInput(_("Choose a platform."), field="platform")
    if not account_name.strip():
        raise InvalidInput(_("Enter the account name."), field="account_name")
    if not purpose.strip():
        profile = profile_for(department.organization)
        rule = profile.account.purpose_required
        where = f" {cite(profile, rule)}" if cite(profile, rule) else ""
        raise InvalidInput(_("Write the account's purpose.") + where, field="purpose")
    account = OfficialAccount(
        organization=department.organization, department=department, platform=platform,
        account_name=account_name.strip(), handle=handle.strip().lstrip("@"), url=url.strip(), purpose=purpose.strip(),
        audience=audience.strip(), login_email=login_email.strip(), operating_hours=operating_hours.strip(),
        reply_policy=reply_policy.strip(), requested_by=staff,
    )
    managers = holders(account, profile_for(department.organization).account.manager_role)
    if not managers:
        raise InvalidInput(
            _("%(dept)s has no account manager: assign the role first.") % {"dept": department.name}, field="department"
        )
    account.manager = managers[0]
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as exc:
        raise InvalidInput(_("This ID is already registered."), field="handle") from exc
    # The requester runs the account unless others are named (運用に携わる職員を事前に定める).
    chosen = [s for s in (operators or [staff]) if s.organization_id == department.organization_id]
    account.operators.set(chosen)
    log_action("registry.account.requested", actor=actor, obj=account, after=account_snapshot(account),
               clause=citation(profile_for(department.organization), OPEN))
    return account


@dataclass(frozen=True)
class PendingStep:
    index: int
    step: ApprovalStep
    approved_by: list[int]  # staff ids who approved this step so far
    waiting_for: list[Staff]


def _round(account: OfficialAccount, name: str) -> int:
    last = account.approvals.filter(workflow=name).order_by("-round").first()
    return last.round if last else 1


def pending_step(account: OfficialAccount, name: WorkflowName = OPEN) -> PendingStep | None:
    """The first step not yet complete, or None when the chain is done."""
    profile = profile_for(account.organization)
    current = _round(account, name)
    decisions = list(account.approvals.filter(workflow=name, round=current, decision=Approval.Decision.APPROVED))
    for index, step in enumerate(effective_steps(profile, name)):
        approved = [d.approver_id for d in decisions if d.step == index]
        eligible = [s for s in holders(account, step.role) if s.pk != account.requested_by_id]  # four-eyes
        if step.mode == "any":
            done = bool(approved)
        else:
            done = bool(eligible) and all(s.pk in approved for s in eligible)
        if not done:
            return PendingStep(index, step, approved, [s for s in eligible if s.pk not in approved])
    return None


@transaction.atomic
def decide(*, actor: Any, account: OfficialAccount, approve: bool, comment: str = "") -> OfficialAccount:
    """承認 or 却下 of the pending step of the opening chain, by a holder of that step's role."""
    account = OfficialAccount.objects.select_for_update().get(pk=account.pk)
    if account.state != AccountState.REQUESTED:
        raise InvalidTransition(_("This account is not waiting for approval."))
    profile = profile_for(account.organization)
    pending = pending_step(account, OPEN)
    if pending is None:
        raise InvalidTransition(_("Every step is already approved."))
    staff = staff_of(actor)
    if staff is not None and staff.pk == account.requested_by_id:
        raise NotPermitted(_("You requested this account, so another approver must decide on it (%(rule)s).")
                           % {"rule": default_rule()})
    if staff is None or staff not in pending.waiting_for:
        role = profile.role(pending.step.role)
        raise NotPermitted(_("This step is for %(role)s.") % {"role": role.name})
    if not approve and not comment.strip():
        raise InvalidInput(_("Write the reason for the rejection."), field="comment")
    if approve:
        missing = [c for c in policy_completeness(account) if not c.filled]
        if missing:
            raise InvalidInput(
                _("The operating policy is incomplete: %(items)s") % {"items": "、".join(f"{c.item.label} {c.citation}" for c in missing)},
                field="policy",
            )
    Approval.objects.create(
        account=account, workflow=OPEN, round=_round(account, OPEN), step=pending.index, role_id=pending.step.role,
        approver=staff, decision=Approval.Decision.APPROVED if approve else Approval.Decision.REJECTED, comment=comment.strip(),
    )
    chain_clause = citation(profile, OPEN)
    log_action(
        "registry.account.step_approved" if approve else "registry.account.step_rejected",
        actor=actor, obj=account, after={"step": pending.index, "role": pending.step.role, "comment": comment.strip()},
        clause=chain_clause,
    )
    if not approve:
        move(account, AccountState.REJECTED, actor=actor, action="registry.account.rejected", clause=chain_clause)
    elif pending_step(account, OPEN) is None:
        move(account, AccountState.APPROVED, actor=actor, action="registry.account.approved", clause=chain_clause)
        notify_after_commit(account, list(workflow(profile, OPEN).notify_after), "approved", {"account": str(account)})
    return account
