"""The post page's feedback panel (issue #14 B), built here so the post view stays as it is: the page
includes koshiki/_post_feedback.html, which calls this tag with the page's context."""

from __future__ import annotations

from typing import Any

from django import template

from koshiki.checks import DEFAULT_SEVERITY
from koshiki.feedback import queries
from koshiki.feedback.export import may_export
from koshiki.feedback.models import CheckFeedback
from koshiki.feedback.services import may_give_feedback, text_hash

from ..views.checking import CATEGORY_LABELS_JA

register = template.Library()


def category_label(category: str) -> str:
    return CATEGORY_LABELS_JA.get(category, category)


@register.inclusion_tag("koshiki/_post_feedback_panel.html", takes_context=True)
def feedback_panel(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    post = context["post"]
    staff = getattr(request, "staff", None)
    rows = queries.for_post(post)
    current = text_hash(post.text) if post.text else ""
    wrong = {
        r.key.split(":", 1)[1]
        for r in rows
        if r.kind == CheckFeedback.Kind.FALSE_POSITIVE and r.text_sha256 == current
    }
    if "can_approve" in context and "is_own" in context:  # the post view worked these out already
        may_give = bool(context["can_approve"]) and not context["is_own"]  # = services.may_give_feedback
    else:
        may_give = may_give_feedback(request.user, post)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "post": post,
        "rows": [
            {
                "row": r,
                "kind": r.get_kind_display(),
                "category": category_label(r.category),
                "excerpt": post.text[r.start : r.end][:60] if r.span and r.text_sha256 == current else "",
                "older": r.text_sha256 != current,
                "mine": staff is not None and r.actor_id == staff.pk,
            }
            for r in rows
        ],
        "may_give": bool(post.text) and post.archived_at is None and may_give,
        "may_list": staff is not None and may_export(request.user, staff.organization),
        "findings": [
            {**f, "label": category_label(f["category"])}
            for f in context.get("findings") or []
            if f"{f['category']}:{f['start']}:{f['end']}" not in wrong
        ],
        "categories": [(name, category_label(name)) for name in DEFAULT_SEVERITY],
    }
