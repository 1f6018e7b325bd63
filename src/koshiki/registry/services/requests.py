"""Requesting an account and approving it along the profile's chain (e.g. いわき市 第4 1(2))."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.approvals import PendingStep, Subject
from koshiki.core.approvals import pending_step as engine_pending_step
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.core.four_eyes import default_rule
from koshiki.core.services.approvals import Wording, record_decision
from koshiki.guidelines import cite
from koshiki.guidelines.workflows import (
    ChainName,
    Unassignable,
    WorkflowName,
    chain,
    citation,
    unassignable,
    workflow,
)
from koshiki.orgs.models import Department, Staff
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of

from .. import notifications
from ..lifecycle import AccountState
from ..links import account_url
from ..models import Approval, OfficialAccount, Platform
from ..roles import HolderIndex, holders
from ..signals import policy_completed
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
    if url.strip():
        url, handle = account_url(platform, url, handle)
    if not purpose.strip():
        profile = profile_for(department.organization)
        rule = profile.account.purpose_required
        where = f" {cite(profile, rule)}" if cite(profile, rule) else ""
        raise InvalidInput(_("Write the account's purpose.") + where, field="purpose")
    account = OfficialAccount(
        organization=department.organization,
        department=department,
        platform=platform,
        account_name=account_name.strip(),
        handle=handle.strip().lstrip("@"),
        url=url.strip(),
        purpose=purpose.strip(),
        audience=audience.strip(),
        login_email=login_email.strip(),
        operating_hours=operating_hours.strip(),
        reply_policy=reply_policy.strip(),
        requested_by=staff,
    )
    managers = holders(account, profile_for(department.organization).account.manager_role)
    if not managers:
        raise InvalidInput(
            _("%(dept)s has no account manager: assign the role first.") % {"dept": department.name},
            field="department",
        )
    account.manager = managers[0]
    routes = _require_assignable_chains(account, staff)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as exc:
        raise InvalidInput(_("This ID is already registered."), field="handle") from exc
    # The requester runs the account unless others are named (運用に携わる職員を事前に定める).
    chosen = [s for s in (operators or [staff]) if s.organization_id == department.organization_id]
    account.operators.set(chosen)
    log_action(
        "registry.account.requested",
        actor=actor,
        obj=account,
        after=account_snapshot(account),
        clause=citation(profile_for(department.organization), OPEN),
    )
    for name, route in routes:
        log_action(
            "registry.account.step_routed",
            actor=actor,
            obj=account,
            after={"chain": name, "step": route.step, "role": route.role, "routed_to": route.routed_to},
            clause=chain(profile_for(department.organization), name).citation,
        )
    tell_pending_approvers(account)
    return account


def _require_assignable_chains(
    account: OfficialAccount, requester: Staff
) -> list[tuple[ChainName, Unassignable]]:
    """Refuse a request whose opening chain (the requester may not decide) or post chain has a step nobody
    can take: it would wait forever (issue #13: a 所属 with no 部 above it has no 情報管理者). A step the
    profile routes to its escalation role is returned, to be audited."""
    profile = profile_for(account.organization)
    routed: list[tuple[ChainName, Unassignable]] = []
    chains: tuple[tuple[ChainName, set[int]], ...] = ((OPEN, {requester.pk}), ("post", set()))
    for name, excluded in chains:
        on_chain = chain(profile, name)
        ids = lambda role_id: [s.pk for s in holders(account, role_id)]  # noqa: E731
        for found in unassignable(on_chain.steps, ids, excluded, on_chain.escalate_to):
            if found.routed_to is None and _never_assignable(profile, found.role, account):
                raise InvalidInput(
                    _(
                        "Nobody can take the step %(role)s of this chain for %(dept)s (%(rule)s):"
                        " ask an administrator to assign the role first."
                    )
                    % {
                        "role": profile.role(found.role).name,
                        "dept": account.department.name,
                        "rule": on_chain.citation or _("Koshiki's default chain"),
                    },
                    field="department",
                )
            if found.routed_to is not None:
                routed.append((name, found))
    return routed


def _never_assignable(profile: Any, role_id: str, account: OfficialAccount) -> bool:
    """A department role nobody holds for a 所属 with no 部 above it: only an assignment inside the 所属
    itself could staff it, which the guideline's holder (e.g. 部等の長) rules out. Other empty steps are
    staffable later and show on the administrators' dashboard (registry.unassignable_step)."""
    return profile.role(role_id).scope == "department" and account.department.parent_id is None


def _round(account: OfficialAccount, name: str) -> int:
    last = account.approvals.filter(workflow=name).order_by("-round").first()
    return last.round if last else 1


def subject(
    account: OfficialAccount,
    name: WorkflowName = OPEN,
    *,
    index: HolderIndex | None = None,
    approvals: list[Approval] | None = None,
) -> Subject:
    """The account on one of its chains, for the approval engine: the requester may not decide (four-eyes).
    ``index`` and ``approvals`` (every decision on this chain, all rounds) let a list page batch the reads."""
    if approvals is None:
        current = _round(account, name)
        decisions = list(account.approvals.filter(workflow=name, round=current))
    else:
        current = max((a.round for a in approvals), default=1)
        decisions = [a for a in approvals if a.round == current]
    return Subject(
        chain=chain(profile_for(account.organization), name),
        decisions=decisions,
        holders=lambda role_id: holders(account, role_id, index),
        excluded=frozenset({account.requested_by_id} if account.requested_by_id else ()),
        round=current,
    )


def pending_step(account: OfficialAccount, name: WorkflowName = OPEN) -> PendingStep | None:
    """The first step not yet complete, or None when the chain is done (or rejected)."""
    return engine_pending_step(subject(account, name))


def pending_steps(
    accounts: list[OfficialAccount], name: WorkflowName = OPEN, *, index: HolderIndex | None = None
) -> dict[int, PendingStep | None]:
    """``pending_step`` for many accounts of one organization in a constant number of queries (dashboard);
    ``index`` when the caller has read the organization's role holders already."""
    if not accounts:
        return {}
    index = index or HolderIndex(accounts[0].organization)
    decided: dict[int, list[Approval]] = {a.pk: [] for a in accounts}
    for approval in Approval.objects.filter(account_id__in=decided, workflow=name):
        decided[approval.account_id].append(approval)
    result: dict[int, PendingStep | None] = {}
    for account in accounts:
        if account.organization_id != index.organization.pk:
            raise ValueError("pending_steps takes accounts of one organization")
        result[account.pk] = engine_pending_step(
            subject(account, name, index=index, approvals=decided[account.pk])
        )
    return result


@transaction.atomic
def decide(*, actor: Any, account: OfficialAccount, approve: bool, comment: str = "") -> OfficialAccount:
    """承認 or 却下 of the pending step of the opening chain, by a holder of that step's role."""
    account = OfficialAccount.objects.select_for_update(of=("self",), no_key=True).get(pk=account.pk)
    if account.state != AccountState.REQUESTED:
        raise InvalidTransition(_("This account is not waiting for approval."))
    profile = profile_for(account.organization)
    on_chain = subject(account, OPEN)
    recorded = record_decision(
        actor=actor,
        subject=on_chain,
        obj=account,
        model=Approval,
        link={"account": account, "workflow": OPEN},
        approve=approve,
        comment=comment,
        four_eyes_rule=default_rule(),
        role_name=lambda role_id: profile.role(role_id).name,
        action_prefix="registry.account",
        before_approval=lambda: _require_complete_policy(account),
        wording=Wording(
            self_approval=_("You requested this account, so another approver must decide on it (%(rule)s)."),
            not_holder=_("This step is for %(role)s."),
            closed=InvalidTransition(_("Every step is already approved.")),
            reason_required=_("Write the reason for the rejection."),
        ),
    )
    chain_clause = on_chain.chain.citation
    if not recorded.approved:
        move(
            account,
            AccountState.REJECTED,
            actor=actor,
            action="registry.account.rejected",
            clause=chain_clause,
        )
    elif recorded.complete:
        move(
            account,
            AccountState.APPROVED,
            actor=actor,
            action="registry.account.approved",
            clause=chain_clause,
        )
        notify_after_commit(
            account, list(workflow(profile, OPEN).notify_after), "approved", {"account": str(account)}
        )
        notifications.tell_requester_to_activate(account)
    elif recorded.approved:
        tell_pending_approvers(account)
    return account


def _require_complete_policy(account: OfficialAccount) -> None:
    missing = [c for c in policy_completeness(account) if not c.filled]
    if missing:
        raise InvalidInput(
            _("The operating policy is incomplete: %(items)s")
            % {"items": "、".join(f"{c.item.label} {c.citation}" for c in missing)},
            field="policy",
        )


def tell_pending_approvers(account: OfficialAccount) -> None:
    """Those who may take the opening chain's pending step hear of it, but only once the operating policy
    is complete (before that nobody can approve)."""
    if account.state != AccountState.REQUESTED or not all(c.filled for c in policy_completeness(account)):
        return
    on_chain = subject(account, OPEN)
    step = engine_pending_step(on_chain)
    if step is not None:
        role = profile_for(account.organization).role(step.step.role).name
        notifications.approval_requested(account, step, on_chain.round, role)


@receiver(policy_completed, dispatch_uid="registry.requests.tell_pending_approvers")
def _policy_completed(sender: Any, *, account: OfficialAccount, **kwargs: Any) -> None:
    tell_pending_approvers(account)
