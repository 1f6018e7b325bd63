"""Dashboard items for background work that is stuck (core/jobs.py).

Worker health is deployment-wide (one queue, one sweeper), so its items go to every organization
administrator; a stuck post is shown only to its own organization's administrators (scoped queryset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.core import attention, jobs
from koshiki.core.attention import Item, Viewer
from koshiki.core.models import JobRun
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.scoping import scoped

SWEEPER_STALE_AFTER = dt.timedelta(minutes=5)
POST_OVERDUE_AFTER = dt.timedelta(minutes=5)
FAILED_RECENTLY = dt.timedelta(days=1)

SWEEPER_STALE = attention.kind(
    "core.sweeper_stale",
    role="org_admin",
    closes_when=gettext_lazy("The worker runs and the sweeper beats again."),
)
TASKS_HELD = attention.kind(
    "core.tasks_held",
    role="org_admin",
    closes_when=gettext_lazy("The sweeper queues the held tasks again (or fails them)."),
)
JOB_FAILED = attention.kind(
    "core.job_failed", role="org_admin", closes_when=gettext_lazy("The job's next run succeeds.")
)
TASK_FAILED = attention.kind(
    "core.task_failed",
    role="org_admin",
    closes_when=gettext_lazy("A day passes without the task failing again."),
)
POST_LATE = attention.kind(
    "posts.not_yet_published",
    role="org_admin",
    closes_when=gettext_lazy("The post is published, fails visibly or is withdrawn."),
)


def worker_health(now: dt.datetime | None = None) -> list[Item]:
    """Deployment-wide: the sweeper's heartbeat, tasks past their lease, failed sweeps and recurring runs."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    moment = now or timezone.now()
    home = reverse("dashboard")
    items: list[Item] = []
    beat = JobRun.objects.filter(name=jobs.SWEEPER).values_list("last_started_at", flat=True).first()
    if beat is None or beat < moment - SWEEPER_STALE_AFTER:
        items.append(
            SWEEPER_STALE.item(
                _("Background sweeper has not run"),
                (
                    _("Last run: %(when)s. Start the worker (koshiki manage worker).")
                    % {"when": timezone.localtime(beat).strftime("%Y-%m-%d %H:%M")}
                )
                if beat
                else _("It has never run. Start the worker (koshiki manage worker)."),
                home,
                severity="danger",
            )
        )
    held = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=moment - jobs.lease()
    ).count()
    if held:
        items.append(
            TASKS_HELD.item(
                _("Background tasks held past their lease: %(count)d") % {"count": held},
                _("Their worker probably died; the sweeper queues them again."),
                home,
                severity="warn",
            )
        )
    for run in JobRun.objects.exclude(last_error="").order_by("name"):
        items.append(
            JOB_FAILED.item(
                _("Background job failed: %(name)s") % {"name": run.name},
                run.last_error[:120],
                home,
                severity="danger",
            )
        )
    recurring = [r.task.module_path for r in jobs.RECURRING.values()]
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__gte=moment - FAILED_RECENTLY
    )
    failed = failed.filter(task_path__in=recurring) | failed.filter(exception_class_path=jobs.LEASE_EXPIRED)
    for row in failed.order_by("-finished_at")[:5]:
        items.append(
            TASK_FAILED.item(
                _("Background task failed: %(name)s") % {"name": row.task_path.rsplit(".", 1)[-1]},
                (row.traceback.strip().splitlines() or [""])[-1][:120],
                home,
                severity="danger",
            )
        )
    return items


@attention.provider
def stuck_background_work(viewer: Viewer) -> Iterator[Item]:
    user = viewer.user
    if not can_manage_org(user, viewer.staff.organization):
        return
    yield from worker_health(viewer.now)
    from koshiki.posts.lifecycle import PostState
    from koshiki.posts.models import Post

    late = scoped(Post.objects, user).filter(
        state__in=[PostState.SCHEDULED, PostState.PUBLISHING],
        scheduled_at__lt=viewer.now - POST_OVERDUE_AFTER,
    )
    for post in late.select_related("account").order_by("scheduled_at")[:20]:
        yield POST_LATE.item(
            _("Post not yet published: %(account)s") % {"account": post.account},
            _("Scheduled for %(when)s.")
            % {"when": timezone.localtime(post.scheduled_at).strftime("%Y-%m-%d %H:%M")},
            reverse("post-detail", args=[post.pk]),
            severity="danger",
        )
