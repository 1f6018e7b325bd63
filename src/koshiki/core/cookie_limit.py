"""Refuse an oversized Cookie header before anything parses it (defence in depth, issue #10 §5).

Python 3.11's http.cookies parsing is quadratic: one 60 KB cookie cost 4.5 s of CPU. The reverse
proxy's header limits are the first line (docs/DEPLOYMENT.md); this middleware is first in MIDDLEWARE
and only measures the raw header, so no request.COOKIES is built for a refused request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

DEFAULT_MAX_COOKIE_BYTES = 8192
logger = logging.getLogger("koshiki.security")


class CookieSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = int(getattr(settings, "KOSHIKI_MAX_COOKIE_BYTES", DEFAULT_MAX_COOKIE_BYTES))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = len(request.META.get("HTTP_COOKIE", ""))
        if size > self.limit:
            logger.warning("Refused a request with a %d-byte Cookie header (limit %d)", size, self.limit)
            return HttpResponseBadRequest(
                "Cookie ヘッダーが大きすぎます。ブラウザーのこのサイトの Cookie を削除してください。\n"
                "Cookie header too large: clear this site's cookies in your browser.\n",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
