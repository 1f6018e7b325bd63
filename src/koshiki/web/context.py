"""Template context: who is signed in, for which body, under which guideline."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .views.common import current_staff as _staff


def current_staff(request: HttpRequest) -> dict[str, Any]:
    staff = _staff(request)
    return {"current_staff": staff, "current_org": staff.organization if staff else None}
