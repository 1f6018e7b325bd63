"""The account and notice lifecycles: states and the moves between them (guarded state machines)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy

from koshiki.core.statemachine import guarded_move


class AccountState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("account state", "Requested")
    APPROVED = "approved", pgettext_lazy("account state", "Approved")
    ACTIVE = "active", pgettext_lazy("account state", "Active")
    CHANGE_ANNOUNCED = "change_announced", pgettext_lazy("account state", "Change announced")
    CLOSURE_ANNOUNCED = "closure_announced", pgettext_lazy("account state", "Closure announced")
    SUSPENDED = "suspended", pgettext_lazy("account state", "Suspended")
    CLOSED = "closed", pgettext_lazy("account state", "Closed")
    REJECTED = "rejected", pgettext_lazy("account state", "Rejected")


S = AccountState
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset({S.ACTIVE, S.CLOSED}),
    S.ACTIVE: frozenset({S.CHANGE_ANNOUNCED, S.CLOSURE_ANNOUNCED, S.SUSPENDED}),
    S.CHANGE_ANNOUNCED: frozenset({S.ACTIVE, S.SUSPENDED}),
    S.CLOSURE_ANNOUNCED: frozenset({S.CLOSED, S.SUSPENDED, S.ACTIVE}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.CLOSED}),
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset(),
}
#: States in which the account is public and must be disclosed.
LIVE_STATES = frozenset({S.ACTIVE, S.CHANGE_ANNOUNCED, S.CLOSURE_ANNOUNCED})


def labels() -> dict[str, str]:
    return {value: str(label) for value, label in AccountState.choices}


class NoticeState(models.TextChoices):
    SCHEDULED = "scheduled", gettext_lazy("Scheduled")
    DONE = "done", gettext_lazy("Done")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")
    TAKEN_DOWN = "taken_down", gettext_lazy("Taken down")  # done, and off the homepage after keep_until


NOTICE_TRANSITIONS: dict[str, frozenset[str]] = {
    NoticeState.SCHEDULED: frozenset({NoticeState.DONE, NoticeState.CANCELLED}),
    NoticeState.DONE: frozenset({NoticeState.TAKEN_DOWN}),
    NoticeState.CANCELLED: frozenset(),
    NoticeState.TAKEN_DOWN: frozenset(),
}


def move_notice(notice: Any, target: str) -> str:
    """Guarded compare-and-set move of a notice; returns the state it left."""
    labels = {value: str(label) for value, label in NoticeState.choices}
    return str(guarded_move(notice, target, allowed=NOTICE_TRANSITIONS, labels=labels))
