"""`{% ai_review_box post %}`: the AI reviewer's box on the post page (issue #14 A).

Shown when the body turned the reviewer on or the post has a review. Suggestions are labelled as the AI's,
with the profile's clauses; a review of an earlier text is shown apart as 「以前の本文に対するAIの意見」."""

from __future__ import annotations

from typing import Any

from django import template

from koshiki.aireview.lifecycle import ReviewState
from koshiki.aireview.models import AIReview
from koshiki.aireview.services import failure_message, may_request, settings_of
from koshiki.posts.lifecycle import PostState

register = template.Library()


def _suggestions(review: AIReview | None, text: str) -> list[dict[str, Any]]:
    if review is None or review.state != ReviewState.DONE:
        return []
    out = []
    for item in review.suggestions or []:
        start, end = item.get("start"), item.get("end")
        located = isinstance(start, int) and isinstance(end, int) and text[start:end] == item.get("quote")
        out.append({**item, "located": located})
    return out


def _error(review: AIReview | None) -> str:
    if review is None or review.state != ReviewState.FAILED:
        return ""
    code, _, detail = review.error.partition(":")
    return failure_message(code, detail)


@register.inclusion_tag("koshiki/_ai_review.html", takes_context=True)
def ai_review_box(context: template.Context, post: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    config = settings_of(post.organization)
    reviews = list(AIReview.objects.filter(post=post).order_by("-post_version")[:2])
    current = next((r for r in reviews if r.post_version == post.version), None)
    earlier = next(
        (r for r in reviews if r.post_version < post.version and r.state == ReviewState.DONE), None
    )
    on = config is not None and config.usable
    can_ask = (
        on
        and post.state == PostState.SUBMITTED
        and (current is None or current.state == ReviewState.FAILED)
        and may_request(user, post)
    )
    return {
        "show": on or bool(reviews),
        "post": post,
        "review": current,
        "suggestions": _suggestions(current, post.text),
        "error": _error(current),
        "earlier": earlier,
        "earlier_suggestions": _suggestions(earlier, "") if earlier else [],
        "can_ask": can_ask,
        "csrf_token": context.get("csrf_token"),
    }
