"""Listens for 異動: a person who leaves loses their calendar feed URL at once (audited).

A move keeps it: the feed is scoped as its owner when read, so it follows them to the new department.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from koshiki.orgs.signals import personnel_change_applied


@receiver(personnel_change_applied, dispatch_uid="posts-end-feed-on-leave")
def _end_feed_on_leave(sender: Any, change: Any, actor: Any = None, **kwargs: Any) -> None:
    from koshiki.orgs.models import PersonnelChange

    from .services.calendar_feed import revoke_feed_of

    if change.kind == PersonnelChange.Kind.LEAVE:
        revoke_feed_of(change.staff, actor=actor, cause="left")
