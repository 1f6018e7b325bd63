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
    # "early": queued before a reschedule; the sweep (posts/jobs.py) queues it again at the time now set.
    return publish_due(post_id)


def enqueue_publish(post_id: int, run_after: dt.datetime | None) -> None:
    """Queue the post now if it is due. A later one is not parked (issue #12: every worker's claim query
    walks past parked rows); the sweep queues it when its time comes."""
    if run_after is not None and run_after > timezone.now():
        return
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
