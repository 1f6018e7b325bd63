"""The AI reviewer's named job and its sweep (core/jobs.py): work is found from row state, so a lost task
or a worker that died mid-request delays a review by at most a claim lease, never loses it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from koshiki.core import jobs
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from .models import AIReview, AIReviewSettings
from .services import JOB, claimable, request_unchecked
from .tasks import fetch_ai_review_task

jobs.register_job(JOB, fetch_ai_review_task)
PER_PASS = 50  # a body that just turned the reviewer on is caught up over a few passes


def _review_id(args_kwargs: dict[str, object]) -> object:
    args = args_kwargs.get("args") or []
    kwargs = args_kwargs.get("kwargs") or {}
    if isinstance(args, list) and args:
        return args[0]
    return kwargs.get("review_id") if isinstance(kwargs, dict) else None


def unreviewed_posts() -> list[Post]:
    """Posts waiting for approval, of bodies whose reviewer is on, with no review of their current text
    (submitted before it was turned on, or a lost signal)."""
    usable = AIReviewSettings.objects.filter(enabled=True).exclude(base_url="").exclude(model_name="")
    usable = usable.exclude(sealed_api_key="")
    reviewed = AIReview.objects.filter(post=OuterRef("pk"), post_version=OuterRef("version"))
    rows = Post.objects.filter(
        state=PostState.SUBMITTED, organization_id__in=usable.values("organization_id")
    ).filter(~Exists(reviewed))
    return list(rows.select_related("organization", "account").order_by("pk")[:PER_PASS])


@jobs.sweep("aireview.due")
def queue_due_reviews(now: dt.datetime) -> int:
    """Create the missing reviews, then queue every claimable pending one that no live task covers."""
    created = {
        review.pk
        for post in unreviewed_posts()
        if (review := request_unchecked(actor=None, post=post, source="sweep")) is not None
    }  # each queued by its request, after commit
    live = created | {_review_id(a) for a in jobs.live_tasks(fetch_ai_review_task)}
    due = AIReview.objects.filter(claimable(now)).values_list("pk", flat=True)[:PER_PASS]
    queued = 0
    for review_id in due:
        if review_id not in live:
            jobs.enqueue_after_commit(JOB, review_id)
            queued += 1
    return queued
