"""Python 3.11 parses cookies in quadratic time: an oversized Cookie header is refused before parsing."""

from __future__ import annotations

from typing import Any

from django.test import Client


def test_a_cookie_header_over_the_limit_is_refused_with_400(db: Any) -> None:
    client = Client()
    client.cookies["filler"] = "a" * 9000
    response = client.get("/login/")
    assert response.status_code == 400


def test_an_ordinary_cookie_header_passes(db: Any) -> None:
    client = Client()
    client.cookies["filler"] = "a" * 2000
    assert client.get("/login/").status_code == 200


def test_the_limit_is_checked_before_anything_reads_the_cookies(db: Any, settings: Any) -> None:
    assert settings.MIDDLEWARE[0] == "koshiki.core.cookie_limit.CookieSizeLimitMiddleware"
