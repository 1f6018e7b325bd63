"""The sweeper: one recurring job that runs every registered row-state sweep (core/jobs.py)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .request_id import set_request_id


@task()
def sweeper_task() -> dict[str, Any]:
    """Queue the next run first (so a crash here cannot stop sweeping), then sweep."""
    from . import jobs

    set_request_id("job-sweeper")
    jobs.ensure_recurring()
    return jobs.run_sweeps()


@task()
def fanout_part_task(name: str, key: int, period: str) -> Any:
    """One body's share of a daily fan-out (core/jobs.py ``fan_out``): done once per period."""
    from . import jobs

    set_request_id(f"job-{name}-{key}")
    return jobs.run_part(name, key, period)
