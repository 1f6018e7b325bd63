"""Issue #14 review R: the AI endpoint call against a hostile fake endpoint (127.0.0.1, in a thread).

A dripping answer (one byte every 20 ms: each read is quick, the whole answer is not) must end at the
timeout; a zstd bomb (2 KB that inflates to 64 MiB) must not be inflated. Prints the outcome, the time and
the peak traced memory. ``--connector FILE`` measures another copy of connectors/ai_endpoint.py, e.g. the one
before the review: ``git show aeeadb0:src/koshiki/connectors/ai_endpoint.py > /tmp/old_ai_endpoint.py``.

    PYTHONPATH=src python benchmarks/bench_ai_endpoint_limits.py [--connector FILE]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "aireview"))

import fake_endpoint  # noqa: E402  (the tests' fake server)

from koshiki.connectors import ai_endpoint  # noqa: E402
from koshiki.connectors.outbound import OutboundGuard  # noqa: E402


def _load(path: str) -> ModuleType:
    source = Path(path).read_text(encoding="utf-8").replace("from .", "from koshiki.connectors.")
    module = ModuleType("ai_endpoint_under_test")
    exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102  (a file the operator named)
    return module


def _run(module: ModuleType, fake: fake_endpoint.FakeAI, timeout: float) -> tuple[str, float, float]:
    guard = OutboundGuard(allow=[fake.origin])
    started = time.monotonic()
    tracemalloc.start()
    try:
        module.chat_completion(
            guard=guard,
            base_url=fake.base_url,
            api_key="k" * 20,
            model="m",
            messages=[{"role": "user", "content": "x"}],
            timeout=timeout,
            max_bytes=256 * 1024,
        )
        outcome = "ok"
    except module.AIEndpointError as exc:
        outcome = exc.reason
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return outcome, time.monotonic() - started, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connector", help="another copy of connectors/ai_endpoint.py to measure")
    args = parser.parse_args()
    module = _load(args.connector) if args.connector else ai_endpoint
    fake = fake_endpoint.start()
    try:
        fake.answer([{"category": "personal_info", "quote": "x" * 40, "reason_ja": "y" * 40}])
        fake.drip = 0.02
        outcome, seconds, _ = _run(module, fake, 0.5)
        print(f"dripping answer (20 ms/byte), timeout 0.5 s: {outcome} after {seconds:.2f} s")
        import zstandard

        fake.drip = 0.0
        fake.raw = zstandard.ZstdCompressor().compress(b"\0" * (64 * 1024 * 1024))
        fake.headers = {"Content-Encoding": "zstd"}
        outcome, seconds, peak = _run(module, fake, 5.0)
        print(f"zstd bomb ({len(fake.raw)} B -> 64 MiB), cap 256 KiB: {outcome}, peak traced {peak:.1f} MiB")
    finally:
        fake_endpoint.stop(fake)


if __name__ == "__main__":
    main()
