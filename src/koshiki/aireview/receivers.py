"""A post submitted for approval gets the AI's second opinion when its body turned the reviewer on."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from koshiki.posts.models import Post
from koshiki.posts.signals import post_submitted

from .services import request_for_submission_unchecked


@receiver(post_submitted, sender=Post, dispatch_uid="aireview.on_submitted")
def on_submitted(sender: Any, *, post: Post, actor: Any, **kwargs: Any) -> None:
    request_for_submission_unchecked(actor=actor, post=post)
