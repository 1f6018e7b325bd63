"""Recording and retracting feedback on the checker: permission, state, then the row and its audit entry in
one transaction. Who may: whoever may decide on the post today (a holder of a role of its approval chain,
not its writers: the same people posts.services.approval lets decide)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.checks import DEFAULT_SEVERITY
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.orgs.scoping import acting_staff
from koshiki.posts.models import Post
from koshiki.posts.roles import can_approve, is_own
from koshiki.posts.services.common import finding_key

from .models import CheckFeedback

MAX_NOTE = 500
MAX_PHRASE = 200


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def may_give_feedback(user: Any, post: Post) -> bool:
    """The approvers of the post's account, except the post's writers (four-eyes, as for deciding)."""
    return can_approve(user, post.account) and not is_own(user, post)


def _refusal() -> NotPermitted:
    return NotPermitted(
        _("Only the approvers of this post (not its writers) can give feedback on its check.")
    )


def _locked(post: Post) -> Post:
    return (
        Post.objects.select_for_update(of=("self",), no_key=True)
        .select_related("account", "organization")
        .get(pk=post.pk)
    )


def _wrong_finding(post: Post, key: str) -> dict[str, Any]:
    finding: dict[str, Any] | None = next((f for f in post.findings if finding_key(f) == key), None)
    if finding is None:
        raise InvalidInput(
            _("This finding is not in the check of the post's current text. Reload the page."), field="key"
        )
    return finding


def _missed_span(post: Post, category: str, phrase: str) -> tuple[int, int] | None:
    if category not in DEFAULT_SEVERITY:
        raise InvalidInput(_("Choose one of the checker's categories."), field="category")
    if not phrase:
        return None
    if len(phrase) > MAX_PHRASE:
        raise InvalidInput(_("Quote at most %(n)d characters.") % {"n": MAX_PHRASE}, field="phrase")
    start = post.text.find(phrase)
    if start == -1:
        raise InvalidInput(
            _(
                "「%(phrase)s」 is not in the post's text. Copy the words exactly as they are in the text,"
                " or leave the phrase empty."
            )
            % {"phrase": phrase},
            field="phrase",
        )
    return start, start + len(phrase)


@transaction.atomic
def record_feedback(
    *,
    actor: Any,
    post: Post,
    kind: str,
    key: str = "",
    category: str = "",
    phrase: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> CheckFeedback:
    """誤検知 on the finding ``key`` (category:start:end of the current text), or 見逃し of ``category``
    (optionally on ``phrase``, which must be in the text). The same judgment on the same text is recorded
    once: a second one (a double click) is refused with a clear message and changes nothing."""
    post = _locked(post)
    if not may_give_feedback(actor, post):
        raise _refusal()
    staff = acting_staff(actor)
    if post.archived_at is not None or not post.text:
        raise InvalidTransition(
            _("This post's text has been archived: there is nothing to give feedback on.")
        )
    if expected_version is not None and post.version != expected_version:
        raise InvalidTransition(
            _("This post changed after you opened it. Nothing was recorded; reload it and look again.")
        )
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(_("Keep the note to %(n)d characters.") % {"n": MAX_NOTE}, field="note")
    detector = ""
    if kind == CheckFeedback.Kind.FALSE_POSITIVE:
        finding = _wrong_finding(post, key)
        category = str(finding["category"])
        span: tuple[int, int] | None = (int(finding["start"]), int(finding["end"]))
        detector = str(finding.get("detector") or "")
    elif kind == CheckFeedback.Kind.MISSED:
        span = _missed_span(post, category, phrase.strip())
    else:
        raise InvalidInput(_("Choose what kind of feedback this is."), field="kind")
    row_key = f"{kind}:{category}:{span[0]}:{span[1]}" if span else f"{kind}:{category}:-"
    digest = text_hash(post.text)
    if CheckFeedback.objects.filter(
        post=post, text_sha256=digest, key=row_key, retracted_at__isnull=True
    ).exists():
        raise InvalidTransition(_("This feedback is already recorded for this text."))
    try:
        with transaction.atomic():
            row = CheckFeedback.objects.create(
                organization=post.organization,
                post=post,
                post_version=post.version,
                text_sha256=digest,
                kind=kind,
                category=category,
                start=span[0] if span else None,
                end=span[1] if span else None,
                detector=detector,
                key=row_key,
                note=note,
                actor=staff,
            )
    except IntegrityError as exc:  # the same judgment recorded between our check and our insert
        raise InvalidTransition(_("This feedback is already recorded for this text.")) from exc
    log_action(
        "checks.feedback.recorded",
        actor=actor,
        obj=post,
        organization=post.organization,
        after={
            "kind": kind,
            "category": category,
            "span": list(span) if span else None,
            "detector": detector,
            "version": post.version,
            "feedback": row.pk,
        },
    )
    return row


@transaction.atomic
def retract_feedback(*, actor: Any, feedback: CheckFeedback) -> CheckFeedback:
    """Take back one's own feedback (compare-and-set on ``retracted_at``: a second retract changes nothing
    and says so)."""
    row = (
        CheckFeedback.objects.select_for_update(of=("self",), no_key=True)
        .select_related("post", "organization")
        .get(pk=feedback.pk)
    )
    staff = acting_staff(actor)
    if row.actor_id != staff.pk:
        raise NotPermitted(_("Only the person who gave this feedback can retract it."))
    now = timezone.now()
    if not CheckFeedback.objects.filter(pk=row.pk, retracted_at__isnull=True).update(retracted_at=now):
        raise InvalidTransition(_("This feedback has already been retracted."))
    row.retracted_at = now
    log_action(
        "checks.feedback.retracted",
        actor=actor,
        obj=row.post,
        organization=row.organization,
        before={"kind": row.kind, "category": row.category, "feedback": row.pk},
    )
    return row
