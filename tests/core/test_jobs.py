"""Jobs by name and row-state sweeps (core/jobs.py): leases, recurring jobs, once-a-period work, the sweeper.

Time is faked the project's way: the functions take ``now``; rows are aged by updating their timestamps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from koshiki.core import jobs
from koshiki.core.models import JobRun
from koshiki.core.tasks import sweeper_task
from koshiki.orgs.tasks import apply_due_personnel_changes_task

LATER = dt.timedelta(seconds=601)


def _held(task: Any, *, claims: int, started: dt.datetime) -> DBTaskResult:
    """A run a worker claimed and (as far as the row says) still holds."""
    result = task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=[f"dead-{n}" for n in range(claims)]
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_held_past_its_lease_is_queued_again(db: Any) -> None:
    row = _held(apply_due_personnel_changes_task, claims=1, started=timezone.now())
    assert jobs.requeue_expired() == {"requeued": 0, "failed": 0}  # a live worker may still be on it
    assert jobs.requeue_expired(timezone.now() + LATER) == {"requeued": 1, "failed": 0}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert jobs.requeue_expired(timezone.now() + LATER) == {"requeued": 0, "failed": 0}  # moved once


def test_a_task_held_past_its_lease_as_often_as_the_cap_is_failed_not_rerun(db: Any, settings: Any) -> None:
    settings.KOSHIKI_TASK_MAX_ATTEMPTS = 3
    row = _held(apply_due_personnel_changes_task, claims=3, started=timezone.now())
    assert jobs.requeue_expired(timezone.now() + LATER) == {"requeued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == jobs.LEASE_EXPIRED


def test_recurring_jobs_are_ensured_once_however_often_asked(db: Any) -> None:
    assert jobs.ensure_recurring()[jobs.SWEEPER] is True
    assert jobs.ensure_recurring()[jobs.SWEEPER] is False
    assert (
        DBTaskResult.objects.filter(task_path=sweeper_task.module_path, status=TaskResultStatus.READY).count()
        == 1
    )


def test_a_dead_sweeper_run_is_failed_and_the_next_run_is_queued(db: Any) -> None:
    row = _held(sweeper_task, claims=1, started=timezone.now())
    assert jobs.requeue_expired(timezone.now() + LATER) == {
        "requeued": 0,
        "failed": 1,
    }  # not re-run: no second chain
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert jobs.ensure_recurring()[jobs.SWEEPER] is True


def test_the_worker_command_ensures_the_recurring_jobs_before_it_works(transactional_db: Any) -> None:
    call_command("worker", batch=True, interval=0, verbosity=0, startup_delay=False)
    # The ensured sweeper ran in the batch (queued for now) and queued its own next run.
    assert (
        DBTaskResult.objects.filter(
            task_path=sweeper_task.module_path, status=TaskResultStatus.SUCCESSFUL
        ).count()
        == 1
    )
    assert (
        DBTaskResult.objects.filter(task_path=sweeper_task.module_path, status=TaskResultStatus.READY).count()
        == 1
    )
    assert JobRun.objects.get(name=jobs.SWEEPER).last_finished_at is not None


def test_once_per_period_work_runs_once_and_again_after_its_runner_died(db: Any) -> None:
    calls: list[str] = []
    now = timezone.now()
    assert jobs.run_once_per_period("test.daily", "2026-04-01", lambda: calls.append("a") or 1, now=now) == 1
    assert (
        jobs.run_once_per_period("test.daily", "2026-04-01", lambda: calls.append("b") or 1, now=now) is None
    )
    # A runner claims the next day and dies: a fresh claim is respected, a stale one taken over.
    JobRun.objects.filter(name="test.daily").update(claim_token="dead", claimed_at=now)
    assert (
        jobs.run_once_per_period("test.daily", "2026-04-02", lambda: calls.append("c") or 1, now=now) is None
    )
    assert (
        jobs.run_once_per_period("test.daily", "2026-04-02", lambda: calls.append("d") or 1, now=now + LATER)
        == 1
    )
    assert calls == ["a", "d"]


def test_a_failing_sweep_is_recorded_and_the_other_sweeps_still_run(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []

    def broken(now: dt.datetime) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(
        jobs, "SWEEPS", {"test.broken": broken, "test.fine": lambda now: ran.append("fine") or 1}
    )
    results = jobs.run_sweeps()
    assert results["test.broken"] == "error" and results["test.fine"] == 1 and ran == ["fine"]
    assert "boom" in JobRun.objects.get(name="test.broken").last_error
    assert JobRun.objects.get(name=jobs.SWEEPER).last_started_at is not None


def test_enqueue_after_commit_queues_by_name_only_on_commit(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    path = apply_due_personnel_changes_task.module_path
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_after_commit("orgs.apply_due_personnel_changes")
        assert not DBTaskResult.objects.filter(task_path=path).exists()
    assert DBTaskResult.objects.filter(task_path=path).count() == 1
    with pytest.raises(KeyError):
        jobs.enqueue_after_commit("no.such.job")


def _fanout(monkeypatch: pytest.MonkeyPatch, broken: set[int], done: list[tuple[int, str]]) -> None:
    monkeypatch.setattr(jobs, "FANOUTS", dict(jobs.FANOUTS))
    monkeypatch.setattr(jobs, "SWEEPS", {})

    def run(key: int, period: str) -> int:
        if key in broken:
            raise ValueError(f"body {key} is broken")
        done.append((key, period))
        return key

    jobs.register_fanout(
        "test.daily", due=lambda now: now.date().isoformat(), keys=lambda p: [1, 2, 3], run=run
    )


def _work() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def test_a_fan_out_is_done_for_the_day_once_every_body_is_done_or_given_up_and_tries_again_next_day(
    transactional_db: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.KOSHIKI_TASK_MAX_ATTEMPTS = 2
    done: list[tuple[int, str]] = []
    _fanout(monkeypatch, {2}, done)
    today = timezone.now()
    queued = []
    for _ in range(4):
        queued.append(jobs.fan_out("test.daily", today))
        _work()
    assert queued == [3, 1, 0, 0]  # body 2 retried once, then given up for the day
    assert sorted(k for k, _ in done) == [1, 3]
    assert JobRun.objects.get(name="test.daily").period == today.date().isoformat()
    with django_assert_max_num_queries(3):  # later passes that day: the parent row says it is done
        assert jobs.fan_out("test.daily", today) == 0
    assert jobs.fan_out("test.daily", today + dt.timedelta(days=1)) == 3  # a new day: every body again
