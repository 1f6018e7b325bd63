"""A member of staff's secret calendar (ICS) feed URL: issue, rotate, revoke, and find its owner (#13).

Why a hash: the URL is a bearer secret pasted into a calendar app; the database keeps only its SHA-256, so
neither a backup nor an administrator can open someone's feed. The owner must still be active staff when the
feed is read (a 退職 ends it), and the feed shows what that person may see, scoped as them.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction

from koshiki.audit.services import log_action
from koshiki.orgs.models import Staff
from koshiki.orgs.scoping import acting_staff

from ..models import CalendarFeed

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def issue_feed(*, actor: Any) -> str:
    """A new token for the actor's feed (the old one, if any, stops working); returned once, never stored."""
    staff = acting_staff(actor)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    existing = CalendarFeed.objects.select_for_update(of=("self",), no_key=True).filter(staff=staff).first()
    if existing is None:
        feed = CalendarFeed.objects.create(staff=staff, token_hash=token_hash(token))
    else:
        existing.token_hash = token_hash(token)
        existing.save(update_fields=["token_hash"])
        feed = existing
    log_action(
        "posts.calendar_feed.issued",
        actor=actor,
        obj=feed,
        organization=staff.organization,
        after={"rotated": existing is not None},
    )
    return token


@transaction.atomic
def revoke_feed(*, actor: Any) -> bool:
    """Delete the actor's feed: its URL answers 404 from now on. False when there was none."""
    staff = acting_staff(actor)
    feed = CalendarFeed.objects.filter(staff=staff).first()
    if feed is None:
        return False
    log_action("posts.calendar_feed.revoked", actor=actor, obj=feed, organization=staff.organization)
    feed.delete()
    return True


def feed_owner(token: str) -> Staff | None:
    """The active member of staff whose feed ``token`` opens, else None (unknown, revoked, or left)."""
    if not token or len(token) > 200:
        return None
    feed = (
        CalendarFeed.objects.select_related("staff__user", "staff__organization")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if feed is None:
        return None
    staff = feed.staff
    if staff.status != Staff.Status.ACTIVE or not staff.user.is_active:
        return None
    return staff
