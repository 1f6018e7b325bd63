"""Each posts dashboard item clears once its work is done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import AfterReport, Post

from ..attention_helpers import kinds
from .conftest import CLEAN_POST, PostingBody, build_posting_body
from .test_four_eyes import EMERGENCY_POST


@pytest.fixture
def body(db: Any, system_admin: Any, within_hours: None) -> PostingBody:
    from ..security.conftest import SEEDS

    return build_posting_body(system_admin, *SEEDS[0])


def _submitted(body: PostingBody) -> Post:
    return services.submit(
        actor=body.operator.user,
        post=services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST),
    )


def test_a_post_waiting_for_approval_clears_once_decided(body: PostingBody) -> None:
    post = _submitted(body)
    step = services.pending_step(post)
    assert step is not None
    approver = step.waiting_for[0]
    assert "posts.approval_waiting" in kinds(approver)
    services.decide(actor=approver.user, post=post, approve=True)
    assert "posts.approval_waiting" not in kinds(approver)


def test_an_after_the_fact_report_clears_once_acknowledged(body: PostingBody) -> None:
    post = services.create_post(
        actor=body.manager.user, account=body.account, text=EMERGENCY_POST, category="emergency"
    )
    services.submit(actor=body.manager.user, post=post, exemption="emergency")
    report = AfterReport.objects.get(post=post)
    admin = body.seed.admin
    assert "posts.after_report" in kinds(admin)
    services.acknowledge_after_report(actor=admin.user, report=report)
    assert "posts.after_report" not in kinds(admin)


def test_a_failed_publication_clears_once_retried(body: PostingBody) -> None:
    post = _submitted(body)
    Post.objects.filter(pk=post.pk).update(state=PostState.FAILED, last_error="platform down")
    assert "posts.publish_failed" in kinds(body.operator)
    services.retry_failed(actor=body.operator.user, post=Post.objects.get(pk=post.pk))
    assert "posts.publish_failed" not in kinds(body.operator)


def test_a_post_not_yet_published_clears_once_withdrawn(body: PostingBody) -> None:
    post = _submitted(body)
    Post.objects.filter(pk=post.pk).update(
        state=PostState.SCHEDULED, scheduled_at=timezone.now() - dt.timedelta(minutes=10)
    )
    admin = body.seed.admin
    assert "posts.not_yet_published" in kinds(admin)
    services.withdraw(actor=body.operator.user, post=Post.objects.get(pk=post.pk), reason="取りやめ")
    assert "posts.not_yet_published" not in kinds(admin)
