"""The command behind `make bench-scale` (benchmarks/bench_scale.py --help).

Starts a throwaway PostgreSQL with scripts/pg-test-cluster.sh (stopped on exit unless --keep), migrates,
generates the dataset, measures, prints the table and writes it to var/bench/scale-<date>.md.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import logging
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import sizes

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pg-test-cluster.sh"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench_scale",
        description="National-scale benchmark (issue #12). Counts not given follow FULL's per-body averages.",
    )
    p.add_argument("--full", action="store_true", help="the national dataset: " + str(sizes.FULL))
    p.add_argument("--bodies", type=int, help=f"bodies (default {sizes.DEFAULT_BODIES}; full 1788)")
    p.add_argument("--accounts", type=int)
    p.add_argument("--staff", type=int)
    p.add_argument("--posts", type=int)
    p.add_argument("--audit-entries", type=int)
    p.add_argument("--runs", type=int, default=10, help="timed requests per page (K)")
    p.add_argument("--port", type=int, default=54420, help="port of the throwaway PostgreSQL")
    p.add_argument("--keep", action="store_true", help="leave the PostgreSQL cluster running")
    p.add_argument("--database-url", help="use this (empty) database instead of starting one")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="measure the dataset already in --database-url (kept by an earlier --keep run); no generation",
    )
    p.add_argument("--sqlite", action="store_true", help="a throwaway SQLite file instead (quick look)")
    p.add_argument("--jobs", type=int, default=2000, help="jobs for bench_queue.py")
    p.add_argument("--no-worker", action="store_true", help="skip the worker throughput")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.add_argument("--out", default=str(ROOT / "var" / "bench"), help="where scale-<date>.md goes")
    return p.parse_args(argv)


def scale_of(args: argparse.Namespace) -> sizes.Scale:
    base = sizes.FULL if args.full else sizes.proportional(args.bodies or sizes.DEFAULT_BODIES)
    if args.bodies and args.full:
        base = replace(base, bodies=args.bodies)
    given = {
        "accounts": args.accounts,
        "staff": args.staff,
        "posts": args.posts,
        "audit_entries": args.audit_entries,
    }
    return replace(base, **{k: v for k, v in given.items() if v is not None})


def start_postgres(port: int, keep: bool) -> str:
    """A cluster under a temporary folder, with an empty database ``koshiki``; its URL."""
    folder = Path(tempfile.gettempdir()) / f"koshiki-bench-scale-{port}"
    url = subprocess.run(
        [str(SCRIPT), "start", str(folder), str(port)], check=True, capture_output=True, text=True
    ).stdout.strip()
    if keep:
        print(f"PostgreSQL kept at {url} (stop: scripts/pg-test-cluster.sh stop {folder})", file=sys.stderr)
    else:
        atexit.register(lambda: subprocess.run([str(SCRIPT), "stop", str(folder)], check=False))
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("CREATE DATABASE koshiki")
    return url


def setup(database_url: str | None, workdir: str) -> None:
    """Django for this process, on ``database_url`` (or SQLite under ``workdir``)."""
    os.environ["KOSHIKI_VAR_DIR"] = workdir
    os.environ.setdefault("KOSHIKI_ENV", "local")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koshiki.project.settings")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # testserver host, e-mail kept in memory
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login otherwise


def _vendor(connection: Any) -> str:
    if connection.vendor != "postgresql":
        return connection.vendor
    version = connection.pg_version  # e.g. 150018
    return f"PostgreSQL {version // 10000}.{version % 100}"


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.reuse and not args.database_url:
        print("--reuse needs --database-url (the URL a --keep run printed)", file=sys.stderr)
        return 2
    scale = scale_of(args)
    log = (lambda text: print(text, file=sys.stderr)) if args.json else print
    workdir = tempfile.mkdtemp(prefix="koshiki-bench-scale-")
    if args.sqlite:
        url = None
    elif args.database_url:
        url = args.database_url
    else:
        log(f"starting PostgreSQL on port {args.port} (scripts/pg-test-cluster.sh)")
        url = start_postgres(args.port, args.keep)
    setup(url, workdir)
    from django.core.management import call_command
    from django.db import connection

    from .generate import existing, generate
    from .measure import audit_verify, measure_body, worker_throughput
    from .report import Run, as_json, markdown

    if args.reuse:
        data = existing(log=log)
        scale = data.scale
    else:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        log(f"migrated in {time.perf_counter() - started:.1f} s; generating {scale}")
        data = generate(scale, log=log)
    largest, smallest = data.bodies[0], data.bodies[-1]
    log(f"pages for the largest body, {largest.name} ({largest.accounts} accounts)")
    big = measure_body(largest, args.runs, log)
    log(f"pages for the smallest body, {smallest.name} ({smallest.accounts} accounts)")
    small = measure_body(smallest, args.runs, log)
    log("koshiki audit verify")
    connection.close()
    verify = audit_verify(url)
    if verify is not None:
        log(f"  {verify.seconds:.1f} s, peak RSS {verify.peak_rss_mb:.0f} MB: {verify.output}")
    worker = "not measured (--no-worker)" if args.no_worker else worker_throughput(url, args.jobs)
    run = Run(
        date=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        database=_vendor(connection),
        scale=scale,
        generate_seconds=data.seconds,
        largest=largest,
        smallest=smallest,
        largest_pages=big,
        smallest_pages=small,
        runs=args.runs,
        verify=verify,
        worker=worker,
    )
    text = markdown(run)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"scale-{dt.date.today().isoformat()}.md"
    target.write_text(text, encoding="utf-8")
    print(as_json(run) if args.json else text)
    log(f"written to {target}")
    return 0
