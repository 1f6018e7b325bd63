"""The session remembers that this user passed the second step."""

from __future__ import annotations

from typing import Any

SESSION_KEY = "koshiki_two_step_user"


def mark_verified(session: Any, user: Any) -> None:
    session[SESSION_KEY] = user.pk


def is_verified(session: Any, user: Any) -> bool:
    return bool(session.get(SESSION_KEY) == user.pk)
