"""Listens for 異動: the person stops operating the accounts of the department they left."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from koshiki.orgs.signals import personnel_change_applied


@receiver(personnel_change_applied, dispatch_uid="registry-drop-operator-on-personnel-change")
def _drop_operator_on_personnel_change(sender: Any, change: Any, actor: Any = None, **kwargs: Any) -> None:
    from .services.operators import drop_operator_after_move_unchecked

    drop_operator_after_move_unchecked(change, actor=actor)
