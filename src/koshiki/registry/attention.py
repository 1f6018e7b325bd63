"""What the registry needs from the signed-in user: approvals, due notices, reviews, dormant accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.guidelines import cite
from koshiki.orgs.models import Staff
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import scoped
from koshiki.web.attention import Attention, provider

from .lifecycle import LIVE_STATES, AccountState
from .models import Notice, OfficialAccount
from .roles import is_manager
from .services import pending_step
from .services.policy import current_policy


@provider
def approvals_waiting_for_me(user: Any, staff: Staff) -> Iterator[Attention]:
    for account in scoped(OfficialAccount.objects, user).filter(state=AccountState.REQUESTED).select_related("department"):
        step = pending_step(account)
        if step is not None and staff in step.waiting_for:
            yield Attention(_("Approval waiting: %(account)s") % {"account": account},
                            _("Requested by %(dept)s.") % {"dept": account.department.name},
                            reverse("account-detail", args=[account.pk]), level="warn")


def _managed(user: Any) -> list[OfficialAccount]:
    accounts = scoped(OfficialAccount.objects, user).exclude(state__in=[AccountState.CLOSED, AccountState.REJECTED])
    return [a for a in accounts.select_related("organization", "department") if is_manager(user, a)]


@provider
def notices_due(user: Any, staff: Staff) -> Iterator[Attention]:
    today = timezone.localdate()
    managed = {a.pk: a for a in _managed(user)}
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
    for account in _managed(user):
        profile = profile_for(account.organization)
        review = profile.operating_policy.review
        policy = current_policy(account)
        clause = cite(profile, review)
        if account.state in LIVE_STATES and policy and policy.created_at < now - dt.timedelta(days=review.interval_days):
            yield Attention(_("Review the operating policy of %(account)s") % {"account": account},
                            _("Last revised on %(date)s.") % {"date": policy.created_at.date()},
                            reverse("account-detail", args=[account.pk]), clause=clause)
        last_review = account.reviews.order_by("-reviewed_at").first()
        reviewed = last_review.reviewed_at if last_review else account.state_changed_at
        if profile.closure.criteria and account.state == AccountState.ACTIVE and reviewed \
                and reviewed < now - dt.timedelta(days=review.interval_days):
            yield Attention(_("Review whether %(account)s should continue") % {"account": account},
                            _("Check it against the guideline's closure criteria."),
                            reverse("account-detail", args=[account.pk]),
                            clause=cite(profile, profile.closure.criteria[0]))
        dormant = dt.timedelta(days=profile.closure.dormant_after_days)
        last = account.last_post_at or account.state_changed_at
        if account.state == AccountState.ACTIVE and last and last < now - dormant:
            yield Attention(_("%(account)s has not posted for a long time") % {"account": account},
                            _("Dormant accounts invite takeover: consider closing it."),
                            reverse("account-detail", args=[account.pk]), level="warn")
