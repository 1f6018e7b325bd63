"""The result of a run as the issue's table (page | largest body | smallest body), markdown and JSON."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from .generate import BodyInfo
from .measure import PageResult, VerifyRun
from .sizes import Scale


@dataclass
class Run:
    date: str
    database: str
    scale: Scale
    generate_seconds: dict[str, float]
    largest: BodyInfo
    smallest: BodyInfo
    largest_pages: list[PageResult]
    smallest_pages: list[PageResult]
    runs: int
    verify: VerifyRun | None = None
    worker: str = "not measured"


def _cell(page: PageResult) -> str:
    if page.status == 0:
        return "n/a"
    text = f"{page.p50_ms:,.0f} ms (p95 {page.p95_ms:,.0f}), {page.queries:,} queries"
    return text if page.ok else f"{text} [HTTP {page.status}]"


def _body(info: BodyInfo) -> str:
    return f"{info.name}: {info.accounts:,} accounts, {info.staff:,} staff, {info.posts:,} posts"


def markdown(run: Run) -> str:
    s = run.scale
    lines = [
        f"# Scale benchmark {run.date}",
        "",
        f"Database: {run.database}. Scale: {s.bodies:,} bodies, {s.accounts:,} accounts, {s.staff:,} staff,"
        f" {s.posts:,} posts, {s.audit_entries:,} audit entries. p50/p95 over {run.runs} requests after one"
        " warm-up, signed in as the body's 広報主管課 persona.",
        "",
        (
            "Generation: "
            + ", ".join(f"{name} {sec:.1f} s" for name, sec in run.generate_seconds.items())
            + f" (total {sum(run.generate_seconds.values()):.1f} s)."
            if run.generate_seconds
            else "Generation: none (--reuse: the dataset kept by an earlier run)."
        ),
        "",
        f"| page or job | largest body ({_body(run.largest)}) | smallest body ({_body(run.smallest)}) |",
        "|---|---|---|",
    ]
    for big, small in zip(run.largest_pages, run.smallest_pages, strict=True):
        lines.append(f"| {big.label} | {_cell(big)} | {_cell(small)} |")
    if run.verify is not None:
        v = run.verify
        state = "OK" if v.ok else "FAILED"
        lines.append(
            f"| `koshiki audit verify` (whole chain) | {v.seconds:.1f} s, peak RSS {v.peak_rss_mb:.0f} MB,"
            f" {state} | |"
        )
    lines += [
        "",
        "Worker throughput (benchmarks/bench_queue.py, 1, 2 and 4 workers):",
        "",
        "```",
        run.worker,
        "```",
    ]
    return "\n".join(lines) + "\n"


def as_json(run: Run) -> str:
    def clean(value: Any) -> Any:
        if isinstance(value, BodyInfo):
            data = dataclasses.asdict(value)
            data.pop("post_ids", None)
            data.pop("account_ids", None)
            return data
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    return json.dumps(clean(run), ensure_ascii=False, indent=2)
