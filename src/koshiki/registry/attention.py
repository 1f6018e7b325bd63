"""What the registry needs from the signed-in user: approvals, due notices, reviews, dormant accounts.

Registered in RegistryConfig.ready (core/attention.py); each kind states what clears it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.core import attention
from koshiki.core.attention import Item, Viewer
from koshiki.guidelines import cite
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import scoped

from .lifecycle import LIVE_STATES, AccountState
from .models import ContinuationReview, Notice, OfficialAccount, PolicyVersion
from .reminders import CARRY_OUT, open_notices
from .roles import current_manager, is_manager, shared_index
from .services import pending_steps

APPROVAL = attention.kind(
    "registry.approval_waiting",
    role="approver",
    closes_when=gettext_lazy("You approve or reject the request at your step."),
)
NOTICE_DUE = attention.kind(
    "registry.notice_due",
    role="manage_accounts",
    closes_when=gettext_lazy("The change or closure is carried out, or cancelled."),
)
NOTICE_TAKE_DOWN = attention.kind(
    "registry.notice_take_down",
    role="manage_accounts",
    closes_when=gettext_lazy("The manager records that the notice has come down."),
)
POLICY_REVIEW = attention.kind(
    "registry.policy_review",
    role="manage_accounts",
    closes_when=gettext_lazy("A revised operating policy is saved."),
)
CONTINUATION_REVIEW = attention.kind(
    "registry.continuation_review",
    role="manage_accounts",
    closes_when=gettext_lazy("A continuation review is recorded."),
)
DORMANT = attention.kind(
    "registry.dormant",
    role="manage_accounts",
    closes_when=gettext_lazy("The account posts again, or its closure is announced."),
)

NO_CURRENT_MANAGER = attention.kind(
    "registry.no_current_manager",
    role="organization administrator",
    closes_when=gettext_lazy("A new manager is named for the account, or it is closed."),
)

UNASSIGNABLE = attention.kind(
    "registry.unassignable_step",
    role="organization administrator",
    closes_when=gettext_lazy("Someone holds the step's role (or it is routed), or the request is closed."),
)


@attention.provider
def accounts_without_a_manager(viewer: Viewer) -> Iterator[Item]:
    """For administrators: accounts whose named manager no longer counts (moved, left) or was never set."""
    if not viewer.staff.is_org_admin:
        return
    index = shared_index(viewer)
    for account in _accounts(viewer):
        if account.state != AccountState.CLOSED and current_manager(account, index) is None:
            yield NO_CURRENT_MANAGER.item(
                _("%(account)s has no current manager") % {"account": account},
                _("Name a manager from %(dept)s.") % {"dept": account.department.name},
                reverse("account-detail", args=[account.pk]),
                severity="warn",
            )


@attention.provider
def approvals_waiting_for_me(viewer: Viewer) -> Iterator[Item]:
    requested = list(
        scoped(OfficialAccount.objects, viewer.user)
        .filter(state=AccountState.REQUESTED)
        .select_related("organization", "department")
    )
    steps = pending_steps(requested, index=shared_index(viewer))
    for account in requested:
        step = steps[account.pk]
        if step is not None and viewer.staff in step.waiting_for:
            yield APPROVAL.item(
                _("Approval waiting: %(account)s") % {"account": account},
                _("Requested by %(dept)s.") % {"dept": account.department.name},
                reverse("account-detail", args=[account.pk]),
                severity="warn",
            )


def _managed(viewer: Viewer, *, closed_too: bool = False) -> list[OfficialAccount]:
    """Accounts the viewer manages, with their latest policy date and last review annotated and the role
    holders read once (a constant number of queries however many accounts; issue #11), read once per
    dashboard for both providers (closed ones filtered here, issue #12)."""
    managed: list[OfficialAccount] = viewer.shared("registry.managed", lambda: _read_managed(viewer))
    return managed if closed_too else [a for a in managed if a.state != AccountState.CLOSED]


def _accounts(viewer: Viewer) -> list[OfficialAccount]:
    """Every account of the body but rejected ones, with department, named manager (so checking that manager
    reads no staff list), latest policy date and last review: read once per dashboard for every registry
    provider (issue #12: 横浜市's accounts were read in full twice)."""
    return viewer.shared("registry.accounts", lambda: list(_read_accounts(viewer)))  # type: ignore[no-any-return]


def _read_accounts(viewer: Viewer) -> Any:
    accounts = scoped(OfficialAccount.objects, viewer.user).exclude(state=AccountState.REJECTED)
    return accounts.select_related("organization", "department", "manager").annotate(
        policy_created_at=Subquery(
            PolicyVersion.objects.filter(account=OuterRef("pk")).order_by("-version").values("created_at")[:1]
        ),
        last_reviewed_at=Subquery(
            ContinuationReview.objects.filter(account=OuterRef("pk"))
            .order_by("-reviewed_at")
            .values("reviewed_at")[:1]
        ),
    )


def _read_managed(viewer: Viewer) -> list[OfficialAccount]:
    index = shared_index(viewer)
    return [a for a in _accounts(viewer) if is_manager(viewer.user, a, index)]


@attention.provider
def notices_due(viewer: Viewer) -> Iterator[Item]:
    today = viewer.today
    managed = {a.pk: a for a in _managed(viewer, closed_too=True)}  # a closure notice outlives its account
    for due in open_notices(today, Notice.objects.filter(account_id__in=managed)):
        notice, account = due.notice, managed[due.notice.account_id]
        link = reverse("account-detail", args=[notice.account_id])
        if due.action == CARRY_OUT:
            yield NOTICE_DUE.item(
                _("%(kind)s of %(account)s on %(date)s")
                % {"kind": notice.get_kind_display(), "account": account, "date": notice.effective_on},
                _("Carry it out on the day."),
                link,
                due=notice.effective_on,
                severity="warn" if notice.effective_on <= today else "info",
            )
        else:
            yield NOTICE_TAKE_DOWN.item(
                _("The notice for %(account)s may come down") % {"account": account},
                _("It had to stay until %(date)s.") % {"date": notice.keep_until},
                link,
                due=notice.keep_until,
            )


@attention.provider
def reviews_due(viewer: Viewer) -> Iterator[Item]:
    now = viewer.now
    for account in _managed(viewer):
        profile = profile_for(account.organization)
        review = profile.operating_policy.review
        policy_created_at = account.policy_created_at  # type: ignore[attr-defined]
        clause = cite(profile, review)
        link = reverse("account-detail", args=[account.pk])
        if (
            account.state in LIVE_STATES
            and policy_created_at
            and policy_created_at < now - dt.timedelta(days=review.interval_days)
        ):
            yield POLICY_REVIEW.item(
                _("Review the operating policy of %(account)s") % {"account": account},
                _("Last revised on %(date)s.") % {"date": policy_created_at.date()},
                link,
                clause=clause,
            )
        reviewed = account.last_reviewed_at or account.state_changed_at  # type: ignore[attr-defined]
        if (
            profile.closure.criteria
            and account.state == AccountState.ACTIVE
            and reviewed
            and reviewed < now - dt.timedelta(days=review.interval_days)
        ):
            yield CONTINUATION_REVIEW.item(
                _("Review whether %(account)s should continue") % {"account": account},
                _("Check it against the guideline's closure criteria."),
                link,
                clause=cite(profile, profile.closure.criteria[0]),
            )
        dormant = dt.timedelta(days=profile.closure.dormant_after_days)
        last = account.last_post_at or account.state_changed_at
        if account.state == AccountState.ACTIVE and last and last < now - dormant:
            yield DORMANT.item(
                _("%(account)s has not posted for a long time") % {"account": account},
                _("Dormant accounts invite takeover: consider closing it."),
                link,
                severity="warn",
            )


@attention.provider
def unassignable_steps(viewer: Viewer) -> Iterator[Item]:
    """For administrators: requests waiting on a step nobody may take (issue #13: they would wait forever)."""
    if not viewer.staff.is_org_admin:
        return
    requested = [a for a in _accounts(viewer) if a.state == AccountState.REQUESTED]
    steps = pending_steps(requested, index=shared_index(viewer))
    for account in requested:
        step = steps[account.pk]
        if step is None or step.escalation is None:
            continue
        profile = profile_for(account.organization)
        yield UNASSIGNABLE.item(
            _("Nobody can approve: %(account)s") % {"account": account},
            _("Nobody holds %(role)s for %(dept)s: assign the role.")
            % {"role": profile.role(step.step.role).name, "dept": account.department.name},
            reverse("account-detail", args=[account.pk]),
            severity="danger",
            clause=cite(profile, profile.approvals.open_account),
        )
