"""Fault injection for the job machinery (core/jobs.py) with a fake platform: real processes die, SIGKILLed.

Run by ``test_job_fault_injection.py`` in a subprocess, against a committed database of its own (a SQLite
file, or a throwaway database on the server of ``DATABASE_URL``)::

    python tests/posts/job_fault_worker.py --scenario claim|sweeper [--kills 20] [--workdir DIR]

``claim``: each of ``kills`` posts is scheduled; a forked worker claims its publish task (the real
db_worker code: claim, then run) and is SIGKILLed before the platform is called — half of them right
after the task claim (post still 'scheduled'), half right after the post's claim (post 'publishing',
intent committed). Then the lease passes (rows are aged: the fake clock) and a worker starts as
``koshiki manage worker`` does: every post must be published exactly once on the fake platform.

``sweeper``: posts are left stuck (half 'publishing' after a crash, half 'scheduled' with their task
lost) and personnel changes are due with no task. A forked worker runs the recurring sweeper task and
is SIGKILLed mid-run, at a different unit of work each time (before a settle, inside a personnel
change's transaction, after queueing a publish task), ``kills`` times; between runs the next sweeper
run is made due and the dead run is aged past its lease. Finally a worker starts and drains the queue:
nothing lost, nothing doubled, one sweeper chain. One JSON line on stdout gives the counts.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from fault_worker import _drop_postgres, _setup_django, _throwaway_postgres

TEXT = "本日15時から市役所本庁舎で防災訓練を行います。ご協力をお願いします。（お知らせ {n:03d}）"
LEASE_PASSED = dt.timedelta(seconds=700)


def _body_with_fake_platform(platform_file: Path) -> Any:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from koshiki.posts.channels import set_channel

    settings.KOSHIKI_OUTBOUND_ALLOW = ["http://127.0.0.1:9"]  # the fake's address, through the outbound guard
    from koshiki.posts.services import approval, publishing
    from tests.conftest import PASSWORD
    from tests.posts.conftest import build_posting_body
    from tests.posts.fake_platform import FakePlatform
    from tests.security.conftest import SEEDS

    approval.outside_hours = lambda *args: None  # type: ignore[assignment]  # as the within_hours fixture
    platform = FakePlatform(platform_file)
    publishing.connector_for = lambda account: platform  # type: ignore[assignment]  # forked workers inherit it
    admin = get_user_model().objects.create_superuser("sysadmin", "sysadmin@example.jp", PASSWORD)
    body = build_posting_body(admin, *SEEDS[0])
    set_channel(
        actor=body.manager.user,
        account=body.account,
        kind="bluesky",
        service_url="http://127.0.0.1:9",
        identifier="fake.test",
        secret="app-pass",
    )
    return body, platform, admin


def _schedule(body: Any, count: int) -> list[int]:
    from koshiki.posts import services
    from koshiki.posts.lifecycle import PostState

    ids = []
    for n in range(1, count + 1):
        post = services.create_post(actor=body.operator.user, account=body.account, text=TEXT.format(n=n))
        post = services.submit(actor=body.operator.user, post=post)
        while (step := services.pending_step(post)) is not None:
            post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
        post.refresh_from_db()
        assert post.state == PostState.SCHEDULED, (post.state, post.findings)
        ids.append(post.pk)
    return ids


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _fork(child: Any) -> bool:
    """Run ``child()`` in a forked process; True when it died of SIGKILL."""
    from django.db import connections

    connections.close_all()  # never share a database socket across fork
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            child()
        except BaseException:
            traceback.print_exc()
            code = 4
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def _run_one(task_path: str | None, worker_id: str) -> None:
    """What db_worker does for one task: claim the next ready one (of ``task_path``), then run it."""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    if task_path:
        ready = ready.filter(task_path=task_path)
    with transaction.atomic():
        row = ready.get_locked()
        if row is None:
            return
        row.claim(worker_id)
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run_task(row)


def _age(**fields: Any) -> None:
    """The fake clock: tasks RUNNING now started past the lease; the sweeper's next run is due."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).update(started_at=now - LEASE_PASSED)
    if fields.get("sweeper_due"):
        from koshiki.core.tasks import sweeper_task

        DBTaskResult.objects.filter(task_path=sweeper_task.module_path, status=TaskResultStatus.READY).update(
            run_after=now
        )


def _start_worker() -> None:
    """``koshiki manage worker`` in batch mode: requeue past-lease tasks, ensure recurring jobs, drain."""
    from django.core.management import call_command

    call_command("worker", batch=True, interval=0, verbosity=0, startup_delay=False)


def _platform_summary(platform: Any, ids: list[int]) -> dict[str, Any]:
    from koshiki.posts.models import Post, PublishAttempt

    per_key = platform.per_key()
    posts = list(Post.objects.filter(pk__in=ids))
    keys = {p.idempotency_key for p in posts}
    return {
        "posts": len(ids),
        "records": sum(per_key.values()),
        "duplicates": sum(n - 1 for n in per_key.values() if n > 1)
        + sum(n for k, n in per_key.items() if k not in keys),
        "lost": sum(
            1 for p in posts if per_key[p.idempotency_key] == 0 or p.state != "published" or not p.remote_id
        ),
        "states": dict(collections.Counter(p.state for p in posts)),
        "attempts": dict(
            collections.Counter(
                PublishAttempt.objects.filter(post_id__in=ids).values_list("outcome", flat=True)
            )
        ),
    }


def _tasks() -> dict[str, int]:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.values_list("task_path", "status")
    return dict(collections.Counter(f"{path.rsplit('.', 1)[-1]}:{status}" for path, status in rows))


def scenario_claim(kills: int, workdir: Path) -> dict[str, Any]:
    from koshiki.posts.lifecycle import PostState
    from koshiki.posts.models import Post
    from koshiki.posts.services import publishing

    body, platform, _ = _body_with_fake_platform(workdir / "platform.jsonl")
    ids = _schedule(body, kills)
    real_claim, real_publish_due = publishing._claim, publishing.publish_due
    died = collections.Counter()
    for index in range(kills):
        where = "after_task_claim" if index % 2 == 0 else "after_post_claim"

        def child(where: str = where, index: int = index) -> None:
            if where == "after_task_claim":
                publishing.publish_due = lambda post_id: _die()  # type: ignore[assignment,misc,return-value]
            else:

                def claim_then_die(post_id: int) -> Any:
                    real_claim(post_id)
                    _die()

                publishing._claim = claim_then_die  # type: ignore[assignment]
            _run_one("koshiki.posts.tasks.publish_post_task", f"doomed-{index}")

        if _fork(child):
            died[where] += 1
    publishing._claim, publishing.publish_due = real_claim, real_publish_due
    states_after_kills = dict(
        collections.Counter(Post.objects.filter(pk__in=ids).values_list("state", flat=True))
    )
    records_after_kills = sum(platform.per_key().values())
    _age()
    # Reconciliation of 'publishing' posts waits STUCK_AFTER from the post's last move: age those rows too.
    from django.utils import timezone

    Post.objects.filter(pk__in=ids, state=PostState.PUBLISHING).update(
        state_changed_at=timezone.now() - dt.timedelta(minutes=5)
    )
    _start_worker()
    _start_worker()  # a second start doubles nothing
    return {
        "kills": dict(died),
        "states_after_kills": states_after_kills,
        "records_after_kills": records_after_kills,
        **_platform_summary(platform, ids),
        "tasks": _tasks(),
    }


def scenario_sweeper(kills: int, workdir: Path) -> dict[str, Any]:
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from koshiki.audit.models import AuditEntry
    from koshiki.core import jobs
    from koshiki.core.tasks import sweeper_task
    from koshiki.orgs import services as org_services
    from koshiki.orgs.models import PersonnelChange
    from koshiki.orgs.signals import personnel_change_applied
    from koshiki.posts import jobs as post_jobs
    from koshiki.posts.lifecycle import PostState
    from koshiki.posts.models import Post
    from koshiki.posts.services import publishing
    from koshiki.posts.tasks import publish_post_task

    body, platform, admin = _body_with_fake_platform(workdir / "platform.jsonl")
    ids = _schedule(body, kills)
    half = len(ids) // 2
    # Half the posts crashed while 'publishing' (intent committed), half lost their queued task.
    for post_id in ids[:half]:
        publishing._claim(post_id)
    DBTaskResult.objects.filter(task_path=publish_post_task.module_path).delete()
    Post.objects.filter(pk__in=ids).update(
        state_changed_at=timezone.now() - dt.timedelta(minutes=5),
        scheduled_at=timezone.now() - dt.timedelta(minutes=5),
    )
    changes = []
    for n in range(kills // 2):
        staff = org_services.add_staff(
            actor=admin,
            organization=body.seed.organization,
            username=f"mover{n}",
            display_name=f"異動者{n}",
            department=body.manager.department,
        )
        change = org_services.record_personnel_change(
            actor=admin, staff=staff, kind="leave", effective_date=timezone.localdate() + dt.timedelta(days=1)
        )
        changes.append(change.pk)
    PersonnelChange.objects.filter(pk__in=changes).update(
        effective_date=timezone.localdate()
    )  # the day has come
    jobs.ensure_recurring(soon=True)
    entries_before = AuditEntry.objects.filter(action="orgs.personnel.applied").count()

    units = {"n": 0, "target": 0}

    def unit() -> None:
        units["n"] += 1
        if units["n"] >= units["target"]:
            _die()

    real_enqueue = post_jobs.enqueue_publish
    died = collections.Counter()
    survived = 0
    for index in range(kills):
        units["n"], units["target"] = 0, 1 + index % 3

        def child(index: int = index) -> None:
            publishing.after_platform_call = unit  # before the settle: on the platform, not yet recorded
            personnel_change_applied.connect(
                lambda **kw: unit(), weak=False
            )  # inside the change's transaction

            def enqueue_then_die(post_id: int, run_after: Any) -> None:
                real_enqueue(post_id, run_after)
                unit()

            post_jobs.enqueue_publish = enqueue_then_die  # type: ignore[assignment]
            _run_one(sweeper_task.module_path, f"sweeper-{index}")

        if _fork(child):
            died[f"unit{1 + index % 3}"] += 1
        else:
            survived += 1
        _age(sweeper_due=True)
    chains_before_start = DBTaskResult.objects.filter(
        task_path=sweeper_task.module_path, status=TaskResultStatus.READY
    ).count()
    _age(sweeper_due=True)
    _start_worker()
    _age(sweeper_due=True)
    _start_worker()  # once more: nothing left to do, nothing doubled
    applied = PersonnelChange.objects.filter(pk__in=changes, state=PersonnelChange.State.APPLIED).count()
    applied_entries = AuditEntry.objects.filter(action="orgs.personnel.applied").count() - entries_before
    return {
        "kills": sum(died.values()),
        "survived": survived,
        "chains_before_start": chains_before_start,
        "changes": len(changes),
        "applied": applied,
        "applied_entries": applied_entries,
        "stuck_states": dict(
            collections.Counter(
                Post.objects.filter(pk__in=ids)
                .exclude(state=PostState.PUBLISHED)
                .values_list("state", flat=True)
            )
        ),
        **_platform_summary(platform, ids),
        "tasks": _tasks(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["claim", "sweeper"], required=True)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="koshiki-jobfault."))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["KOSHIKI_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    server_url = os.environ.get("DATABASE_URL")
    database = None
    if server_url:
        os.environ["DATABASE_URL"], database = _throwaway_postgres(server_url)
    try:
        _setup_django(workdir)
        from django.db import connection

        run = scenario_claim if args.scenario == "claim" else scenario_sweeper
        summary = {"database": connection.vendor, "scenario": args.scenario, **run(args.kills, workdir)}
    finally:
        if database and server_url:
            from django.db import connections

            connections.close_all()
            _drop_postgres(server_url, database)
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
