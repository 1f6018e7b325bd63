"""Lifecycles of credential records: devices, a device's access to an account, 'rotate now' tasks.

Each is an enum, a table of allowed moves and a guarded compare-and-set move (core/statemachine.py);
the models take their state choices from here, and services move rows only through these functions.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from koshiki.core.statemachine import guarded_move


class DeviceState(models.TextChoices):
    IN_USE = "in_use", _("In use")
    LOST = "lost", _("Lost or stolen")
    RETIRED = "retired", _("Retired")


class AccessState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


D, A, T = DeviceState, AccessState, TaskState
DEVICE_TRANSITIONS: dict[str, frozenset[str]] = {
    D.IN_USE: frozenset({D.LOST, D.RETIRED}),
    D.LOST: frozenset(),
    D.RETIRED: frozenset(),
}
#: A refused or revoked access may be asked for again (the same row goes back to pending or approved).
ACCESS_TRANSITIONS: dict[str, frozenset[str]] = {
    A.PENDING: frozenset({A.APPROVED, A.REFUSED, A.REVOKED}),
    A.APPROVED: frozenset({A.REVOKED}),
    A.REFUSED: frozenset({A.PENDING, A.APPROVED}),
    A.REVOKED: frozenset({A.PENDING, A.APPROVED}),
}
TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    T.OPEN: frozenset({T.DONE}),
    T.DONE: frozenset(),
}
#: Accesses that still let a device log in, i.e. the ones a loss or a personnel change revokes.
LIVE_ACCESS = frozenset({A.PENDING, A.APPROVED})


def _labels(enum: type[models.TextChoices]) -> dict[str, str]:
    return {value: str(label) for value, label in enum.choices}


def move_device(device: Any, target: str, **also: Any) -> str:
    return str(guarded_move(device, target, allowed=DEVICE_TRANSITIONS, labels=_labels(DeviceState), **also))


def move_access(access: Any, target: str, **also: Any) -> str:
    return str(guarded_move(access, target, allowed=ACCESS_TRANSITIONS, labels=_labels(AccessState), **also))


def move_task(task: Any, target: str, **also: Any) -> str:
    return str(guarded_move(task, target, allowed=TASK_TRANSITIONS, labels=_labels(TaskState), **also))
