"""The account lifecycle: states and the moves between them (a guarded state machine)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


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
