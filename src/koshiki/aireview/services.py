"""The AI reviewer's services: a body's settings, asking for a review, and fetching it in the background.

Rules kept here: the reviewer is off until a body's administrator turns it on; a review is asked for once
per (post, text version) (a unique row, created pending; a failed one may be asked again, by
compare-and-set); the HTTP call happens in a job, outside any transaction, after the row was claimed by
compare-and-set (``claimed_at``), so a double click or two workers fetch it once, and a worker that dies
leaves it pending for the sweep (jobs.py) to take again after KOSHIKI_AI_REVIEW_CLAIM_SECONDS. The result
only ever writes the review row: never Post.findings, never the post's state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.audit.services import log_action
from koshiki.checks.ai_review import (
    PROMPT_VERSION,
    AIReplyError,
    build_messages,
    parse_reply,
    rules_from_profile,
)
from koshiki.connectors.ai_endpoint import AIEndpointError, chat_completion
from koshiki.connectors.outbound import OutboundRefused
from koshiki.core import jobs
from koshiki.core.crypto import SealError, seal_text, unseal_text
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.core.outbound import outbound_guard
from koshiki.orgs.models import Organization
from koshiki.orgs.permissions import can_manage_org, require_manage_org
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post
from koshiki.posts.roles import can_approve

from .lifecycle import ReviewState
from .models import AIReview, AIReviewSettings

JOB = "aireview.fetch"
MAX_MODEL_NAME = 200
MAX_ATTEMPTS = 3  # claims whose worker died before storing an outcome; the next claim fails the review

_URL_REFUSALS = {
    "scheme": gettext_lazy("Give the endpoint address with https:// (plain http is not allowed)."),
    "userinfo": gettext_lazy("Do not put a user name or password in the endpoint address."),
    "host": gettext_lazy("The endpoint address is not a valid host name."),
    "port": gettext_lazy("The endpoint address has an invalid port."),
    "address": gettext_lazy(
        "This endpoint address points to an internal, private or reserved network and cannot be used."
    ),
    "resolve": gettext_lazy("The endpoint's name could not be found. Check the address."),
}

#: Why a review failed, by the code stored on the row; worded when shown, in the reader's language.
FAILURES = {
    "down": gettext_lazy("the AI service could not be reached (it may be down, or the address is wrong)"),
    "timeout": gettext_lazy("the AI service did not answer in time"),
    "refused": gettext_lazy("the outbound-address guard does not allow this endpoint"),
    "status": gettext_lazy("the AI service answered with an error"),
    "too_large": gettext_lazy("the AI service's answer was too large"),
    "garbage": gettext_lazy("the AI service's answer was not the JSON asked for"),
    "off": gettext_lazy("the AI reviewer is turned off or not fully set up"),
    "stale": gettext_lazy("the text changed before the AI answered"),
    "key": gettext_lazy("the API key cannot be opened with the configured encryption key"),
    "crashed": gettext_lazy("the review stopped several times before the answer was stored"),
}


def failure_message(code: str, detail: str = "") -> str:
    """「AIレビューを取得できませんでした: …」 in the reader's language."""
    why = str(FAILURES.get(code, FAILURES["down"]))
    if code == "status" and detail:
        why = f"{why} ({detail})"
    return _("Could not get the AI review: %(why)s") % {"why": why}


def settings_of(organization: Organization) -> AIReviewSettings | None:
    return AIReviewSettings.objects.filter(organization=organization).first()


def _checked_base_url(base_url: str) -> str:
    url = base_url.strip().rstrip("/")
    if not url:
        raise InvalidInput(_("Give the endpoint's base URL (https://…/v1)."), field="base_url")
    try:
        outbound_guard().check_url(url)
    except OutboundRefused as refused:
        raise InvalidInput(
            str(_URL_REFUSALS.get(refused.reason, _URL_REFUSALS["host"])), field="base_url"
        ) from None
    return url


def _snapshot(row: AIReviewSettings | None) -> dict[str, Any]:
    if row is None:
        return {"enabled": False, "base_url": "", "model_name": ""}
    return {"enabled": row.enabled, "base_url": row.base_url, "model_name": row.model_name}


@transaction.atomic
def configure(
    *,
    actor: Any,
    organization: Organization,
    enabled: bool,
    base_url: str,
    model_name: str,
    api_key: str = "",
) -> AIReviewSettings:
    """Set the body's AI reviewer (its administrators only). The address is checked through the outbound
    guard before anything is saved; the key is sealed, bound to the address (a new address needs it again),
    never returned and never audited (the entry records only whether it changed)."""
    require_manage_org(actor, organization)
    model_name = model_name.strip()
    api_key = api_key.strip()
    if len(model_name) > MAX_MODEL_NAME:
        raise InvalidInput(_("The model name is too long."), field="model_name")
    row = (
        AIReviewSettings.objects.select_for_update(of=("self",), no_key=True)
        .filter(organization=organization)
        .first()
    )
    url = base_url.strip().rstrip("/")
    if enabled or (url and (row is None or url != row.base_url)):
        url = _checked_base_url(url)  # turning it off at the stored address needs no new check
    has_key = row is not None and bool(row.sealed_api_key)
    same_url = row is not None and row.base_url == url
    if enabled and not model_name:
        raise InvalidInput(_("Give the model name."), field="model_name")
    if enabled and not api_key:
        if not has_key:
            raise InvalidInput(_("Give the API key."), field="api_key")
        if not same_url:
            raise InvalidInput(_("The endpoint address changed: enter the API key again."), field="api_key")
    before = _snapshot(row)
    after = {"enabled": enabled, "base_url": url, "model_name": model_name}
    key_dropped = has_key and not same_url and not api_key
    if before == after and not api_key:
        return row if row is not None else AIReviewSettings(organization=organization)
    if row is None:
        row = AIReviewSettings(organization=organization)
    row.enabled, row.base_url, row.model_name = enabled, url, model_name
    if api_key:
        row.sealed_api_key = seal_text(api_key)
    elif key_dropped:
        row.sealed_api_key = ""
    row.save()
    log_action(
        "aireview.config.changed",
        actor=actor,
        obj=organization,
        before=before,
        after={**after, "key_changed": bool(api_key) or key_dropped},
    )
    return row


# --- asking for a review -------------------------------------------------------------------------------


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def may_request(user: Any, post: Post) -> bool:
    """Who may ask again on the post page: the post's approvers and the body's administrators."""
    return can_approve(user, post.account) or can_manage_org(user, post.organization)


def request_unchecked(*, actor: Any, post: Post, source: str) -> AIReview | None:
    """The pending review of the post's current version (created, or a failed one moved back to pending),
    queued after commit and audited; None when the body has no usable reviewer. Once per version: a
    second call finds the row pending or done and does nothing; a new version of the same text (a new time)
    keeps the review of that text (moved to it, not asked again)."""
    config = settings_of(post.organization)
    if config is None or not config.usable:
        return None
    review = AIReview.objects.filter(post=post, post_version=post.version).first()
    if review is None and (kept := _keep_for_same_text(post)) is not None:
        review, source = kept, "same_text"
    elif review is None:
        try:
            with transaction.atomic():
                review = AIReview.objects.create(
                    post=post,
                    post_version=post.version,
                    text_sha256=_text_hash(post.text),
                    prompt_version=PROMPT_VERSION,
                    model_name=config.model_name,
                    requested_by=staff_of(actor),
                )
        except IntegrityError:
            return AIReview.objects.get(post=post, post_version=post.version)  # someone else asked first
    elif review.state == ReviewState.FAILED:
        moved = AIReview.objects.filter(pk=review.pk, state=ReviewState.FAILED).update(
            state=ReviewState.PENDING,
            claimed_at=None,
            finished_at=None,
            error="",
            attempts=0,
            prompt_version=PROMPT_VERSION,
            model_name=config.model_name,
            requested_by=staff_of(actor),
        )
        review.refresh_from_db()
        if not moved:
            return review
    else:
        return review  # pending or done already: nothing to do twice
    log_action(
        "aireview.review.requested",
        actor=actor,
        obj=post,
        after={
            "post_version": post.version,
            "prompt_version": review.prompt_version if source == "same_text" else PROMPT_VERSION,
            "model": review.model_name if source == "same_text" else config.model_name,
            "source": source,
        },
    )
    if source != "same_text":  # a kept review is done, or queued already
        jobs.enqueue_after_commit(JOB, review.pk)
    return review


def _keep_for_same_text(post: Post) -> AIReview | None:
    """The latest review, moved to the post's current version when its text is the same (a new time or
    category bumps the version, not the text): pending or done, with this prompt. Compare-and-set on its
    version; None when there is none to keep (the caller asks anew)."""
    latest = AIReview.objects.filter(post=post).order_by("-post_version").first()
    if (
        latest is None
        or latest.post_version >= post.version
        or latest.text_sha256 != _text_hash(post.text)
        or latest.prompt_version != PROMPT_VERSION
        or latest.state == ReviewState.FAILED
    ):
        return None
    try:
        with transaction.atomic():  # a row for this version created meanwhile: that one stands
            moved = AIReview.objects.filter(pk=latest.pk, post_version=latest.post_version).update(
                post_version=post.version
            )
    except IntegrityError:
        return None
    if not moved:
        return None
    latest.refresh_from_db()
    return latest


def request_for_submission_unchecked(*, actor: Any, post: Post) -> AIReview | None:
    """Called inside submit's transaction (receivers.py): the submitter's permission was checked there."""
    return request_unchecked(actor=actor, post=post, source="submitted")


@transaction.atomic
def request_review(*, actor: Any, post: Post) -> AIReview:
    """The post page's button: an approver asks for the AI's opinion (again, after a failure)."""
    post = Post.objects.select_related("account", "organization").get(pk=post.pk)
    if not may_request(actor, post):
        raise NotPermitted(_("Only the post's approvers can ask for the AI's opinion."))
    if post.state != PostState.SUBMITTED:
        raise InvalidTransition(_("The AI's opinion is asked for while the post waits for approval."))
    review = request_unchecked(actor=actor, post=post, source="button")
    if review is None:
        raise InvalidInput(_("The AI reviewer is not turned on for this organization."))
    return review


# --- fetching it (the job) -----------------------------------------------------------------------------


def claim_lease() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(django_settings, "KOSHIKI_AI_REVIEW_CLAIM_SECONDS", 120))


def call_time_limit() -> float:
    """The endpoint call's total time: the setting, but never over half the claim lease (a longer call
    would let the sweep hand the review to a second worker while this one still waits)."""
    configured = float(getattr(django_settings, "KOSHIKI_AI_REVIEW_TIMEOUT_SECONDS", 20.0))
    return min(configured, claim_lease().total_seconds() / 2)


def claimable(now: dt.datetime) -> Q:
    return Q(state=ReviewState.PENDING) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_lease()))


def claim(review_id: int, now: dt.datetime) -> bool:
    """Take the pending review for this worker (compare-and-set on claimed_at): True for one taker only."""
    updated = AIReview.objects.filter(claimable(now), pk=review_id).update(
        claimed_at=now, attempts=F("attempts") + 1
    )
    return updated == 1


def _finish(
    review: AIReview,
    claimed: dt.datetime,
    *,
    suggestions: list[dict[str, Any]] | None,
    code: str,
    detail: str,
) -> str:
    """Store the outcome if this worker still holds the claim (else another took it: its result wins)."""
    post = review.post
    done = suggestions is not None
    with transaction.atomic():
        updated = AIReview.objects.filter(pk=review.pk, state=ReviewState.PENDING, claimed_at=claimed).update(
            state=ReviewState.DONE if done else ReviewState.FAILED,
            suggestions=suggestions or [],
            error="" if done else f"{code}:{detail}"[:500],
            finished_at=timezone.now(),
        )
        if updated != 1:
            return "lost"
        base = {
            "post_version": review.post_version,
            "prompt_version": review.prompt_version,
            "model": review.model_name,
        }
        if done:
            counts = Counter(s["category"] for s in suggestions or [])
            log_action(
                "aireview.review.completed",
                actor=None,
                obj=post,
                organization=post.organization,
                after={
                    **base,
                    "suggestions": len(suggestions or []),
                    "categories": dict(sorted(counts.items())),
                },
            )
            return "done"
        log_action(
            "aireview.review.failed",
            actor=None,
            obj=post,
            organization=post.organization,
            after={**base, "failure": code},
        )
        return "failed"


def fetch(review_id: int, now: dt.datetime | None = None) -> str:
    """The job: claim, ask the endpoint (no transaction open), store suggestions or the failure."""
    claimed = now or timezone.now()
    if not claim(review_id, claimed):
        return "skipped"
    review = AIReview.objects.select_related("post__account", "post__organization").get(pk=review_id)
    post = review.post
    if review.attempts > MAX_ATTEMPTS:  # every earlier taker died mid-way: do not send it once more
        return _finish(review, claimed, suggestions=None, code="crashed", detail=f"{MAX_ATTEMPTS} tries")
    config = settings_of(post.organization)
    if config is None or not config.usable:
        return _finish(review, claimed, suggestions=None, code="off", detail="")
    if _text_hash(post.text) != review.text_sha256:  # the text, not the version (a new time bumps it)
        return _finish(review, claimed, suggestions=None, code="stale", detail="")
    try:
        api_key = unseal_text(config.sealed_api_key)
    except SealError:
        return _finish(review, claimed, suggestions=None, code="key", detail="")
    rules = rules_from_profile(profile_for(post.organization))
    try:
        content = chat_completion(
            guard=outbound_guard(),
            base_url=config.base_url,
            api_key=api_key,
            model=config.model_name,
            messages=build_messages(rules, post.text, post.account.platform),
            timeout=call_time_limit(),
            max_bytes=int(getattr(django_settings, "KOSHIKI_AI_REVIEW_MAX_BYTES", 256 * 1024)),
        )
        found = parse_reply(content, rules, post.text)
    except AIEndpointError as exc:
        return _finish(review, claimed, suggestions=None, code=exc.reason, detail=exc.detail)
    except AIReplyError as exc:
        return _finish(review, claimed, suggestions=None, code="garbage", detail=str(exc))
    return _finish(review, claimed, suggestions=[s.as_dict() for s in found], code="", detail="")
