"""The trivial job bench_queue.py times (a module of its own so the worker processes can import it)."""

from __future__ import annotations

from django_tasks import task


@task()
def noop_task(n: int) -> int:
    return n
