"""The user → session-key index, and ending a person's sessions through the configured session engine."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings

from .models import LoginSession


def remember(session: Any, user: Any, *, replaces: str | None = None) -> None:
    """Index ``session`` as one of ``user``'s (at login, and whenever the key is
    cycled: ``replaces`` the old key)."""
    if session is None or user is None or not user.is_authenticated:
        return
    if session.session_key is None:
        session.save()
    if replaces and replaces != session.session_key:
        LoginSession.objects.filter(session_key=replaces).delete()
    LoginSession.objects.update_or_create(session_key=session.session_key, defaults={"user": user})


def end_sessions(user: Any, *, keep: str | None = None) -> int:
    """Delete every indexed session of ``user`` except ``keep``; returns how many keys were dropped."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = LoginSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    LoginSession.objects.filter(session_key__in=keys).delete()
    return len(keys)
