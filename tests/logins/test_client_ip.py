"""Sign-in throttling counts the real client behind our proxies, and a forged
X-Forwarded-For changes nothing."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from koshiki.logins.client_ip import client_ip


def _request(remote: str, forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/login/", **extra)


def test_without_proxies_the_forwarded_header_is_ignored(settings: Any) -> None:
    settings.KOSHIKI_PROXY_COUNT = 0
    assert client_ip(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_one_proxy_the_right_most_address_is_the_client(settings: Any) -> None:
    settings.KOSHIKI_PROXY_COUNT = 1
    # The client forged "203.0.113.9"; nginx appended the address it really saw.
    assert client_ip(_request("127.0.0.1", "203.0.113.9, 198.51.100.7")) == "198.51.100.7"


def test_behind_one_proxy_a_request_without_the_header_counts_as_the_proxy(settings: Any) -> None:
    settings.KOSHIKI_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"


def test_a_garbage_forwarded_entry_falls_back_to_the_socket_address(settings: Any) -> None:
    settings.KOSHIKI_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"
