"""The posts domain's named jobs and row-state sweeps (core/jobs.py): a due post is found from its row,
not only from a queued task, so a worker that died holding the task cannot leave it 'scheduled' forever.
A post scheduled for later, or waiting out a retry, is queued only by this sweep, when due (issue #12)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from koshiki.core import jobs

from .lifecycle import PostState
from .models import ChannelCredential, Post
from .tasks import delete_original_task, enqueue_publish, publish_post_task

OVERDUE_AFTER = dt.timedelta(seconds=60)  # the worker's own task normally runs within seconds of the time

jobs.register_job("posts.publish", publish_post_task)
jobs.register_job("posts.delete_original", delete_original_task)


def _post_id(args_kwargs: dict[str, object]) -> object:
    args = args_kwargs.get("args") or []
    kwargs = args_kwargs.get("kwargs") or {}
    return (
        args[0]
        if isinstance(args, list) and args
        else (kwargs.get("post_id") if isinstance(kwargs, dict) else None)
    )


def _gave_up(post_ids: set[int]) -> set[int]:
    """Posts whose publish task died past its lease as often as the cap allows:
    left for a person (dashboard)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    failed = DBTaskResult.objects.filter(
        task_path=publish_post_task.module_path,
        status=TaskResultStatus.FAILED,
        exception_class_path=jobs.LEASE_EXPIRED,
    )
    counts: dict[object, int] = {}
    for args_kwargs in failed.values_list("args_kwargs", flat=True):
        key = _post_id(args_kwargs)
        counts[key] = counts.get(key, 0) + 1
    return {pk for pk in post_ids if counts.get(pk, 0) >= 1}


def overdue_posts(now: dt.datetime) -> list[int]:
    """Scheduled posts on an API channel that are due now and have no waiting or running publish task.

    A post is handed to this sweep when its service did not queue it (issue #12: nothing is parked with a
    future run time): one scheduled for later (its time came after it was scheduled), or one waiting out a
    retry backoff (retry_at). A post the service queued at once is looked at only OVERDUE_AFTER later, as a
    backstop for a lost task, so the sweep does not race the service's own queueing.
    """
    due_now = (Q(scheduled_at__lte=now) | Q(scheduled_at__isnull=True)) & (
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )
    left_to_sweep = (
        Q(state_changed_at__lte=now - OVERDUE_AFTER)
        | Q(retry_at__isnull=False)
        | Q(scheduled_at__gt=F("state_changed_at"))
    )
    api = ChannelCredential.objects.exclude(kind=ChannelCredential.Kind.MANUAL).values("account_id")
    due = Post.objects.filter(due_now & left_to_sweep, state=PostState.SCHEDULED, account_id__in=api)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return []
    live = {_post_id(a) for a in jobs.live_tasks(publish_post_task)}
    candidates = {pk for pk in ids if pk not in live}
    return sorted(candidates - _gave_up(candidates))


@jobs.sweep("posts.publish_overdue", often=True)
def publish_overdue(now: dt.datetime) -> int:
    """Queue a publish task for each due post (see overdue_posts); publishing itself is exactly-once
    (PublishAttempt + key). Each worker runs it every KOSHIKI_DUE_POLL_SECONDS (1 s), the sweeper every
    KOSHIKI_SWEEP_SECONDS (60 s) as the backstop; they take turns, so a post is queued once."""
    with jobs.turn("posts.publish_overdue"):
        found = overdue_posts(now)
        for post_id in found:
            enqueue_publish(post_id, None)
    return len(found)


@jobs.sweep("posts.reconcile_publishing")
def reconcile_publishing(now: dt.datetime) -> int:
    """Posts a crashed worker left 'publishing': found on the platform or published under the same key."""
    from .services.publishing import reconcile_stuck

    return len(reconcile_stuck(now=now))
