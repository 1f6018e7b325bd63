"""`make bench`: koshiki.checks against the presidio+GiNZA baseline, on the same posts.

Prints throughput and p50/p95 latency of both, and their ratio. Our checker is also timed on
posts cut to exactly 280 characters (the target: p95 ≤ 5 ms, ≥ 1,500 posts/s on one core,
name detection included). The baseline runs in its own virtualenv (.venv-bench), because
GiNZA needs an older SudachiPy than ours.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from koshiki.checks import CheckContext, check
from koshiki.checks.detectors import pii
from koshiki.checks.learned import DEFAULT_MODEL_PATH, LearnedModel, default_model
from koshiki.guidelines import get_profile

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "checks" / "corpus" / "posts.jsonl"
BASELINE_PY = ROOT / ".venv-bench" / "bin" / "python"


def load_texts() -> list[str]:
    return [
        json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def posts_of_280(texts: list[str]) -> list[str]:
    """The corpus run together and cut into 280-character posts."""
    joined = "\n".join(texts)
    return [joined[i : i + 280] for i in range(0, len(joined) - 280, 280)]


def measure(texts: list[str], count: int, learned: LearnedModel | None = None) -> dict[str, float]:
    context = CheckContext.from_profile(get_profile("iwaki"), own_domains=["city.minato-kita.lg.jp"])
    for text in texts[:20]:
        check(text, context=context, platform="facebook", learned=learned)  # warm-up: dictionary load
    latencies = []
    started = time.perf_counter()
    for i in range(count):
        text = texts[i % len(texts)]
        t0 = time.perf_counter()
        check(text, context=context, platform="facebook", learned=learned)
        latencies.append((time.perf_counter() - t0) * 1000)
    seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "posts": count,
        "seconds": round(seconds, 3),
        "posts_per_s": round(count / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 3),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_baseline(limit: int) -> dict[str, float] | None:
    if not BASELINE_PY.exists():
        print("baseline: .venv-bench missing (benchmarks/setup-baseline.sh)", file=sys.stderr)
        return None
    patterns = {
        "JP_PHONE": pii.PHONE.pattern,
        "EMAIL_ADDRESS": pii.EMAIL.pattern,
        "JP_POSTAL": pii.POSTAL.pattern,
        "JP_MYNUMBER": pii.MYNUMBER.pattern,
        "JP_ADDRESS": pii.BLOCK.pattern,
        "JP_DATE": pii.DATE.pattern,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(patterns, handle, ensure_ascii=False)
    result = subprocess.run(
        [
            str(BASELINE_PY),
            str(ROOT / "benchmarks" / "baseline_presidio.py"),
            "--posts",
            str(CORPUS),
            "--patterns",
            handle.name,
            "--limit",
            str(limit),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def row(name: str, r: dict[str, float]) -> str:
    return (
        f"{name:28} {r['posts']:>7} {r['posts_per_s']:>10,.1f} "
        f"{r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['rss_mb']:>8.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--baseline-posts", type=int, default=300)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    texts = load_texts()
    ours = measure(texts, args.posts)
    ours_280 = measure(posts_of_280(texts), args.posts)
    print(
        f"corpus: {CORPUS.relative_to(ROOT)} ({len(texts)} posts, "
        f"mean {statistics.mean(map(len, texts)):.0f} chars); one core"
    )
    print(f"{'checker':28} {'posts':>7} {'posts/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'RSS MB':>8}")
    print(row("koshiki.checks", ours))
    print(row("koshiki.checks (280 chars)", ours_280))
    baseline = None if args.no_baseline else run_baseline(args.baseline_posts)
    if baseline:
        print(row("presidio + ja_ginza", baseline))
        print(
            f"ratio: koshiki.checks is {ours['posts_per_s'] / baseline['posts_per_s']:,.0f}x "
            "the baseline's throughput;"
            f" p95 {baseline['p95_ms'] / ours['p95_ms']:,.0f}x lower"
        )
    ok = ours_280["p95_ms"] <= 5 and ours_280["posts_per_s"] >= 1500
    print(f"live check targets (280 chars): p95 ≤ 5 ms and ≥ 1,500 posts/s: {'met' if ok else 'NOT met'}")
    loading = time.perf_counter()
    model = default_model()
    load_s = time.perf_counter() - loading
    full_280 = measure(posts_of_280(texts), args.posts, learned=model)
    print(row("rules + learned (280 chars)", full_280))
    print(
        f"learned model: {DEFAULT_MODEL_PATH.stat().st_size / 1e6:.1f} MB on disk, loaded in {load_s:.2f} s"
    )
    ok_full = full_280["p95_ms"] <= 10 and full_280["rss_mb"] <= 400
    print(
        "save/submit/bulk targets (280 chars): p95 ≤ 10 ms and RSS ≤ 400 MB: "
        + ("met" if ok_full else "NOT met")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
