"""An AI review's states: pending (asked, or being fetched) → done or failed; failed → pending again."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Waiting for the AI")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


TRANSITIONS: dict[str, frozenset[str]] = {
    ReviewState.PENDING: frozenset({ReviewState.DONE, ReviewState.FAILED}),
    ReviewState.FAILED: frozenset({ReviewState.PENDING}),
    ReviewState.DONE: frozenset(),
}
