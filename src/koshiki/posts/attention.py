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

from .lifecycle import PostState
from .models import AfterReport, Post
from .roles import can_write, report_reviewers
from .services.approval import pending_step

APPROVAL = attention.kind("posts.approval_waiting", role="approver",
                          closes_when=gettext_lazy("You approve or return the post at your step, or it is withdrawn."))
AFTER_REPORT = attention.kind("posts.after_report", role="report_reviewer",
                              closes_when=gettext_lazy("The after-the-fact report is acknowledged."))
PUBLISH_FAILED = attention.kind("posts.publish_failed", role="write_posts",
                                closes_when=gettext_lazy("Publishing is retried (or the post withdrawn)."))


@attention.provider
def posts_for_me(viewer: Viewer) -> Iterator[Item]:
    user, staff = viewer.user, viewer.staff
    posts = scoped(Post.objects, user).select_related("account", "author")
    for post in posts.filter(state=PostState.SUBMITTED):
        step = pending_step(post)
        if step is not None and staff in step.waiting_for:
            yield APPROVAL.item(_("Post waiting for your approval: %(account)s") % {"account": post.account},
                                post.text[:60], reverse("post-detail", args=[post.pk]), severity="warn")
    reports = AfterReport.objects.filter(post__organization=staff.organization, acknowledged_at__isnull=True)
    for report in reports.select_related("post__account"):
        if staff in report_reviewers(report.post):
            yield AFTER_REPORT.item(_("After-the-fact report: %(account)s") % {"account": report.post.account},
                                    report.post.text[:60], reverse("after-reports"), due=report.due_on,
                                    severity="danger" if report.due_on < viewer.today else "warn")
    for post in posts.filter(state=PostState.FAILED):
        if can_write(user, post.account):
            yield PUBLISH_FAILED.item(_("Publishing failed: %(account)s") % {"account": post.account},
                                      post.last_error[:120], reverse("post-detail", args=[post.pk]), severity="danger")
