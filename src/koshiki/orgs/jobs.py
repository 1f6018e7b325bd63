"""The orgs domain's named job and sweep: a personnel change whose date has come is applied from its row,
even if the task queued for that date was lost (each change moves scheduled → applied by compare-and-set)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from koshiki.core import jobs

from .tasks import apply_due_personnel_changes_task

jobs.register_job("orgs.apply_due_personnel_changes", apply_due_personnel_changes_task)


@jobs.sweep("orgs.personnel_changes")
def apply_due(now: dt.datetime) -> int:
    from .services.personnel import apply_due_personnel_changes

    return apply_due_personnel_changes(timezone.localdate(now))
