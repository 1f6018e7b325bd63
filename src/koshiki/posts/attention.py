"""Dashboard items: posts waiting for my approval, after-the-fact reports to acknowledge, failed publications.

Registered in PostsConfig.ready (core/attention.py); each kind states what clears it."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.core import attention
from koshiki.core.attention import Item, Viewer
from koshiki.orgs.scoping import scoped
from koshiki.registry.roles import shared_index

from .lifecycle import PostState
from .models import AfterReport, Post
from .roles import ApproverIndex, can_write
from .services.approval import pending_steps

APPROVAL = attention.kind(
    "posts.approval_waiting",
    role="approver",
    closes_when=gettext_lazy("You approve or return the post at your step, or it is withdrawn."),
)
AFTER_REPORT = attention.kind(
    "posts.after_report",
    role="report_reviewer",
    closes_when=gettext_lazy("The after-the-fact report is acknowledged."),
)
PUBLISH_FAILED = attention.kind(
    "posts.publish_failed",
    role="write_posts",
    closes_when=gettext_lazy("Publishing is retried (or the post withdrawn)."),
)


@attention.provider
def posts_for_me(viewer: Viewer) -> Iterator[Item]:
    """A constant number of queries however many posts: one HolderIndex and
    batched approval steps (issue #11)."""
    user, staff = viewer.user, viewer.staff
    posts = scoped(Post.objects, user).select_related(
        "account__organization", "account__department", "account__manager", "author", "organization"
    )
    index = shared_index(viewer)
    submitted = list(posts.filter(state=PostState.SUBMITTED))
    steps = pending_steps(submitted, index=index)
    for post in submitted:
        step = steps[post.pk]
        if step is not None and staff in step.waiting_for:
            yield APPROVAL.item(
                _("Post waiting for your approval: %(account)s") % {"account": post.account},
                post.text[:60],
                reverse("post-detail", args=[post.pk]),
                severity="warn",
            )
    reports = (
        scoped(AfterReport.objects, user)
        .filter(acknowledged_at__isnull=True)
        .select_related(
            "post__organization",
            "post__account__organization",
            "post__account__department",
            "post__account__manager",
        )
    )
    reviewers = ApproverIndex(index)  # approvers once per 課, not per report
    for report in reports:
        if staff in reviewers.report_reviewers(report.post):
            yield AFTER_REPORT.item(
                _("After-the-fact report: %(account)s") % {"account": report.post.account},
                report.post.text[:60],
                reverse("after-reports"),
                due=report.due_on,
                severity="danger" if report.due_on < viewer.today else "warn",
            )
    for post in posts.filter(state=PostState.FAILED).prefetch_related("account__operators"):
        if can_write(user, post.account, index):
            yield PUBLISH_FAILED.item(
                _("Publishing failed: %(account)s") % {"account": post.account},
                post.last_error[:120],
                reverse("post-detail", args=[post.pk]),
                severity="danger",
            )
