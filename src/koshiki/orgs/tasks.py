"""Background jobs of the orgs domain (run by the worker: koshiki manage db_worker)."""

from __future__ import annotations

from django_tasks import task

from koshiki.core.request_id import set_request_id


@task()
def apply_due_personnel_changes_task() -> int:
    from .services.personnel import apply_due_personnel_changes

    set_request_id("job-apply-personnel")
    return apply_due_personnel_changes()
