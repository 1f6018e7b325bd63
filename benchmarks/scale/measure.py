"""Time each main page for one body (p50, p95, query count), `koshiki audit verify`, and the worker.

Pages are requested through Django's test Client, signed in (force_login, second step marked passed) as
the body's 広報主管課 persona: the full request path (middleware, scoping, templates) without a network.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .generate import BodyInfo

ROOT = Path(__file__).resolve().parents[2]

#: (label, path); {account} and {post} are the body's busiest account and one of its published posts.
PAGES: tuple[tuple[str, str], ...] = (
    ("dashboard", "/"),
    ("台帳 list", "/accounts/"),
    ("台帳 export (.xlsx)", "/accounts/export/"),
    ("account detail", "/accounts/{account}/"),
    ("post list", "/posts/"),
    ("post detail", "/posts/{post}/"),
    ("calendar", "/posts/calendar/"),
    ("approval queue", "/posts/approvals/"),
    ("after-the-fact list", "/posts/after/"),
    ("audit log", "/audit/"),
    ("security board", "/security/"),
    ("people", "/people/"),
)


@dataclass
class PageResult:
    label: str
    path: str
    status: int
    p50_ms: float
    p95_ms: float
    queries: int

    @property
    def ok(self) -> bool:
        return self.status == 200


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def signed_in(user: Any) -> Any:
    """A test Client past both steps for ``user``."""
    from django.test import Client

    from koshiki.twostep.session import mark_verified

    client = Client()
    client.force_login(user)
    session = client.session
    mark_verified(session, user)
    session.save()
    return client


def measure_page(client: Any, label: str, path: str, runs: int) -> PageResult:
    """One warm-up, then ``runs`` timed requests; the query count of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # per-process caches (profile, translations, templates)
    times: list[float] = []
    queries = 0
    status = 0
    for _ in range(max(1, runs)):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        queries = len(captured.captured_queries)
    return PageResult(label, path, status, statistics.median(times), _percentile(times, 0.95), queries)


def measure_body(
    body: BodyInfo, runs: int, log: Callable[[str], None] = print, pages: tuple[tuple[str, str], ...] = PAGES
) -> list[PageResult]:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=body.persona_user_id)
    client = signed_in(user)
    results = []
    for label, template in pages:
        if ("{post}" in template and body.post_id is None) or (
            "{account}" in template and not body.account_id
        ):
            results.append(PageResult(label, template, 0, 0.0, 0.0, 0))
            continue
        path = template.format(account=body.account_id, post=body.post_id)
        result = measure_page(client, label, path, runs)
        log(
            f"    {label:<22} {result.p50_ms:8.1f} ms p50 {result.p95_ms:8.1f} ms p95"
            f" {result.queries:6d} queries  [{result.status}]"
        )
        results.append(result)
    return results


@dataclass
class VerifyRun:
    ok: bool
    seconds: float
    peak_rss_mb: float
    output: str


def _child_env(database_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


#: Appended to the measured code: the process's own high-water mark. Not wait4's ru_maxrss, which on Linux
#: keeps the parent's size from before exec (a benchmark that generated 500,000 posts lent it ~390 MB).
_REPORT_PEAK = """
def _koshiki_peak():
    import atexit, sys
    def report():
        with open("/proc/self/status") as status:
            peak = [line.split()[1] for line in status if line.startswith("VmHWM:")]
        sys.stdout.flush()
        sys.stderr.write(f"\\nKOSHIKI_PEAK_KB {peak[0]}\\n" if peak else "")
    atexit.register(report)
_koshiki_peak()
"""


def run_measured(code: str, env: dict[str, str] | None = None) -> VerifyRun:
    """Python ``code`` in a process of its own: exit status, wall time and the peak RSS of that process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _REPORT_PEAK + code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    peak_kb = float(usage.ru_maxrss)  # other systems: the best there is
    lines = []
    for line in output.splitlines():
        if line.startswith("KOSHIKI_PEAK_KB "):
            peak_kb = float(line.split()[1])
        elif line.strip():
            lines.append(line)
    return VerifyRun(proc.returncode == 0, seconds, peak_kb / 1024, "\n".join(lines)[-300:])


def audit_verify(database_url: str | None) -> VerifyRun:
    """`koshiki audit verify` in a process of its own."""
    code = "import sys; from koshiki.cli import main; sys.exit(main(['audit', 'verify']))"
    return run_measured(code, _child_env(database_url))


def worker_throughput(database_url: str | None, jobs: int) -> str:
    """benchmarks/bench_queue.py (issue #12 part C) with 1, 2 and 4 workers, or why it was not measured."""
    script = ROOT / "benchmarks" / "bench_queue.py"
    if not script.exists():
        return "not measured (benchmarks/bench_queue.py is not in this tree)"
    if not database_url:
        return "not measured (needs PostgreSQL)"
    done = subprocess.run(
        [
            sys.executable,
            str(script),
            "--database-url",
            database_url,
            "--workers",
            "1",
            "2",
            "4",
            "--jobs",
            str(jobs),
        ],
        env=_child_env(database_url),
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    text = (done.stdout + ("\n" + done.stderr if done.returncode else "")).strip()
    return text if done.returncode == 0 else f"failed (exit {done.returncode}): {text[-800:]}"
