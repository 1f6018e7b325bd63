"""Prune finished task rows (issue #12): one DBTaskResult row a run adds up to millions a year nationwide.

Rows that finished (SUCCESSFUL or FAILED) more than KOSHIKI_TASK_RETENTION_DAYS ago (default 14) go, a
bounded batch at a time so one pass never holds a long lock or a long transaction; what is left goes on
the next pass. Waiting and running rows are never touched, and neither is a lease-expired failure: it is
the row that tells the publish sweep a person must look at the post (posts/jobs.py _gave_up).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from . import jobs


def retention() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "KOSHIKI_TASK_RETENTION_DAYS", 14)))


@jobs.sweep("core.prune_finished_tasks")
def prune_finished_tasks(now: dt.datetime) -> int:
    """Delete finished rows older than the retention; at most BATCHES × BATCH a pass. Returns the count."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    batch = int(getattr(settings, "KOSHIKI_TASK_PRUNE_BATCH", 1000))
    batches = int(getattr(settings, "KOSHIKI_TASK_PRUNE_BATCHES", 10))
    old = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=now - retention(),
    ).exclude(status=TaskResultStatus.FAILED, exception_class_path=jobs.LEASE_EXPIRED)
    deleted = 0
    for _ in range(batches):
        ids = list(old.order_by().values_list("pk", flat=True)[:batch])
        if not ids:
            break
        deleted += DBTaskResult.objects.filter(pk__in=ids).delete()[0]
    return deleted
