"""Platform errors: retried with backoff, then surfaced as failed (a fake platform stands in: a real one
cannot be made to fail on demand)."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.connectors import PermanentPlatformError, TransientPlatformError
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import PublishAttempt
from koshiki.posts.services.publishing import MAX_ATTEMPTS, backoff

from ..conftest import signed_in_client
from .conftest import CLEAN_POST, PostingBody


class FailingPlatform:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def find_published(self, key: str) -> None:
        return None

    def publish(self, post: Any) -> Any:
        raise self.error


@pytest.fixture(autouse=True)
def _fake_server_allowed(settings: Any) -> None:
    """The channel points at a closed local port (never contacted: a fake platform stands in)."""
    settings.KOSHIKI_OUTBOUND_ALLOW = ["http://127.0.0.1:9"]


def _scheduled(body: PostingBody, monkeypatch: pytest.MonkeyPatch, error: Exception) -> Any:
    from koshiki.posts.channels import set_channel

    set_channel(
        actor=body.manager.user,
        account=body.account,
        kind="bluesky",
        service_url="http://127.0.0.1:9",
        identifier="x.test",
        secret="app-pass",
    )
    monkeypatch.setattr(
        "koshiki.posts.services.publishing.connector_for", lambda account: FailingPlatform(error)
    )
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    post = services.submit(actor=body.operator.user, post=post)
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    return post


def test_a_transient_error_with_a_fake_platform_is_retried_then_fails(
    iwaki_posting: PostingBody, within_hours: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = _scheduled(iwaki_posting, monkeypatch, TransientPlatformError("503 from platform"))
    outcomes = [services.publish_due(post.pk) for _attempt in range(MAX_ATTEMPTS)]
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    post.refresh_from_db()
    assert post.state == PostState.FAILED and "503" in post.last_error
    assert PublishAttempt.objects.filter(post=post, outcome="retry").count() == MAX_ATTEMPTS - 1
    assert "投稿に失敗" in signed_in_client(iwaki_posting.operator.user).get("/").content.decode()


def test_a_permanent_error_with_a_fake_platform_fails_at_once(
    iwaki_posting: PostingBody, within_hours: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = _scheduled(iwaki_posting, monkeypatch, PermanentPlatformError("400 invalid record"))
    assert services.publish_due(post.pk) == "failed"
    services.retry_failed(actor=iwaki_posting.operator.user, post=post)
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED


def test_backoff_grows_and_respects_the_platform_hint() -> None:
    assert backoff(1).total_seconds() == 2 and backoff(5).total_seconds() == 32
    assert backoff(20).total_seconds() == 300 and backoff(1, 90).total_seconds() == 90
