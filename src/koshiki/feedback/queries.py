"""Reading feedback for pages: a post's standing feedback, and the body's recent feedback (scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from koshiki.orgs.scoping import scoped
from koshiki.posts.models import Post

from .models import CheckFeedback


def for_post(post: Post) -> list[CheckFeedback]:
    """The post's standing feedback, newest first, with who gave it (one query)."""
    return list(CheckFeedback.objects.filter(post=post, retracted_at__isnull=True).select_related("actor"))


def recent(user: Any) -> QuerySet[CheckFeedback]:
    """The user's body's feedback, retracted too, newest first; an outsider's is empty (orgs.scoping)."""
    return scoped(CheckFeedback.objects, user).select_related("actor", "post", "post__account")
