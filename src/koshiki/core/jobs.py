"""Jobs by name and row-state sweeps: background work that survives a crash.

Queued tasks alone are not the truth: a worker can die holding one, and a self-requeueing chain stops
when one link dies. So, as Healthchecks' ``sendalerts`` does, due work is found from row state:

- apps register *jobs* by name (``register_job``) and enqueue them with ``enqueue_after_commit``;
- apps register *sweeps* (``@sweep("name")``): idempotent functions of ``now`` that find due rows and
  claim them by compare-and-set, so two sweepers never double anything;
- *recurring* jobs are declared once (``register_recurring(name, task, every)``) and ensured whenever a
  worker starts (``koshiki manage worker``) and by every sweeper run; at most one run waits at a time;
- daily work over every body is a *fan-out* (``register_fanout``): the sweep only queues one job per body
  (``core.fanout_part``), each done once per period (``run_once_per_period`` on its own JobRun row) and
  retried on later passes up to KOSHIKI_TASK_MAX_ATTEMPTS a period, so one body's failure stops no other;
- nothing is parked with a future run time (issue #12): due work is queued when due, by a sweep;
- the sweeper (a recurring job, core/tasks.py) first puts tasks held past their lease back in the queue
  (``requeue_expired``), then runs every sweep, each in its own failure domain, and beats a heartbeat
  row that the dashboard watches.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

logger = logging.getLogger(__name__)

SWEEPER = "core.sweeper"
LEASE_EXPIRED = "koshiki.core.jobs.LeaseExpired"


class LeaseExpired(Exception):
    """Recorded on a task whose worker held it past the lease (taken to be dead)."""


@dataclass(frozen=True)
class Recurring:
    name: str
    task: Any  # a django_tasks Task
    every: dt.timedelta


@dataclass(frozen=True)
class Fanout:
    """Work done once a period for each key (an organization's id): ``due(now)`` names the period due now
    (or None), ``keys(period)`` the bodies that have work, ``run(key, period)`` does one body's work."""

    name: str
    due: Callable[[dt.datetime], str | None]
    keys: Callable[[str], Iterable[int]]
    run: Callable[[int, str], Any]


Sweep = Callable[[dt.datetime], Any]
SweepT = TypeVar("SweepT", bound=Sweep)
JOBS: dict[str, Any] = {}
SWEEPS: dict[str, Sweep] = {}
RECURRING: dict[str, Recurring] = {}
FREQUENT: set[str] = set()
FANOUTS: dict[str, Fanout] = {}
FANOUT_PART = "core.fanout_part"


def register_job(name: str, task: Any) -> Any:
    """Name a task so that services enqueue it by name (no import of the app's tasks module)."""
    JOBS[name] = task
    return task


def sweep(name: str, *, often: bool = False) -> Callable[[SweepT], SweepT]:
    """Register ``func(now)`` to run on every sweeper pass. It must be idempotent
    (claim rows by compare-and-set). ``often``: each worker also runs it every KOSHIKI_DUE_POLL_SECONDS
    (``run_frequent_sweeps``), for cheap sweeps whose latency matters (a post's publication time)."""

    def register(func: SweepT) -> SweepT:
        SWEEPS[name] = func
        if often:
            FREQUENT.add(name)
        return func

    return register


def due_poll_every() -> float:
    return float(getattr(settings, "KOSHIKI_DUE_POLL_SECONDS", 1.0))


@contextmanager
def turn(name: str) -> Iterator[None]:
    """A transaction holding ``name``'s JobRun row (an UPDATE locks it): sweepers and workers running the
    same sweep take turns, so a due row is queued once even when several look at the same moment."""
    from .models import JobRun

    _row(name)
    with transaction.atomic():
        JobRun.objects.filter(name=name).update(name=name)
        yield


def run_frequent_sweeps(now: dt.datetime | None = None) -> dict[str, Any]:
    """The ``often`` sweeps, between sweeper passes (each worker's due poll, core/management worker)."""
    moment = now or timezone.now()
    return {name: SWEEPS[name](moment) for name in sorted(FREQUENT) if name in SWEEPS}


def register_recurring(name: str, task: Any, every: dt.timedelta) -> None:
    RECURRING[name] = Recurring(name, task, every)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "KOSHIKI_TASK_LEASE_SECONDS", 600))


def max_attempts() -> int:
    return int(getattr(settings, "KOSHIKI_TASK_MAX_ATTEMPTS", 3))


def sweep_every() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "KOSHIKI_SWEEP_SECONDS", 60))


def enqueue(name: str, *args: Any, run_after: dt.datetime | None = None, **kwargs: Any) -> None:
    task = JOBS[name]
    if run_after is not None and run_after > timezone.now():
        task = task.using(run_after=run_after)
    task.enqueue(*args, **kwargs)


def enqueue_after_commit(name: str, *args: Any, run_after: dt.datetime | None = None, **kwargs: Any) -> None:
    """Queue the named job once the surrounding transaction commits (never for a rolled-back change)."""
    if name not in JOBS:
        raise KeyError(f"no job named {name!r}")
    transaction.on_commit(lambda: enqueue(name, *args, run_after=run_after, **kwargs))


def live_tasks(task: Any) -> list[dict[str, Any]]:
    """args/kwargs of the task's runs that are waiting or running (a row sweep skips rows these cover)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        task_path=task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    return list(rows.values_list("args_kwargs", flat=True))


def requeue_expired(now: dt.datetime | None = None) -> dict[str, int]:
    """Tasks RUNNING past the lease belong to dead workers: queue them again (capped), or fail them.

    A recurring job's run is failed, not re-run: the next run is already queued. Each row moves by
    compare-and-set on (status, started_at), so two sweepers move it once.
    """
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    moment = now or timezone.now()
    recurring_paths = {r.task.module_path for r in RECURRING.values()}
    counts = {"requeued": 0, "failed": 0}
    expired = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=moment - lease())
    for row in expired.values("id", "task_path", "worker_ids", "started_at"):
        same = DBTaskResult.objects.filter(
            pk=row["id"], status=TaskResultStatus.RUNNING, started_at=row["started_at"]
        )
        claims = len(row["worker_ids"] or [])
        if row["task_path"] in recurring_paths or claims >= max_attempts():
            why = (
                "recurring run abandoned (its next run is queued)"
                if row["task_path"] in recurring_paths
                else (f"held past the lease {claims} time(s); not retried again")
            )
            moved = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=moment,
                exception_class_path=LEASE_EXPIRED,
                traceback=f"LeaseExpired: {why}",
                return_value=None,
            )
            counts["failed"] += moved
        else:
            moved = same.update(status=TaskResultStatus.READY, run_after=timezone.now())
            counts["requeued"] += moved
        if moved:
            logger.warning(
                "task %s (%s) held past its lease: %s",
                row["id"],
                row["task_path"],
                "failed" if claims >= max_attempts() else "queued again",
            )
    return counts


def _row(name: str) -> None:
    from .models import JobRun

    JobRun.objects.get_or_create(name=name)


def ensure_recurring(now: dt.datetime | None = None, *, soon: bool = False) -> dict[str, bool]:
    """Queue each recurring job unless a run is already waiting. ``soon``: the first run now (worker start).

    Ensurers take turns on the job's JobRun row (an UPDATE locks it), so two never both queue a run.
    """
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .models import JobRun

    moment = now or timezone.now()
    queued: dict[str, bool] = {}
    for recurring in RECURRING.values():
        _row(recurring.name)
        with transaction.atomic():
            JobRun.objects.filter(name=recurring.name).update(name=recurring.name)  # the turn
            waiting = DBTaskResult.objects.filter(
                task_path=recurring.task.module_path, status=TaskResultStatus.READY
            )
            if waiting.exists():
                queued[recurring.name] = False
                continue
            run_after = moment if soon else moment + recurring.every
            task = recurring.task.using(run_after=run_after) if run_after > timezone.now() else recurring.task
            task.enqueue()
            queued[recurring.name] = True
    return queued


def run_once_per_period(
    name: str, period: str, func: Callable[[], Any], now: dt.datetime | None = None
) -> Any:
    """Run ``func`` once for ``period`` (e.g. today's date): claim the JobRun row by compare-and-set.

    A claim older than the lease is taken over (its runner died). Returns None when another run has
    the period, or did it already. At least once: a crash during ``func`` runs it again.
    """
    from .models import JobRun

    moment = now or timezone.now()
    _row(name)
    token = uuid.uuid4().hex
    fresh_claim = Q(claimed_at__isnull=False, claimed_at__gte=moment - lease())
    claimed = (
        JobRun.objects.filter(name=name)
        .exclude(period=period)
        .exclude(fresh_claim)
        .update(claim_token=token, claimed_at=moment)
    )
    if not claimed:
        return None
    mine = JobRun.objects.filter(name=name, claim_token=token)
    try:
        result = func()
    except Exception as error:
        mine.update(
            claim_token="",
            claimed_at=None,
            last_error=repr(error)[:2000],
            failures=Case(When(failed_period=period, then=F("failures") + 1), default=Value(1)),
            failed_period=period,
        )
        raise
    mine.update(
        period=period,
        claim_token="",
        claimed_at=None,
        last_finished_at=timezone.now(),
        last_error="",
        failures=0,
        failed_period="",
    )
    return result


def register_fanout(
    name: str,
    *,
    due: Callable[[dt.datetime], str | None],
    keys: Callable[[str], Iterable[int]],
    run: Callable[[int, str], Any],
) -> None:
    """Declare per-body periodic work; its sweep (same name) fans it out (see ``fan_out``)."""
    FANOUTS[name] = Fanout(name, due, keys, run)
    SWEEPS[name] = lambda now: fan_out(name, now)


def part_name(name: str, key: int) -> str:
    return f"{name}:{key}"


def run_part(name: str, key: int, period: str, now: dt.datetime | None = None) -> Any:
    """One body's share of a fan-out, once for the period; an error propagates (the task fails and a later
    sweeper pass queues it again, up to the attempt limit)."""
    fanout = FANOUTS[name]
    return run_once_per_period(part_name(name, key), period, lambda: fanout.run(key, period), now=now)


def fan_out(name: str, now: dt.datetime) -> int:
    """Queue one part per body whose work for the due period is neither done, nor waiting or running,
    nor given up (failed max_attempts() times this period). When every body is done or given up, the
    parent row records the period, so later passes that day cost one query. Returns the parts queued.

    Fan-outs take turns on the parent JobRun row (an UPDATE locks it), so two sweepers queue a part once.
    """
    from .models import JobRun

    fanout = FANOUTS[name]
    period = fanout.due(now)
    if period is None:
        return 0
    _row(name)
    if JobRun.objects.filter(name=name, period=period).exists():
        return 0
    part_task = JOBS[FANOUT_PART]
    with transaction.atomic():
        JobRun.objects.filter(name=name).update(name=name)  # the turn
        parts = {
            row["name"]: row
            for row in JobRun.objects.filter(name__startswith=f"{name}:").values(
                "name", "period", "failures", "failed_period"
            )
        }
        live = {
            args[1]
            for args in (a.get("args") or [] for a in live_tasks(part_task))
            if len(args) == 3 and args[0] == name and args[2] == period
        }
        queued = waiting = 0
        for key in fanout.keys(period):
            row = parts.get(part_name(name, key))
            if row is not None and row["period"] == period:
                continue  # done
            if row is not None and row["failed_period"] == period and row["failures"] >= max_attempts():
                continue  # given up for this period: shown on the worker-health panel
            if key in live:
                waiting += 1
                continue
            part_task.enqueue(name, key, period)
            queued += 1
        if not queued and not waiting:
            JobRun.objects.filter(name=name).update(period=period, last_finished_at=timezone.now())
    return queued


def run_sweeps(now: dt.datetime | None = None) -> dict[str, Any]:
    """One sweeper pass: heartbeat, lease requeue, then every sweep; a
    failing sweep does not stop the rest."""
    from .models import JobRun

    moment = now or timezone.now()
    _row(SWEEPER)
    JobRun.objects.filter(name=SWEEPER).update(last_started_at=timezone.now())
    results: dict[str, Any] = {"requeue": requeue_expired(moment)}
    for name, func in list(SWEEPS.items()):
        _row(name)
        JobRun.objects.filter(name=name).update(last_started_at=timezone.now())
        try:
            results[name] = func(moment)
        except Exception as error:  # recorded on the row and shown on the dashboard
            logger.exception("sweep %s failed", name)
            JobRun.objects.filter(name=name).update(last_error=repr(error)[:2000], failures=F("failures") + 1)
            results[name] = "error"
            continue
        JobRun.objects.filter(name=name).update(last_finished_at=timezone.now(), last_error="", failures=0)
    JobRun.objects.filter(name=SWEEPER).update(last_finished_at=timezone.now())
    return results
