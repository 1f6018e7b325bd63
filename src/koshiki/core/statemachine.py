"""Explicit lifecycles: an enum of states, a table of allowed moves, and a guarded move.

The move is a compare-and-set on the row (UPDATE ... WHERE state = expected), so two
people acting at once cannot both win; the loser gets InvalidTransition.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import InvalidTransition


def check_transition(
    allowed: Mapping[Any, frozenset[Any]], current: Any, target: Any, *, labels: Mapping[Any, str | Promise]
) -> None:
    if target not in allowed.get(current, frozenset()):
        raise InvalidTransition(
            _("This cannot change from “%(current)s” to “%(target)s”.")
            % {"current": labels.get(current, current), "target": labels.get(target, target)}
        )


def compare_and_set(instance: models.Model, field: str, expected: Any, new: Any, **also: Any) -> None:
    """Move ``field`` from expected to new on the row, or raise InvalidTransition."""
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, **{field: expected}).update(
        **{field: new}, **also
    )
    if updated != 1:
        raise InvalidTransition(_("Someone else changed this at the same time. Reload and try again."))
    setattr(instance, field, new)
    for name, value in also.items():
        setattr(instance, name, value)


def guarded_move(
    instance: models.Model,
    target: Any,
    *,
    allowed: Mapping[Any, frozenset[Any]],
    labels: Mapping[Any, str | Promise],
    field: str = "state",
    **also: Any,
) -> Any:
    """check_transition from the instance's state, then compare_and_set from it; returns the state it left.

    A stale copy fails the compare-and-set, so a row another request moved is never moved twice.
    """
    current = getattr(instance, field)
    check_transition(allowed, current, target, labels=labels)
    compare_and_set(instance, field, current, target, **also)
    return current
