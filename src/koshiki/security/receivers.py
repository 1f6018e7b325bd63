"""Listens for 異動: a holder who leaves or moves loses the login and the password changes at once."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from koshiki.orgs.signals import personnel_change_applied


@receiver(personnel_change_applied, dispatch_uid="security-rotate-on-personnel-change")
def _rotate_on_personnel_change(sender: Any, change: Any, actor: Any = None, **kwargs: Any) -> None:
    from .services.tasks_open import rotate_for_personnel_change_unchecked

    rotate_for_personnel_change_unchecked(change, actor=actor)
