"""Dashboard items: posts waiting for my approval, after-the-fact reports to acknowledge, failed publications,
and manual posts due to go out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.orgs.models import Staff
from koshiki.orgs.scoping import scoped
from koshiki.registry.roles import HolderIndex
from koshiki.web.attention import Attention, provider

from .lifecycle import PostState
from .models import AfterReport, Post
from .roles import can_write, report_reviewers
from .services.approval import pending_steps


@provider
def posts_for_me(user: Any, staff: Staff) -> Iterator[Attention]:
    posts = scoped(Post.objects, user).select_related("account__organization", "account__department",
                                                      "account__manager", "author", "organization")
    submitted = list(posts.filter(state=PostState.SUBMITTED))
    steps = pending_steps(submitted)
    index = HolderIndex(staff.organization)
    for post in submitted:
        step = steps[post.pk]
        if step is not None and staff in step.waiting_for:
            yield Attention(_("Post waiting for your approval: %(account)s") % {"account": post.account},
                            post.text[:60], reverse("post-detail", args=[post.pk]), level="warn")
    reports = scoped(AfterReport.objects, user).filter(acknowledged_at__isnull=True).select_related(
        "post__organization", "post__account__organization", "post__account__department", "post__account__manager")
    for report in reports:
        if staff in report_reviewers(report.post, index):
            yield Attention(_("After-the-fact report: %(account)s") % {"account": report.post.account},
                            report.post.text[:60], reverse("after-reports"), due=report.due_on,
                            level="danger" if report.due_on < timezone.localdate() else "warn")
    for post in posts.filter(state=PostState.FAILED).prefetch_related("account__operators"):
        if can_write(user, post.account, index):
            yield Attention(_("Publishing failed: %(account)s") % {"account": post.account}, post.last_error[:120],
                            reverse("post-detail", args=[post.pk]), level="danger")
