"""Platform connectors: how Koshiki publishes to social media, without Django.

Kept free of Django so the workflow that uses them can be tested, and a connector replaced by a
fake, without a database; credentials and session strings are passed in and reported back, the
caller stores them. ``base`` holds the interface and errors, ``bluesky`` the AT Protocol
implementation, ``tid`` the deterministic record keys behind its idempotency, and ``devnet`` the
helpers for a local test network.
"""

from .base import (
    AuthenticationError,
    Connector,
    ConnectorError,
    MediaItem,
    NotFoundError,
    OutgoingPost,
    PermanentPlatformError,
    PublishedRef,
    Reply,
    TransientPlatformError,
)

__all__ = [
    "AuthenticationError",
    "Connector",
    "ConnectorError",
    "MediaItem",
    "NotFoundError",
    "OutgoingPost",
    "PermanentPlatformError",
    "PublishedRef",
    "Reply",
    "TransientPlatformError",
]
