"""Template context: who is signed in, for which body, under which guideline."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from koshiki.orgs.scoping import staff_of


def current_staff(request: HttpRequest) -> dict[str, Any]:
    staff = staff_of(getattr(request, "user", None))
    return {"current_staff": staff, "current_org": staff.organization if staff else None}
