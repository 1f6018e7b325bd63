"""Every login is written to the session index."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .sessions import remember


@receiver(user_logged_in, dispatch_uid="koshiki.logins.remember_session")
def _remember_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None:
        remember(getattr(request, "session", None), user)
