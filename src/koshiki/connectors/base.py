"""What every platform connector offers the product, and the errors it may raise.

The product publishes through this interface only, so a platform can be swapped (or faked in tests)
without touching the publishing workflow. The error classes carry the one decision the caller has
to make after a failure: retry later (``TransientPlatformError``) or stop and tell a person
(``PermanentPlatformError``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class MediaItem:
    """An image to attach, with the alternative text accessibility guidelines require."""

    data: bytes = field(repr=False)
    mime_type: str
    alt: str


@dataclass(frozen=True)
class OutgoingPost:
    """A post to publish.

    ``idempotency_key`` is chosen by the caller (e.g. ``"post-42-attempt-<uuid>"``) and must stay
    the same across retries of one publication: the connector derives the platform-side identity
    of the post from it, so a retry finds the earlier post instead of posting twice.
    """

    text: str
    idempotency_key: str
    media: tuple[MediaItem, ...] = ()


@dataclass(frozen=True)
class PublishedRef:
    """Where a published post lives: the platform's id (for delete/replies) and a public URL."""

    remote_id: str
    url: str


@dataclass(frozen=True)
class Reply:
    """A reply to one of our posts, flattened out of its thread."""

    remote_id: str
    author_handle: str
    text: str
    created_at: str
    url: str


class ConnectorError(Exception):
    """Any failure of a connector. Messages never contain credentials."""


class TransientPlatformError(ConnectorError):
    """Worth retrying with backoff: network errors, timeouts, 5xx, rate limits, lost races.

    ``retry_after`` is the platform's own hint in seconds, when it sent one.
    """

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentPlatformError(ConnectorError):
    """The platform refused the request as invalid; retrying the same request cannot succeed."""


class AuthenticationError(PermanentPlatformError):
    """The credentials are wrong, revoked or need a step we cannot do (e.g. 2FA): a person must act."""


class NotFoundError(PermanentPlatformError):
    """The remote object (e.g. the post whose replies were asked for) does not exist (any more)."""


@runtime_checkable
class Connector(Protocol):
    """One account on one platform."""

    def publish(self, post: OutgoingPost) -> PublishedRef:
        """Publish ``post``, or return the post already published under its idempotency key."""
        ...

    def find_published(self, idempotency_key: str) -> PublishedRef | None:
        """The post published under ``idempotency_key``, if any: reconciles a crash after publishing."""
        ...

    def delete(self, remote_id: str) -> None:
        """Delete a post; deleting a post that is already gone is not an error."""
        ...

    def update_profile_description(self, text: str) -> None:
        """Replace the account's profile description, keeping the rest of the profile."""
        ...

    def replies(self, remote_id: str) -> list[Reply]:
        """All replies under a post, at any depth, as a flat list."""
        ...
