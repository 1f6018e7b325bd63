"""Background jobs: publish at the scheduled time, sweep up after crashed workers, delete corrected originals."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from koshiki.core.request_id import set_request_id

SWEEP_EVERY = dt.timedelta(seconds=60)


@task()
def publish_post_task(post_id: int) -> str:
    from .services.publishing import publish_due

    set_request_id(f"job-publish-{post_id}")
    outcome = publish_due(post_id)
    if outcome == "early":  # queued before a reschedule: come back at the time now set
        from .models import Post

        post = Post.objects.get(pk=post_id)
        enqueue_publish(post_id, post.scheduled_at)
    return outcome


def enqueue_publish(post_id: int, run_after: dt.datetime | None) -> None:
    if run_after is not None and run_after > timezone.now():
        publish_post_task.using(run_after=run_after).enqueue(post_id)
    else:
        publish_post_task.enqueue(post_id)


@task()
def delete_original_task(original_id: int, correction_id: int) -> str:
    from .services.publishing import delete_original

    set_request_id(f"job-delete-{original_id}")
    return delete_original(original_id, correction_id)


@task()
def sweep_publishing_task() -> int:
    """Every minute: posts left 'publishing' by a crashed worker are reconciled (never posted twice)."""
    from .services.publishing import reconcile_stuck

    set_request_id("job-publish-sweep")
    done = len(reconcile_stuck())
    sweep_publishing_task.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()
    return done


def ensure_publish_sweeper() -> bool:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    path = sweep_publishing_task.module_path
    if DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists():
        return False
    sweep_publishing_task.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()
    return True
