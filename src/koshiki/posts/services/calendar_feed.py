"""A member of staff's secret calendar (ICS) feed URL: issue, rotate, revoke, and find its owner (#13).

Why a hash: the URL is a bearer secret pasted into a calendar app; the database keeps only its SHA-256, so
neither a backup nor an administrator can open someone's feed. The owner must still be active staff when the
feed is read (a 退職 ends it), and the feed shows what that person may see, scoped as them.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs.models import Staff
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.scoping import acting_staff

from ..models import CalendarFeed

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def issue_feed(*, actor: Any, request_key: str = "") -> str | None:
    """A new token for the actor's feed (the old one, if any, stops working); returned once, never stored.

    The staff row is locked first, so two clicks at once queue instead of both creating a feed (500).
    ``request_key``: the form's one-time key; a second request with the key already used changes nothing and
    returns None (a double click, or a re-sent form, issues one token, not two).
    """
    staff = acting_staff(actor)
    Staff.objects.select_for_update(of=("self",), no_key=True).filter(pk=staff.pk).first()
    key = request_key[:64]
    existing = CalendarFeed.objects.select_for_update(of=("self",), no_key=True).filter(staff=staff).first()
    if key and existing is not None and existing.request_key == key:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    if existing is None:
        try:
            with transaction.atomic():
                feed = CalendarFeed.objects.create(staff=staff, token_hash=token_hash(token), request_key=key)
        except IntegrityError:
            # another request created it between our look and our insert (no row to lock): rotate it once
            existing = CalendarFeed.objects.select_for_update(of=("self",), no_key=True).get(staff=staff)
            if key and existing.request_key == key:
                return None
    if existing is not None:
        existing.token_hash = token_hash(token)
        existing.request_key = key
        existing.save(update_fields=["token_hash", "request_key"])
        feed = existing
    log_action(
        "posts.calendar_feed.issued",
        actor=actor,
        obj=feed,
        organization=staff.organization,
        after={"rotated": existing is not None},
    )
    return token


def _delete(feed: CalendarFeed, *, actor: Any, cause: str, reason: str = "") -> None:
    log_action(
        "posts.calendar_feed.revoked",
        actor=actor,
        obj=feed,
        organization=feed.staff.organization,
        after={"cause": cause, **({"reason": reason} if reason else {})},
    )
    feed.delete()


@transaction.atomic
def revoke_feed(*, actor: Any) -> bool:
    """Delete the actor's feed: its URL answers 404 from now on. False when there was none."""
    staff = acting_staff(actor)
    feed = CalendarFeed.objects.select_related("staff__organization").filter(staff=staff).first()
    if feed is None:
        return False
    _delete(feed, actor=actor, cause="self")
    return True


def revoke_feed_of(staff: Staff, *, actor: Any, cause: str, reason: str = "") -> bool:
    """Revoke ``staff``'s feed as part of an account-recovery event (password change, two-step reset,
    sign-in unlock, leave): the caller has checked permission and holds the transaction. Why: a feed URL
    is a bearer secret that may have leaked with the account; recovery must end it too."""
    feed = CalendarFeed.objects.select_related("staff__organization").filter(staff=staff).first()
    if feed is None:
        return False
    _delete(feed, actor=actor, cause=cause, reason=reason)
    return True


@transaction.atomic
def revoke_feed_by_admin(*, actor: Any, staff: Staff, reason: str) -> bool:
    """「カレンダーフィードを無効にする」: an administrator of the person's organization ends their feed."""
    if not can_manage_org(actor, staff.organization):
        raise NotPermitted(_("Only this organization's administrators can do this."))
    if not reason.strip():
        raise InvalidInput(_("Give a reason."), field="reason")
    return revoke_feed_of(staff, actor=actor, cause="administrator", reason=reason.strip())


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
