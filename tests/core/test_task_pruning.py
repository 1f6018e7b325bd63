"""Finished task rows are pruned after KOSHIKI_TASK_RETENTION_DAYS, in bounded batches (issue #12).

The sweeper and the publish jobs leave one DBTaskResult row a run; nationwide that is millions a year.
Waiting and running rows are never touched, nor a lease-expired failure (the row that tells the publish
sweep a person must look at the post: posts/jobs.py _gave_up).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from koshiki.core import jobs
from koshiki.core.pruning import prune_finished_tasks
from koshiki.orgs.tasks import apply_due_personnel_changes_task


def _row(status: str, **also: Any) -> Any:
    result = apply_due_personnel_changes_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status=status, **also)
    return uuid.UUID(str(result.id))


def test_finished_rows_older_than_the_retention_are_pruned_in_batches(
    db: Any, clock: Any, settings: Any
) -> None:
    settings.KOSHIKI_TASK_RETENTION_DAYS = 14
    settings.KOSHIKI_TASK_PRUNE_BATCH = 2
    now = dt.datetime.now(dt.UTC)
    old = [_row(TaskResultStatus.SUCCESSFUL, finished_at=now) for _ in range(3)]
    old.append(_row(TaskResultStatus.FAILED, finished_at=now, exception_class_path="builtins.ValueError"))
    waiting = _row(TaskResultStatus.READY)
    running = _row(TaskResultStatus.RUNNING, started_at=now)
    lease_failed = _row(TaskResultStatus.FAILED, finished_at=now, exception_class_path=jobs.LEASE_EXPIRED)
    clock.shift(dt.timedelta(days=13))
    recent = _row(TaskResultStatus.SUCCESSFUL, finished_at=dt.datetime.now(dt.UTC))
    assert prune_finished_tasks(dt.datetime.now(dt.UTC)) == 0  # 13 days: nothing is old enough yet
    clock.shift(dt.timedelta(days=1, minutes=1))
    assert prune_finished_tasks(dt.datetime.now(dt.UTC)) == 4
    assert not DBTaskResult.objects.filter(pk__in=old).exists()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {waiting, running, lease_failed, recent}


def test_one_pass_deletes_at_most_a_few_batches_and_the_next_pass_goes_on(
    db: Any, clock: Any, settings: Any
) -> None:
    settings.KOSHIKI_TASK_PRUNE_BATCH = 2
    settings.KOSHIKI_TASK_PRUNE_BATCHES = 2
    now = dt.datetime.now(dt.UTC)
    for _ in range(5):
        _row(TaskResultStatus.SUCCESSFUL, finished_at=now)
    clock.shift(dt.timedelta(days=15))
    assert prune_finished_tasks(dt.datetime.now(dt.UTC)) == 4
    assert prune_finished_tasks(dt.datetime.now(dt.UTC)) == 1
    assert not DBTaskResult.objects.exists()


def test_the_pruning_is_a_registered_sweep(db: Any) -> None:
    assert jobs.SWEEPS["core.prune_finished_tasks"] is prune_finished_tasks


def test_a_daily_fan_outs_part_rows_are_pruned_like_any_finished_task(
    transactional_db: Any, clock: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One row a body a day (1,788 bodies nationwide) for each fan-out: they go with the rest."""
    from django.core.management import call_command

    settings.KOSHIKI_TASK_RETENTION_DAYS = 14
    monkeypatch.setattr(jobs, "FANOUTS", dict(jobs.FANOUTS))
    monkeypatch.setattr(jobs, "SWEEPS", {})

    def run(key: int, period: str) -> int:
        if key == 2:
            raise ValueError("body 2 is broken")
        return key

    jobs.register_fanout(
        "test.daily", due=lambda now: now.date().isoformat(), keys=lambda p: [1, 2, 3], run=run
    )
    assert jobs.fan_out("test.daily", dt.datetime.now(dt.UTC)) == 3
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
    parts = DBTaskResult.objects.filter(args_kwargs__args__0="test.daily")
    assert sorted(parts.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL", "SUCCESSFUL"]
    clock.shift(dt.timedelta(days=15))
    assert prune_finished_tasks(dt.datetime.now(dt.UTC)) >= 3
    assert not parts.exists()
