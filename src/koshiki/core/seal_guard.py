"""A sealed value that the configured key cannot open is an operator's configuration mistake.

Rather than an HTTP 500 on every two-step sign-in (or channel page), answer 503 with a page that says
the encryption key does not match, and log it once per request for the operator (issue #10 §5).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .crypto import SealError

logger = logging.getLogger("koshiki.security")


class SealErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, SealError):
            return None
        logger.error(
            "A sealed value could not be opened at %s: KOSHIKI_ENCRYPTION_KEY does not match the key "
            "the data was sealed with (list the old key after the new one, see docs/DEPLOYMENT.md)",
            request.path,
        )
        return render(request, "koshiki/key_mismatch.html", status=503)
