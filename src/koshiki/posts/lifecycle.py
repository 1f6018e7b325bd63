"""The post lifecycle as an explicit state machine."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class PostState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("post state", "Draft")
    CHECKED = "checked", pgettext_lazy("post state", "Checked")
    SUBMITTED = "submitted", pgettext_lazy("post state", "Waiting for approval")
    APPROVED = "approved", pgettext_lazy("post state", "Approved")
    SCHEDULED = "scheduled", pgettext_lazy("post state", "Scheduled")
    PUBLISHING = "publishing", pgettext_lazy("post state", "Publishing")
    PUBLISHED = "published", pgettext_lazy("post state", "Published")
    FAILED = "failed", pgettext_lazy("post state", "Failed")
    WITHDRAWN = "withdrawn", pgettext_lazy("post state", "Withdrawn")
    DELETED = "deleted", pgettext_lazy("post state", "Deleted")


S = PostState
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.CHECKED, S.WITHDRAWN}),
    S.CHECKED: frozenset({S.CHECKED, S.SUBMITTED, S.APPROVED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.APPROVED, S.DRAFT, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.SCHEDULED, S.SUBMITTED, S.WITHDRAWN}),  # back to approval: a reschedule (#13)
    S.SCHEDULED: frozenset({S.PUBLISHING, S.SUBMITTED, S.WITHDRAWN}),
    S.PUBLISHING: frozenset({S.PUBLISHED, S.FAILED, S.SCHEDULED}),
    S.FAILED: frozenset({S.SCHEDULED, S.WITHDRAWN}),
    S.PUBLISHED: frozenset({S.DELETED}),
    S.WITHDRAWN: frozenset(),
    S.DELETED: frozenset(),
}
EDITABLE = frozenset({S.DRAFT, S.CHECKED})
# a post with a publishing time that a person may still move (the calendar, #13)
MOVABLE = frozenset({S.SUBMITTED, S.APPROVED, S.SCHEDULED})


def labels() -> dict[str, str]:
    return {value: str(label) for value, label in PostState.choices}
