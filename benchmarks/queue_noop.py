"""The trivial job bench_queue.py times (a module of its own so the worker processes can import it)."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def noop_task(n: int, wait_ms: float = 0) -> int:
    """Returns at once, or after ``wait_ms`` of waiting (standing in for a platform's HTTP round trip)."""
    if wait_ms:
        time.sleep(wait_ms / 1000)
    return n
