"""Which session keys belong to whom, so a person's other sessions can be ended
without decoding every session."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class LoginSession(models.Model):
    scope_unscoped: ClassVar[str] = (
        "a user's own sign-in sessions, read by user (logins.sessions), never by organization"  # orgs.scoping
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"
