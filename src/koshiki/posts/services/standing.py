"""Standing approvals (包括許可) and the approver's after-the-fact list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import acting_staff, staff_of
from koshiki.registry.models import OfficialAccount

from ..models import AfterReport, Category, StandingApproval
from ..roles import can_approve, own_ids, report_reviewers
from ..rules import posting_rules


@transaction.atomic
def grant_standing_approval(
    *,
    actor: Any,
    account: OfficialAccount,
    categories: list[str],
    description: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> StandingApproval:
    if not can_approve(actor, account):
        raise NotPermitted(_("Only an approver of this account can grant a standing approval."))
    rules = posting_rules(profile_for(account.organization))
    if not rules.standing_allowed:
        raise InvalidInput(_("Your guideline does not provide for standing approvals: approve each post."))
    if not categories or any(c not in Category.values for c in categories):
        raise InvalidInput(_("Choose the categories it covers."), field="categories")
    if not description.strip():
        raise InvalidInput(_("Describe the scope, e.g. library event notices."), field="description")
    if ends_on < starts_on or ends_on - starts_on > dt.timedelta(days=366):
        raise InvalidInput(_("The period must end after it starts, within a year."), field="ends_on")
    standing = StandingApproval.objects.create(
        organization=account.organization,
        account=account,
        categories=sorted(set(categories)),
        description=description.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=acting_staff(actor),
    )
    log_action(
        "posts.standing_approval.granted",
        actor=actor,
        obj=account,
        after={
            "standing_approval": standing.pk,
            "categories": standing.categories,
            "description": standing.description,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
        clause=rules.standing_citation,
    )
    return standing


@transaction.atomic
def revoke_standing_approval(*, actor: Any, standing: StandingApproval) -> StandingApproval:
    standing = StandingApproval.objects.select_for_update(of=("self",), no_key=True).get(pk=standing.pk)
    if not can_approve(actor, standing.account):
        raise NotPermitted(_("Only an approver of this account can revoke a standing approval."))
    if standing.revoked_at is None:
        standing.revoked_at = timezone.now()
        standing.save(update_fields=["revoked_at"])
        log_action(
            "posts.standing_approval.revoked",
            actor=actor,
            obj=standing.account,
            after={"standing_approval": standing.pk},
        )
    return standing


@transaction.atomic
def acknowledge_after_report(*, actor: Any, report: AfterReport, comment: str = "") -> AfterReport:
    report = (
        AfterReport.objects.select_for_update(of=("self",), no_key=True)
        .select_related("post__account")
        .get(pk=report.pk)
    )
    staff = staff_of(actor)
    if staff is None or staff not in report_reviewers(report.post):
        if staff is not None and (
            staff.pk in own_ids(report.post) or staff.pk == report.post.submitted_by_id
        ):
            rules = posting_rules(profile_for(report.post.organization))
            raise NotPermitted(
                _("You wrote or published this post, so someone else acknowledges its report (%(rule)s).")
                % {"rule": rules.four_eyes_citation}
            )
        raise NotPermitted(_("Only an approver of this account can acknowledge the report."))
    if report.acknowledged_at is not None:
        raise InvalidInput(_("Already acknowledged."))
    report.acknowledged_by, report.acknowledged_at, report.comment = (
        staff_of(actor),
        timezone.now(),
        comment.strip(),
    )
    report.save(update_fields=["acknowledged_by", "acknowledged_at", "comment"])
    log_action(
        "posts.after_report.acknowledged",
        actor=actor,
        obj=report.post,
        organization=report.post.organization,
        after={"reason": report.reason, "comment": report.comment},
    )
    return report
