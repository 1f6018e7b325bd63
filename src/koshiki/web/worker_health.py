"""Dashboard items for background work that is stuck (core/jobs.py).

Worker health is deployment-wide (one queue, one sweeper), so its items go to every organization
administrator; a stuck post is shown only to its own organization's administrators (scoped queryset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.core import jobs
from koshiki.core.models import JobRun
from koshiki.orgs.models import Staff
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.scoping import scoped

from .attention import Attention, provider

SWEEPER_STALE_AFTER = dt.timedelta(minutes=5)
POST_OVERDUE_AFTER = dt.timedelta(minutes=5)
FAILED_RECENTLY = dt.timedelta(days=1)


def worker_health(now: dt.datetime | None = None) -> list[Attention]:
    """Deployment-wide: the sweeper's heartbeat, tasks past their lease, failed sweeps and recurring runs."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    moment = now or timezone.now()
    home = reverse("dashboard")
    items: list[Attention] = []
    beat = JobRun.objects.filter(name=jobs.SWEEPER).values_list("last_started_at", flat=True).first()
    if beat is None or beat < moment - SWEEPER_STALE_AFTER:
        items.append(Attention(
            _("Background sweeper has not run"),
            (_("Last run: %(when)s. Start the worker (koshiki manage worker).")
             % {"when": timezone.localtime(beat).strftime("%Y-%m-%d %H:%M")}) if beat
            else _("It has never run. Start the worker (koshiki manage worker)."),
            home, level="danger"))
    held = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=moment - jobs.lease()).count()
    if held:
        items.append(Attention(_("Background tasks held past their lease: %(count)d") % {"count": held},
                               _("Their worker probably died; the sweeper queues them again."), home, level="warn"))
    for run in JobRun.objects.exclude(last_error="").order_by("name"):
        items.append(Attention(_("Background job failed: %(name)s") % {"name": run.name}, run.last_error[:120], home,
                               level="danger"))
    recurring = [r.task.module_path for r in jobs.RECURRING.values()]
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__gte=moment - FAILED_RECENTLY)
    failed = failed.filter(task_path__in=recurring) | failed.filter(exception_class_path=jobs.LEASE_EXPIRED)
    for row in failed.order_by("-finished_at")[:5]:
        items.append(Attention(_("Background task failed: %(name)s") % {"name": row.task_path.rsplit(".", 1)[-1]},
                               (row.traceback.strip().splitlines() or [""])[-1][:120], home, level="danger"))
    return items


@provider
def stuck_background_work(user: Any, staff: Staff) -> Iterator[Attention]:
    if not can_manage_org(user, staff.organization):
        return
    yield from worker_health()
    from koshiki.posts.lifecycle import PostState
    from koshiki.posts.models import Post

    late = scoped(Post.objects, user).filter(state__in=[PostState.SCHEDULED, PostState.PUBLISHING],
                                             scheduled_at__lt=timezone.now() - POST_OVERDUE_AFTER)
    for post in late.select_related("account").order_by("scheduled_at")[:20]:
        yield Attention(_("Post not yet published: %(account)s") % {"account": post.account},
                        _("Scheduled for %(when)s.") % {"when": timezone.localtime(post.scheduled_at).strftime("%Y-%m-%d %H:%M")},
                        reverse("post-detail", args=[post.pk]), level="danger")
