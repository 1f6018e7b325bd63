"""Publishing, exactly once. The intent (a PublishAttempt with the post's idempotency key) is committed
before the platform is called; the platform derives the post's identity from that key, so a retry or a
reconciliation after a crash finds the earlier post instead of posting twice, and a crash never loses one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.connectors import ConnectorError, MediaItem, OutgoingPost, PublishedRef, TransientPlatformError
from koshiki.connectors.sanitize import clean_error
from koshiki.core import jobs
from koshiki.core.errors import InvalidTransition, NotPermitted
from koshiki.orgs.scoping import staff_of
from koshiki.registry.links import post_url
from koshiki.registry.models import OfficialAccount

from .. import notifications
from ..channels import connector_for
from ..lifecycle import PostState
from ..models import Post, PublishAttempt
from ..roles import can_write, write_refusal
from .common import move

MAX_ATTEMPTS = 6
STUCK_AFTER = dt.timedelta(seconds=60)


def backoff(attempts: int, hint: float | None = None) -> dt.timedelta:
    return dt.timedelta(seconds=max(hint or 0, min(2**attempts, 300)))


def after_platform_call() -> None:
    """The seam between the platform's acceptance and our commit (fault-injection tests crash here)."""


def _claim(post_id: int) -> tuple[Post, PublishAttempt, bool] | str:
    """scheduled → publishing with a new attempt; or, for a post a crash left
    publishing, its attempt to reconcile."""
    with transaction.atomic():
        post = (
            Post.objects.select_for_update(of=("self",), no_key=True)
            .select_related("account", "organization")
            .get(pk=post_id)
        )
        if post.state == PostState.SCHEDULED:
            if post.scheduled_at and post.scheduled_at > timezone.now() + dt.timedelta(seconds=1):
                return "early"
            from ..channels import channel_kind

            if channel_kind(post.account) == "manual":
                return "manual"
            move(
                post,
                PostState.PUBLISHING,
                actor=None,
                action="posts.post.publishing",
                attempts=post.attempts + 1,
                retry_at=None,
            )
            return post, PublishAttempt.objects.create(post=post, idempotency_key=post.idempotency_key), False
        if post.state == PostState.PUBLISHING:
            attempt = (
                post.publish_attempts.filter(outcome=PublishAttempt.Outcome.PENDING)
                .order_by("-started_at")
                .first()
            )
            if attempt is None:
                attempt = PublishAttempt.objects.create(post=post, idempotency_key=post.idempotency_key)
            return post, attempt, True
        return str(post.state)


def _media(post: Post) -> tuple[MediaItem, ...]:
    return tuple(MediaItem(bytes(image.data), image.mime_type, image.alt) for image in post.images.all())


def _settle_published(post: Post, attempt: PublishAttempt, ref: PublishedRef, reconciled: bool) -> None:
    with transaction.atomic():
        locked = Post.objects.select_for_update(of=("self",), no_key=True).get(pk=post.pk)
        if locked.state != PostState.PUBLISHING:
            return  # someone else settled it
        now = timezone.now()
        outcome = PublishAttempt.Outcome.RECONCILED if reconciled else PublishAttempt.Outcome.PUBLISHED
        PublishAttempt.objects.filter(pk=attempt.pk).update(outcome=outcome, finished_at=now)
        # Lock order: the rows a change writes first, the audit chain head (log_action) last.
        OfficialAccount.objects.filter(pk=locked.account_id).update(last_post_at=now)
        move(
            locked,
            PostState.PUBLISHED,
            actor=None,
            action="posts.post.published",
            extra={
                "remote_id": ref.remote_id,
                "url": ref.url,
                "reconciled": reconciled,
                "delay_seconds": round((now - locked.scheduled_at).total_seconds(), 3)
                if locked.scheduled_at
                else None,
            },
            remote_id=ref.remote_id,
            remote_url=ref.url,
            published_at=now,
            last_error="",
        )
        notifications.published(locked)
        if locked.corrects_id and locked.correction_action == "delete":
            jobs.enqueue_after_commit("posts.delete_original", locked.corrects_id, locked.pk)


def _settle_error(post: Post, attempt: PublishAttempt, error: ConnectorError) -> str:
    message = clean_error(error)  # platform text: no tokens, secrets or control characters, bounded
    with transaction.atomic():
        locked = Post.objects.select_for_update(of=("self",), no_key=True).get(pk=post.pk)
        if locked.state != PostState.PUBLISHING:
            return str(locked.state)
        transient = isinstance(error, TransientPlatformError) and locked.attempts < MAX_ATTEMPTS
        outcome = PublishAttempt.Outcome.RETRY if transient else PublishAttempt.Outcome.FAILED
        PublishAttempt.objects.filter(pk=attempt.pk).update(
            outcome=outcome, finished_at=timezone.now(), error=message
        )
        if transient:
            retry_at = timezone.now() + backoff(locked.attempts, getattr(error, "retry_after", None))
            move(
                locked,
                PostState.SCHEDULED,
                actor=None,
                action="posts.post.retry_scheduled",
                extra={"error": message, "retry_at": retry_at.isoformat()},
                last_error=message,
                retry_at=retry_at,  # the sweep (posts/jobs.py) queues it then: nothing parked meanwhile
            )
            return "retry"
        move(
            locked,
            PostState.FAILED,
            actor=None,
            action="posts.post.failed",
            extra={"error": message},
            last_error=message,
        )
        notifications.failed(locked, message, attempt.pk)
        return "failed"


def publish_due(post_id: int) -> str:
    """The worker's unit of work for one post. Safe to run twice, concurrently, or after a crash."""
    claimed = _claim(post_id)
    if isinstance(claimed, str):
        return claimed
    post, attempt, reconciling = claimed
    connector = connector_for(post.account)
    if connector is None:
        return "manual"
    try:
        ref = connector.find_published(attempt.idempotency_key) if reconciling else None
        if ref is None:
            ref = connector.publish(OutgoingPost(post.text, attempt.idempotency_key, _media(post)))
    except ConnectorError as error:
        return _settle_error(post, attempt, error)
    finally:
        close = getattr(connector, "close", None)
        if close is not None:
            close()
    after_platform_call()
    _settle_published(post, attempt, ref, reconciled=reconciling)
    return "published"


def reconcile_stuck(now: dt.datetime | None = None) -> list[str]:
    """Posts a crashed worker left 'publishing': find them on the platform or publish them (same key)."""
    moment = now or timezone.now()
    stuck = Post.objects.filter(state=PostState.PUBLISHING, state_changed_at__lt=moment - STUCK_AFTER)
    return [publish_due(post_id) for post_id in stuck.values_list("pk", flat=True)]


@transaction.atomic
def record_manual_publication(*, actor: Any, post: Post, url: str) -> Post:
    """For platforms without API access: staff posted by hand at the scheduled time and give the live URL."""
    post = Post.objects.select_for_update(of=("self",), no_key=True).select_related("account").get(pk=post.pk)
    if not can_write(actor, post.account):
        raise NotPermitted(write_refusal(actor, post.account))
    if post.state != PostState.SCHEDULED:
        raise InvalidTransition(_("Only a scheduled post can be recorded as published."))
    url = post_url(post.account, url)  # on the account's platform, and of this account (issue #13)
    now = timezone.now()
    # Lock order: the rows a change writes first, the audit chain head (log_action) last.
    OfficialAccount.objects.filter(pk=post.account_id).update(last_post_at=now)
    move(post, PostState.PUBLISHING, actor=actor, action="posts.post.publishing", attempts=post.attempts + 1)
    move(
        post,
        PostState.PUBLISHED,
        actor=actor,
        action="posts.post.published",
        extra={"url": url, "manual": True},
        remote_id=url,
        remote_url=url,
        published_at=now,
        published_by=staff_of(actor),
    )
    notifications.published(post, staff_of(actor))
    return post


def delete_original(original_id: int, correction_id: int) -> str:
    """A correction replaces its original: delete it on the platform (idempotent), then record why."""
    original = Post.objects.select_related("account").get(pk=original_id)
    if original.state != PostState.PUBLISHED:
        return str(original.state)
    connector = connector_for(original.account)
    if connector is not None and original.remote_id:
        connector.delete(original.remote_id)
    with transaction.atomic():
        locked = Post.objects.select_for_update(of=("self",), no_key=True).get(pk=original_id)
        if locked.state == PostState.PUBLISHED:
            reason = _("Replaced by correction #%(id)d") % {"id": correction_id}
            move(
                locked,
                PostState.DELETED,
                actor=None,
                action="posts.post.deleted",
                extra={"reason": reason, "correction": correction_id},
                deletion_reason=reason,
            )
    return "deleted"


@transaction.atomic
def retry_failed(*, actor: Any, post: Post) -> Post:
    post = Post.objects.select_for_update(of=("self",), no_key=True).get(pk=post.pk)
    if not can_write(actor, post.account):
        raise NotPermitted(write_refusal(actor, post.account))
    move(
        post,
        PostState.SCHEDULED,
        actor=actor,
        action="posts.post.retry_requested",
        attempts=0,
        scheduled_at=timezone.now(),
        retry_at=None,
    )
    jobs.enqueue_after_commit("posts.publish", post.pk)
    return post
