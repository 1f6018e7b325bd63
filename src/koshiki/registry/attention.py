"""What the registry needs from the signed-in user: approvals, due notices, reviews, dormant accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.orgs.models import Staff
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import scoped
from koshiki.web.attention import Attention, provider

from .lifecycle import LIVE_STATES, AccountState
from .models import ContinuationReview, Notice, OfficialAccount, PolicyVersion
from .roles import HolderIndex, is_manager
from .services import pending_step


@provider
def approvals_waiting_for_me(user: Any, staff: Staff) -> Iterator[Attention]:
    for account in scoped(OfficialAccount.objects, user).filter(state=AccountState.REQUESTED).select_related("department"):
        step = pending_step(account)
        if step is not None and staff in step.waiting_for:
            yield Attention(_("Approval waiting: %(account)s") % {"account": account},
                            _("Requested by %(dept)s.") % {"dept": account.department.name},
                            reverse("account-detail", args=[account.pk]), level="warn")


def _managed(user: Any, staff: Staff) -> list[OfficialAccount]:
    """Accounts the user manages, with their latest policy date and last review (no query per account)."""
    accounts = scoped(OfficialAccount.objects, user).exclude(state__in=[AccountState.CLOSED, AccountState.REJECTED])
    accounts = accounts.select_related("organization", "department").annotate(
        policy_created_at=Subquery(PolicyVersion.objects.filter(account=OuterRef("pk")).order_by("-version")
                                   .values("created_at")[:1]),
        last_reviewed_at=Subquery(ContinuationReview.objects.filter(account=OuterRef("pk")).order_by("-reviewed_at")
                                  .values("reviewed_at")[:1]),
    )
    index = HolderIndex(staff.organization)
    return [a for a in accounts if is_manager(user, a, index)]


@provider
def notices_due(user: Any, staff: Staff) -> Iterator[Attention]:
    today = timezone.localdate()
    managed = {a.pk: a for a in _managed(user, staff)}
    notices = Notice.objects.filter(account_id__in=managed)
    for notice in notices.filter(state=Notice.State.SCHEDULED, effective_on__lte=today + dt.timedelta(days=7)):
        yield Attention(_("%(kind)s of %(account)s on %(date)s") % {"kind": notice.get_kind_display(), "account": managed[notice.account_id], "date": notice.effective_on},
                        _("Carry it out on the day."), reverse("account-detail", args=[notice.account_id]),
                        due=notice.effective_on, level="warn" if notice.effective_on <= today else "info")
    for notice in notices.filter(state=Notice.State.DONE, keep_until__lte=today):
        yield Attention(_("The notice for %(account)s may come down") % {"account": managed[notice.account_id]},
                        _("It had to stay until %(date)s.") % {"date": notice.keep_until},
                        reverse("account-detail", args=[notice.account_id]), due=notice.keep_until)


@provider
def reviews_due(user: Any, staff: Staff) -> Iterator[Attention]:
    now = timezone.now()
    for account in _managed(user, staff):
        profile = profile_for(account.organization)
        review = profile.operating_policy.review
        policy_created_at = account.policy_created_at  # type: ignore[attr-defined]
        clause = profile.cite(review.clause) if review.clause else ""
        if account.state in LIVE_STATES and policy_created_at and policy_created_at < now - dt.timedelta(days=review.interval_days):
            yield Attention(_("Review the operating policy of %(account)s") % {"account": account},
                            _("Last revised on %(date)s.") % {"date": policy_created_at.date()},
                            reverse("account-detail", args=[account.pk]), clause=clause)
        reviewed = account.last_reviewed_at or account.state_changed_at  # type: ignore[attr-defined]
        if profile.closure.criteria and account.state == AccountState.ACTIVE and reviewed \
                and reviewed < now - dt.timedelta(days=review.interval_days):
            criteria_clause = profile.closure.criteria[0].clause
            yield Attention(_("Review whether %(account)s should continue") % {"account": account},
                            _("Check it against the guideline's closure criteria."),
                            reverse("account-detail", args=[account.pk]),
                            clause=profile.cite(criteria_clause) if criteria_clause else "")
        dormant = dt.timedelta(days=profile.closure.dormant_after_days)
        last = account.last_post_at or account.state_changed_at
        if account.state == AccountState.ACTIVE and last and last < now - dormant:
            yield Attention(_("%(account)s has not posted for a long time") % {"account": account},
                            _("Dormant accounts invite takeover: consider closing it."),
                            reverse("account-detail", args=[account.pk]), level="warn")
