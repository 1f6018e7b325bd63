"""Feedback exported as corpus lines (tests/checks/corpus/writers/*/posts.jsonl format), personal data masked.

One line per post with standing feedback on its current text: the post's final labels are the findings of
that text minus those marked wrong, plus the missed categories (a missed category without a phrase spans the
whole text, as platform_limit does). The text and the notes go through the rule checker's personal-data
detectors and each such span is replaced by a dummy of its kind (checks/masking.py); every label's span is
moved to the masked text. Feedback on an older version of a text is left out (its spans no longer fit).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.checks import CheckContext, CheckInputError, check
from koshiki.checks.masking import Masked, mask, occurrence, person_names
from koshiki.core.errors import NotPermitted
from koshiki.orgs.check_context import context_for
from koshiki.orgs.models import Organization
from koshiki.orgs.permissions import can_read_audit
from koshiki.posts.models import Post
from koshiki.posts.rules import check_platform
from koshiki.posts.services.common import finding_key

from .models import CheckFeedback
from .services import text_hash

REGISTER = "feedback"
WHOLE_TEXT = {"platform_limit", "correction_unmarked"}
KIND_JA = {CheckFeedback.Kind.FALSE_POSITIVE: "誤検知", CheckFeedback.Kind.MISSED: "見逃し"}


def may_export(user: Any, organization: Organization) -> bool:
    """The 広報主管課 and whoever else may read the body's audit log (its administrators): the whole body's
    feedback, never a role id."""
    return can_read_audit(user, organization)


def writer_name(organization: Organization) -> str:
    return f"feedback-{organization.code}"


@dataclass(frozen=True)
class Label:
    category: str
    start: int
    end: int


def _labels(post: Post, rows: list[CheckFeedback]) -> list[Label]:
    wrong = {f"{r.category}:{r.start}:{r.end}" for r in rows if r.kind == CheckFeedback.Kind.FALSE_POSITIVE}
    labels = [
        Label(f["category"], int(f["start"]), int(f["end"]))
        for f in post.findings
        if finding_key(f) not in wrong
    ]
    for row in rows:
        if row.kind == CheckFeedback.Kind.MISSED:
            start, end = row.span or (0, len(post.text))
            labels.append(Label(row.category, start, end))
    unique: dict[tuple[str, int, int], Label] = {}
    for label in labels:
        if label.category in WHOLE_TEXT or (
            label.end <= label.start and label.category != "missing_alt_text"
        ):
            label = Label(label.category, 0, len(post.text))
        unique.setdefault((label.category, label.start, label.end), label)
    return sorted(unique.values(), key=lambda item: (item.start, item.end, item.category))


def _masked_text(
    text: str, context: CheckContext, platform: str, names_within: list[tuple[int, int]] | None
) -> Masked:
    """The rule detectors' personal data masked, plus every person name Sudachi sees ``names_within``
    (None: the whole text)."""
    try:
        findings = check(text, context=context, platform=platform)
    except CheckInputError:
        findings = []
    return mask(text, [*findings, *person_names(text, names_within)])


def _corpus_label(masked: Masked, label: Label) -> dict[str, Any]:
    if label.category == "missing_alt_text":
        return {"category": label.category, "span": ""}
    start, end = masked.span(label.start, label.end)
    span = masked.text[start:end]
    item: dict[str, Any] = {"category": label.category, "span": span}
    nth = occurrence(masked.text, span, start)
    if nth > 1:
        item["occurrence"] = nth
    return item


def _note(rows: list[CheckFeedback], context: CheckContext) -> str:
    parts = []
    for row in rows:
        text = f"{KIND_JA[CheckFeedback.Kind(row.kind)]} {row.category}"
        if row.note:
            text += ": " + _masked_text(row.note, context, "x", None).text
        parts.append(text)
    return " / ".join(parts)


def corpus_line(
    post: Post, rows: list[CheckFeedback], context: CheckContext, organization: Organization
) -> dict[str, Any]:
    """One post and its standing feedback as a corpus line, personal data masked."""
    platform = check_platform(post.account)
    labels = _labels(post, rows)
    # these words hold personal data: an approver said so (a missed phrase; no words: the whole text), or
    # left a finding standing that says so (the learned tier's sentence about a resident's situation)
    said_personal = [(label.start, label.end) for label in labels if label.category == "personal_info"]
    masked = _masked_text(post.text, context, platform, said_personal)
    writer = writer_name(organization)
    return {
        "id": f"{writer}-{post.pk}",
        "writer": writer,
        "platform": platform,
        "register": REGISTER,
        "text": masked.text,
        "labels": [_corpus_label(masked, label) for label in labels],
        "note": _note(rows, context),
    }


#: Characters str.splitlines() breaks at that json.dumps(ensure_ascii=False) leaves raw (the corpus readers
#: split with splitlines(): one raw U+2028 in a post made its line two).
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def jsonl(item: dict[str, Any]) -> str:
    """One JSON Lines line that stays one line for every reader (escaped line separators)."""
    return json.dumps(item, ensure_ascii=False).translate(_LINE_BREAKS)


def standing_feedback(organization: Organization, since: dt.date | None) -> Iterator[tuple[Post, list[Any]]]:
    """Each post with standing (not retracted) feedback on its current text, with that feedback. ``since``
    picks the posts that got feedback from that day on; each comes with *all* its standing feedback (a
    finding marked wrong before ``since`` must not come back as a label)."""
    rows = CheckFeedback.objects.filter(organization=organization, retracted_at__isnull=True).select_related(
        "post__account"
    )
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time()), timezone.get_default_timezone())
        recent = rows.filter(created_at__gte=start).values("post_id")
        rows = rows.filter(post_id__in=recent)
    by_post: dict[int, tuple[Post, list[CheckFeedback]]] = {}
    for row in rows.order_by("post_id", "created_at", "pk"):
        post = row.post
        if not post.text or post.archived_at is not None or row.text_sha256 != text_hash(post.text):
            continue
        by_post.setdefault(post.pk, (post, []))[1].append(row)
    yield from by_post.values()


@transaction.atomic
def export_feedback(
    *, actor: Any, organization: Organization, out: TextIO, since: dt.date | None = None
) -> int:
    """Write the body's feedback as JSON Lines to ``out``; audited with the count (never the text).
    ``actor`` None is the operator's command line."""
    if actor is not None and not may_export(actor, organization):
        raise NotPermitted(_("Only the public relations division and administrators can export feedback."))
    context = context_for(organization)
    count = 0
    for post, rows in standing_feedback(organization, since):
        out.write(jsonl(corpus_line(post, rows, context, organization)) + "\n")
        count += 1
    log_action(
        "checks.feedback.exported",
        actor=actor,
        organization=organization,
        after={"count": count, "since": since.isoformat() if since else None},
    )
    return count
