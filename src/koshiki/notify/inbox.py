"""A person's お知らせ: their own notifications only, rendered in the reader's language when shown, and
marked read by them (POST, idempotent). Marking one's own notifications read is personal, not an act of the
organization, so it writes no audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from koshiki.orgs.scoping import staff_of

from . import messages
from .models import Notification


@dataclass(frozen=True)
class Shown:
    """One notification as the reader sees it."""

    row: Notification
    subject: str
    body: str

    @property
    def unread(self) -> bool:
        return self.row.read_at is None


def for_staff(staff: Any) -> QuerySet[Notification]:
    """The person's own notifications, newest first (nobody else's, whatever their roles)."""
    if staff is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=staff).order_by("-created_at", "-pk")


def unread_count(staff: Any) -> int:
    """One indexed count (recipient, read_at) for the navigation."""
    if staff is None:
        return 0
    return Notification.objects.filter(recipient=staff, read_at__isnull=True).count()


def render(row: Notification, cache: dict[Any, Any] | None = None) -> Shown:
    """The text in the active language (the reader's); a message no longer defined shows its key."""
    try:
        spec = messages.get(row.key)
    except KeyError:
        return Shown(row, row.key, "")
    rendered = spec.render(row.recipient, row.params, cache if cache is not None else {})
    subject, body = rendered if rendered is not None else (row.key, "")
    return Shown(row, subject, body)


def mark_read(*, actor: Any, notification_id: int) -> bool:
    """Mark one of the actor's own notifications read; True when it was unread (someone else's: False)."""
    staff = staff_of(actor)
    if staff is None:
        return False
    return bool(
        Notification.objects.filter(pk=notification_id, recipient=staff, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; how many changed."""
    staff = staff_of(actor)
    if staff is None:
        return 0
    return Notification.objects.filter(recipient=staff, read_at__isnull=True).update(read_at=timezone.now())
