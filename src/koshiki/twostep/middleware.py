"""After the password, staff who must (or chose to) use two steps see only the code or set-up page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .session import is_verified

EXEMPT_PREFIXES = ("/two-step/", "/logout/", "/login/", "/static/", "/i18n/")


class TwoStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not is_verified(request.session, user)
        ):
            from .policy import two_step_required
            from .services import has_device

            target = None
            if has_device(user):
                target = "two-step-verify"
            elif two_step_required(user):
                target = "two-step-setup"
            if target:
                return HttpResponseRedirect(
                    f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)
