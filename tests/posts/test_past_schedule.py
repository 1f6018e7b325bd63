"""A publishing time in the past is refused in Japanese (nothing changes), unless within a small grace."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from koshiki.core.errors import InvalidInput
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from .conftest import CLEAN_POST, PostingBody


def test_a_publishing_time_in_the_past_is_refused_and_changes_nothing(
    iwaki_posting: PostingBody, within_hours: Any
) -> None:
    post = services.create_post(
        actor=iwaki_posting.operator.user, account=iwaki_posting.account, text=CLEAN_POST
    )
    with translation.override("ja"), pytest.raises(InvalidInput) as refused:
        services.submit(
            actor=iwaki_posting.operator.user,
            post=post,
            scheduled_at=timezone.now() - dt.timedelta(days=365),
        )
    assert refused.value.field == "scheduled_at" and "過去" in refused.value.message
    post = Post.objects.get(pk=post.pk)
    assert post.state == PostState.CHECKED and post.scheduled_at is None


def test_a_time_a_moment_ago_counts_as_now(iwaki_posting: PostingBody, within_hours: Any) -> None:
    post = services.create_post(
        actor=iwaki_posting.operator.user, account=iwaki_posting.account, text=CLEAN_POST
    )
    post = services.submit(
        actor=iwaki_posting.operator.user, post=post, scheduled_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert post.state == PostState.SUBMITTED


def test_the_submit_form_refuses_a_past_time_in_japanese() -> None:
    from koshiki.guidelines.catalog import get_profile
    from koshiki.web.post_forms import SubmitForm

    past = timezone.localtime() - dt.timedelta(days=2)
    with translation.override("ja"):
        form = SubmitForm(
            {"scheduled_at": f"{past:%Y-%m-%dT%H:%M}", "version": 1}, profile=get_profile("iwaki")
        )
        assert not form.is_valid()
        assert "過去" in " ".join(form.errors["scheduled_at"])
