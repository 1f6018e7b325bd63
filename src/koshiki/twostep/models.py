"""A staff member's authenticator (TOTP) seed, sealed with the environment's key."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class TOTPDevice(models.Model):
    scope_unscoped: ClassVar[str] = (
        "a user's own second factor, read by user only (twostep.services)"  # orgs.scoping
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="totp_device"
    )
    sealed_secret = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(
        default=0, help_text="Time step of the last accepted code: no replays."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Wrong codes are counted per person (not per session), within a window that starts at the first one.
    failed_attempts = models.PositiveIntegerField(default=0)
    failure_window_start = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(
        null=True, blank=True, help_text="No code is accepted before this time."
    )

    def __str__(self) -> str:
        return f"TOTP for user {self.user_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
