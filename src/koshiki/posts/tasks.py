"""Background jobs: publish at the scheduled time, delete corrected originals. Sweeps: posts/jobs.py."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from koshiki.core.request_id import set_request_id


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
    """Kept for runs queued before the core sweeper (core/jobs.py) took over; no longer requeues itself."""
    from .services.publishing import reconcile_stuck

    set_request_id("job-publish-sweep")
    return len(reconcile_stuck())
