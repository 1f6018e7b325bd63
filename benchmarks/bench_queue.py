"""Worker throughput on PostgreSQL (issue #12): jobs/s with 1, 2 and 4 real `koshiki manage worker` processes.

    scripts/pg-test-cluster.sh start /tmp/pg-bench 54413
    .venv/bin/python benchmarks/bench_queue.py --database-url postgres://postgres@127.0.0.1:54413/koshiki \\
        --workers 1 2 4 --jobs 2000 --parked 7000

The workers start first and idle (polling every --interval s); then N trivial jobs (queue_noop.noop_task,
registered by name as "bench.noop") are queued in one transaction and the clock runs until all N have
finished. --parked M first adds M rows waiting with a future run time (as publish jobs were parked before
issue #12): every claim query walks past them. --wait-ms W makes each job wait W ms (a platform call's
round trip), which shows whether the queue itself lets workers scale out when the CPU is not the limit.
Prints a markdown table. Not part of `make test`.
To time another checkout's code, put its src first: PYTHONPATH=/path/to/checkout/src.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent


def _env(database_url: str, workdir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        KOSHIKI_ENV="local",
        KOSHIKI_VAR_DIR=workdir,
        DJANGO_SETTINGS_MODULE="koshiki.project.settings",
        PYTHONPATH=os.pathsep.join([*filter(None, env.get("PYTHONPATH", "").split(os.pathsep)), str(HERE)]),
    )
    return env


def _ensure_database(database_url: str) -> None:
    """Create the database named in the URL if the cluster lacks it (a fresh pg-test-cluster has none)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def _worker_command(interval: float) -> list[str]:
    script = Path(sys.executable).with_name("koshiki")
    koshiki = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "import sys, koshiki.cli as c; sys.exit(c.main())"]
    )
    return [*koshiki, "manage", "worker", "--no-startup-delay", f"--interval={interval}", "--verbosity=0"]


def _reset(parked: int) -> None:
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult
    from queue_noop import noop_task

    DBTaskResult.objects.all().delete()
    if not parked:
        return
    now = timezone.now()
    with transaction.atomic():
        for i in range(parked):  # spread over the coming month, like posts scheduled ahead
            noop_task.using(run_after=now + dt.timedelta(hours=1, minutes=6 * i)).enqueue(-1)


def _queue(jobs: int, wait_ms: float) -> None:
    from django.db import transaction

    from koshiki.core import jobs as registry

    with transaction.atomic():
        for i in range(jobs):
            registry.enqueue("bench.noop", i, wait_ms=wait_ms)


def _claim_ms(parked: int, ready: int = 1000) -> tuple[float, int]:
    """The worker's claim query (django_tasks_db: ready rows, SKIP LOCKED, LIMIT 1) under EXPLAIN ANALYZE
    with ``parked`` future rows and ``ready`` due ones: median ms of 20 and the rows its index scan threw
    away. Independent of how busy the machine's CPUs are, unlike jobs/s."""
    from django.db import connection, transaction
    from django_tasks_db.models import DBTaskResult

    _reset(parked)
    _queue(ready, 0)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {DBTaskResult._meta.db_table}")
    claim = (
        DBTaskResult.objects.ready().filter(backend_name="default").select_for_update(skip_locked=True)[:1]
    )
    times: list[float] = []
    removed = 0
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = claim.query.sql_with_params()
        for _ in range(20):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
            times.append(float(next(line for line in plan if "Execution Time" in line).split()[2]))
            removed = max([int(line.split()[-1]) for line in plan if "Rows Removed by Filter" in line] or [0])
    DBTaskResult.objects.all().delete()
    return sorted(times)[len(times) // 2], removed


def _done() -> int:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path="queue_noop.noop_task", status=TaskResultStatus.SUCCESSFUL
    ).count()


def _run(
    workers: int, jobs: int, parked: int, env: dict[str, str], interval: float, timeout: float, wait_ms: float
) -> float:
    _reset(parked)
    procs = [
        subprocess.Popen(_worker_command(interval), env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    try:
        time.sleep(3.0)  # let every worker start and go idle
        for proc in procs:
            if proc.poll() is not None:
                raise SystemExit(f"a worker exited with {proc.returncode}")
        start = time.perf_counter()
        _queue(jobs, wait_ms)
        while _done() < jobs:
            if time.perf_counter() - start > timeout:
                raise SystemExit(f"timed out: {_done()} of {jobs} done")
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="a throwaway PostgreSQL database")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--parked", type=int, default=0, help="rows waiting with a future run time")
    parser.add_argument("--interval", type=float, default=0.1, help="worker poll interval when idle (s)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument(
        "--wait-ms", type=float, default=0, help="each job waits this long (a platform call's round trip)"
    )
    args = parser.parse_args(argv)

    _ensure_database(args.database_url)
    workdir = tempfile.mkdtemp(prefix="koshiki-bench-queue-")
    env = _env(args.database_url, workdir)
    os.environ.update(
        {k: env[k] for k in ("DATABASE_URL", "KOSHIKI_ENV", "KOSHIKI_VAR_DIR", "DJANGO_SETTINGS_MODULE")}
    )
    sys.path.append(str(HERE))
    import django

    django.setup()
    from django.core.management import call_command
    from queue_noop import noop_task

    from koshiki.core import jobs as registry

    call_command("migrate", verbosity=0)
    registry.register_job("bench.noop", noop_task)
    rows: list[dict[str, Any]] = []
    for workers in args.workers:
        seconds = _run(workers, args.jobs, args.parked, env, args.interval, args.timeout, args.wait_ms)
        rows.append({"workers": workers, "seconds": seconds})
        print(f"  {workers} worker(s): {args.jobs} jobs in {seconds:.2f} s", file=sys.stderr)
    job = f"each job waits {args.wait_ms:g} ms" if args.wait_ms else "trivial job"
    print(f"\nQueue throughput (PostgreSQL; {args.parked} parked rows; {job}; poll {args.interval} s)\n")
    print("| workers | jobs | parked | seconds | jobs/s |")
    print("|---:|---:|---:|---:|---:|")
    for row in rows:
        rate = args.jobs / row["seconds"]
        print(f"| {row['workers']} | {args.jobs} | {args.parked} | {row['seconds']:.2f} | {rate:.0f} |")
    claim, removed = _claim_ms(args.parked)
    print(
        f"\nClaim query with {args.parked} parked rows and 1000 due: median {claim:.3f} ms"
        f" (EXPLAIN ANALYZE; rows skipped by the index scan: {removed})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
