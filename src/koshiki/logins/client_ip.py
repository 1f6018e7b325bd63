"""The client's address for sign-in throttling, behind a known number of trusted reverse proxies.

Without proxies (KOSHIKI_PROXY_COUNT=0, the default) it is REMOTE_ADDR. Behind N proxies that each append
the address they saw to X-Forwarded-For (nginx's ``$proxy_add_x_forwarded_for``; Caddy does the same), the
client is the N-th address from the right: everything left of it was sent by the client and can be forged.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    hops = int(getattr(settings, "KOSHIKI_PROXY_COUNT", 0) or 0)
    if hops <= 0:
        return remote
    chain = [
        part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()
    ]
    if len(chain) < hops:
        return remote  # not through all our proxies: count it by the address we actually saw
    candidate = chain[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
