"""Audit-chain write throughput (issue #12): post lifecycles per second across bodies, on PostgreSQL.

Each writer does the audit writes of one post lifecycle again and again: 9 ``log_action`` entries in
5 transactions (create+check, submit, step+approve, schedule+publishing, published+state), as
posts/services write them, with the post text kept beside the chain (RetainedText). Writers are spread
over the bodies round-robin. Before issue #12 every transaction took the one national head row; since,
each takes only its body's head.

    scripts/pg-test-cluster.sh start /tmp/pg-b 54412
    PYTHONPATH=src python benchmarks/bench_audit_chain.py \\
        --database-url postgres://postgres@127.0.0.1:54412/koshiki \\
        --writers 8 --bodies 8 --seconds 10 [--processes]
    PYTHONPATH=/path/to/main/src python benchmarks/bench_audit_chain.py ...   # the code before, same machine

It creates (and drops first) the database ``koshiki_bench_audit`` on that cluster, migrates it, and
prints lifecycles/s, entries/s and the chain check. Only the public API (``log_action``) is used, so
the same script measures any version of the code. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "koshiki_bench_audit"
TEXT = "本日から市役所本庁舎の窓口受付時間が変わります。詳しくは市ホームページをご覧ください。"
LIFECYCLE: list[list[tuple[str, dict[str, Any] | None, dict[str, Any]]]] = [
    [
        ("posts.post.created", None, {"account": 1, "category": "", "corrects": None, "text": TEXT}),
        ("posts.post.checked", None, {"version": 1, "findings": []}),
    ],
    [("posts.post.submitted", {"state": "checked"}, {"state": "submitted", "scheduled_at": None})],
    [
        ("posts.post.step_approved", None, {"step": 1, "role": "manager", "comment": ""}),
        ("posts.post.approved", {"state": "submitted"}, {"state": "approved"}),
    ],
    [
        ("posts.post.scheduled", {"state": "approved"}, {"state": "scheduled", "scheduled_at": None}),
        ("posts.post.publishing", {"state": "scheduled"}, {"state": "publishing"}),
    ],
    [
        ("posts.post.published", {"state": "publishing"}, {"state": "published", "url": "https://x"}),
        ("posts.post.state", {"state": "published"}, {"state": "published", "version": 2}),
    ],
]


def _url_for(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def _fresh_database(url: str) -> str:
    import psycopg

    with psycopg.connect(_url_for(url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return _url_for(url, BENCH_DB)


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("KOSHIKI_ENV", "local")
    os.environ.setdefault("KOSHIKI_VAR_DIR", tempfile.mkdtemp(prefix="koshiki-bench-audit-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koshiki.project.settings")
    import django

    django.setup()


def _bodies(count: int) -> list[Any]:
    from koshiki.orgs.models import Organization

    bodies = []
    for n in range(count):
        code = f"9{n:05d}"
        org, _ = Organization.objects.get_or_create(
            code=code,
            defaults={"lgcode": code, "name": f"ベンチ市{n}", "profile_id": "iwaki", "profile_version": "1"},
        )
        bodies.append(org)
    return bodies


def _lifecycle(organization: Any) -> None:
    from django.db import transaction

    from koshiki.audit.services import log_action

    for entries in LIFECYCLE:
        with transaction.atomic():
            for action, before, after in entries:
                log_action(action, actor=None, organization=organization, before=before, after=after)


def _writer(organization_ids: list[int], deadline: float, counts: list[int], errors: list[str]) -> None:
    from django.db import connections

    from koshiki.orgs.models import Organization

    try:
        organizations = [Organization.objects.get(pk=pk) for pk in organization_ids]
        done = 0
        while time.monotonic() < deadline:
            _lifecycle(organizations[done % len(organizations)])
            done += 1
        counts.append(done)
    except Exception as error:  # reported by the main thread
        errors.append(repr(error))
    finally:
        connections.close_all()


def _process_writer(
    url: str, organization_ids: list[int], start_at: float, seconds: float, queue: Any
) -> None:
    _setup(url)
    counts: list[int] = []
    errors: list[str] = []
    while time.time() < start_at:
        time.sleep(0.005)
    _writer(organization_ids, time.monotonic() + seconds, counts, errors)
    queue.put((sum(counts), errors))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--bodies", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--processes", action="store_true", help="one process per writer (no shared GIL)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        print(
            "needs --database-url of a PostgreSQL cluster (scripts/pg-test-cluster.sh start ...)",
            file=sys.stderr,
        )
        return 2
    url = _fresh_database(args.database_url)
    _setup(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from koshiki.audit.chain import verify_chain
    from koshiki.audit.models import AuditEntry

    bodies = _bodies(args.bodies)
    for body in bodies:  # each chain's head exists before the clock starts
        _lifecycle(body)
    before = AuditEntry.objects.count()
    shares = [
        [b.pk for b in bodies[w % len(bodies) :: max(args.writers, 1)] or [bodies[w % len(bodies)].pk]]
        for w in range(args.writers)
    ]
    counts: list[int] = []
    errors: list[str] = []
    started = time.monotonic()
    if args.processes:
        from django.db import connections

        connections.close_all()
        queue: Any = multiprocessing.get_context("fork").Queue()
        start_at = time.time() + 1.0
        procs = [
            multiprocessing.get_context("fork").Process(
                target=_process_writer, args=(url, share, start_at, args.seconds, queue)
            )
            for share in shares
        ]
        for proc in procs:
            proc.start()
        for _ in procs:
            done, errs = queue.get(timeout=args.seconds + 120)
            counts.append(done)
            errors.extend(errs)
        for proc in procs:
            proc.join()
        elapsed = args.seconds
    else:
        deadline = started + args.seconds
        threads = [
            threading.Thread(target=_writer, args=(share, deadline, counts, errors)) for share in shares
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    lifecycles = sum(counts)
    entries = AuditEntry.objects.count() - before
    check_started = time.monotonic()
    result = verify_chain()
    check_seconds = time.monotonic() - check_started
    mode = "processes" if args.processes else "threads"
    print(
        f"{args.writers} writers ({mode}) over {args.bodies} bodies, {elapsed:.1f} s: "
        f"{lifecycles / elapsed:.0f} lifecycles/s, {entries / elapsed:.0f} entries/s "
        f"({lifecycles} lifecycles, {entries} entries); errors {len(errors)}; "
        f"chain {'OK' if result.ok else 'BROKEN'} "
        f"({result.checked} entries verified in {check_seconds:.1f} s)"
    )
    for error in errors[:5]:
        print("  error:", error)
    return 0 if result.ok and not errors and entries == 9 * lifecycles else 1


if __name__ == "__main__":
    sys.exit(main())
