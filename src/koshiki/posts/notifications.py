"""Who hears what about a post, in-app (お知らせ) and by e-mail, each in their own language (koshiki.notify).

Services call these inside their transaction; ``tell`` delivers after commit. Each call names its event
(post, round or attempt, what happened), so a retried job or a second call never tells anyone twice.
The texts name the post by number and account, never quote its text (it may hold personal data).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from koshiki.core.approvals import PendingStep
from koshiki.notify import messages
from koshiki.notify.service import tell
from koshiki.registry.roles import current_manager

APPROVAL_REQUESTED = messages.define(
    "posts.approval_requested",
    gettext_lazy("Approval requested: post #%(post)s on %(account)s"),
    gettext_lazy(
        "Post #%(post)s on %(account)s is waiting for your decision (%(role)s). Open it to approve it or"
        " send it back."
    ),
)
APPROVED_MANUAL = messages.define(
    "posts.approved_manual",
    gettext_lazy("Approved, now post it by hand: post #%(post)s on %(account)s"),
    gettext_lazy(
        "Post #%(post)s has been approved. %(account)s is published by hand: post it on the platform at"
        " %(scheduled)s, then record the post's address on its page in Koshiki."
    ),
)
REJECTED = messages.define(
    "posts.rejected",
    gettext_lazy("Sent back: post #%(post)s on %(account)s"),
    gettext_lazy("%(by)s sent post #%(post)s back for changes.\nComment: %(comment)s"),
)
WITHDRAWN = messages.define(
    "posts.withdrawn",
    gettext_lazy("Withdrawn by someone else: post #%(post)s on %(account)s"),
    gettext_lazy("%(by)s withdrew your post #%(post)s.\nReason: %(reason)s"),
)
PUBLISHED = messages.define(
    "posts.published",
    gettext_lazy("Published: post #%(post)s on %(account)s"),
    gettext_lazy("Post #%(post)s is published: %(url)s"),
)
FAILED = messages.define(
    "posts.failed",
    gettext_lazy("Publishing failed: post #%(post)s on %(account)s"),
    gettext_lazy(
        "Post #%(post)s could not be published: %(error)s\nRetry it or withdraw it from the post's page."
    ),
)
AFTER_REPORT = messages.define(
    "posts.after_report",
    gettext_lazy("After-the-fact report to acknowledge: post #%(post)s on %(account)s"),
    gettext_lazy(
        "Post #%(post)s went out without per-post approval (%(reason)s). Acknowledge it by %(due)s in"
        " the after-the-fact list."
    ),
)


def _link(post: Any) -> str:
    return reverse("post-detail", args=[post.pk])


def _context(post: Any, **extra: Any) -> dict[str, Any]:
    return {"post": post.pk, "account": str(post.account), **extra}


def _name(staff: Any) -> str:
    return str(staff.display_name) if staff is not None else ""


def approval_requested(post: Any, step: PendingStep | None, role_name: str) -> None:
    """The people who may take the pending step (the engine's ``waiting_for``), once per step and round."""
    if step is None or not step.waiting_for:
        return
    tell(
        message=APPROVAL_REQUESTED,
        context=_context(post, role=role_name),
        staff=step.waiting_for,
        link=_link(post),
        event=f"post:{post.pk}:r{post.approval_round}:s{step.index}:requested",
    )


def approved_manual(post: Any) -> None:
    """The author posts it by hand: the account has no API channel."""
    when = timezone.localtime(post.scheduled_at).strftime("%Y-%m-%d %H:%M") if post.scheduled_at else ""
    tell(
        message=APPROVED_MANUAL,
        context=_context(post, scheduled=when),
        staff=[post.author],
        link=_link(post),
        event=f"post:{post.pk}:r{post.approval_round}:approved_manual",
    )


def rejected(post: Any, by: Any, comment: str) -> None:
    tell(
        message=REJECTED,
        context=_context(post, by=_name(by), comment=comment),
        staff=[post.author],
        link=_link(post),
        event=f"post:{post.pk}:r{post.approval_round}:rejected",
    )


def withdrawn(post: Any, by: Any, reason: str) -> None:
    """The author, when someone else withdrew the post."""
    if by is None or by.pk == post.author_id:
        return
    tell(
        message=WITHDRAWN,
        context=_context(post, by=_name(by), reason=reason),
        staff=[post.author],
        link=_link(post),
        event=f"post:{post.pk}:withdrawn",
    )


def published(post: Any, by: Any = None) -> None:
    """The author, unless they recorded the publication themselves."""
    if by is not None and by.pk == post.author_id:
        return
    tell(
        message=PUBLISHED,
        context=_context(post, url=post.remote_url),
        staff=[post.author],
        link=_link(post),
        event=f"post:{post.pk}:published",
    )


def failed(post: Any, error: str, attempt_id: int) -> None:
    """The author and the account's manager, once per failed attempt (a post tried again may fail again)."""
    people = [post.author, current_manager(post.account)]
    tell(
        message=FAILED,
        context=_context(post, error=error),
        staff=[p for p in people if p is not None],
        link=_link(post),
        event=f"post:{post.pk}:attempt{attempt_id}:failed",
    )


def after_report_waiting(post: Any, report: Any, reviewers: list[Any]) -> None:
    """The approvers who acknowledge the report (never its writers)."""
    tell(
        message=AFTER_REPORT,
        context=_context(post, reason=report.reason, due=report.due_on.isoformat()),
        staff=reviewers,
        link=reverse("after-reports"),
        event=f"post:{post.pk}:after_report",
    )
