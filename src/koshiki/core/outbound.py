"""The outbound guard as this deployment configures it (``KOSHIKI_OUTBOUND_ALLOW``).

Every server-side request to an address someone entered (channel servers today; other platforms
and AI endpoints later) takes its guard from here, so the allow-list is set in one place.
"""

from __future__ import annotations

from django.conf import settings

from koshiki.connectors.outbound import OutboundGuard, Resolver

resolver: Resolver | None = None  # None: the system resolver (tests put a fake one here)


def outbound_guard() -> OutboundGuard:
    return OutboundGuard(allow=getattr(settings, "KOSHIKI_OUTBOUND_ALLOW", ()), resolver=resolver)
