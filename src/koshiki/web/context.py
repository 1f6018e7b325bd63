"""Template context: who is signed in, for which body, under which guideline, and their unread お知らせ."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from koshiki.notify.inbox import unread_count

from .views.common import current_staff as _staff


def _unread(request: HttpRequest) -> int:
    """One count per request, and only when a page shows it (cached on the request)."""
    if not hasattr(request, "_koshiki_unread"):
        request._koshiki_unread = unread_count(_staff(request))  # type: ignore[attr-defined]
    return request._koshiki_unread  # type: ignore[attr-defined,no-any-return]


def _may_see_overview(request: HttpRequest, staff: Any) -> bool:
    from .views.overview import may_see_overview

    return staff is not None and may_see_overview(request.user, staff.organization)


def current_staff(request: HttpRequest) -> dict[str, Any]:
    staff = _staff(request)
    return {
        "current_staff": staff,
        "current_org": staff.organization if staff else None,
        "notifications_unread": SimpleLazyObject(lambda: _unread(request)),
        # issue #13 T: the nav shows the overview only to those who may open it (one query, when shown)
        "may_see_overview": SimpleLazyObject(lambda: _may_see_overview(request, staff)),
    }
