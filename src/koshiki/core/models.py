"""Row state of background work: one row per named sweep or recurring job (core/jobs.py)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class JobRun(models.Model):
    """When a named job or sweep last ran and how it ended; for once-a-period work, which period is done.

    The row is the truth a crash cannot erase: the sweeper's heartbeat, the day whose reminders went
    out, and a claim (token + time) that a second sweeper must not take while it is fresh.
    """

    scope_unscoped: ClassVar[str] = (
        "worker bookkeeping for the whole installation, not any organization's data"  # orgs.scoping
    )

    name = models.CharField(max_length=100, unique=True)
    period = models.CharField(
        max_length=40, blank=True, help_text="The period whose work is done (e.g. a date)."
    )
    claim_token = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="Consecutive failed runs.")
    failed_period = models.CharField(
        max_length=40, blank=True, help_text="The period the failures count for (attempts are per period)."
    )

    def __str__(self) -> str:
        return self.name
