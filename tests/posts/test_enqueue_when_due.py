"""Publish jobs are queued when due, never parked (issue #12): a parked row with a future run time is walked
past by every worker's claim query, so a post scheduled for later is left to the row-state sweep, which
queues it on the first sweeper pass at or after its time. Retries after a platform error work the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from koshiki.connectors import TransientPlatformError
from koshiki.core import jobs
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post
from koshiki.posts.tasks import publish_post_task

from .conftest import CLEAN_POST, PostingBody
from .fake_platform import FakePlatform


@pytest.fixture
def fake(
    iwaki_posting: PostingBody, within_hours: None, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> FakePlatform:
    from koshiki.posts.channels import set_channel

    platform = FakePlatform()
    settings.KOSHIKI_OUTBOUND_ALLOW = ["http://127.0.0.1:9"]
    set_channel(
        actor=iwaki_posting.manager.user,
        account=iwaki_posting.account,
        kind="bluesky",
        service_url="http://127.0.0.1:9",
        identifier="x.test",
        secret="app-pass",
    )
    monkeypatch.setattr("koshiki.posts.services.publishing.connector_for", lambda account: platform)
    return platform


def _scheduled(body: PostingBody, at: dt.datetime | None) -> Post:
    post = services.submit(
        actor=body.operator.user,
        post=services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST),
        scheduled_at=at,
    )
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    return post


def _publish_tasks(post: Post) -> Any:
    return DBTaskResult.objects.filter(task_path=publish_post_task.module_path, args_kwargs__args=[post.pk])


def _parked() -> Any:
    """Task rows waiting for a future time, other than the sweeper's own next run."""
    from koshiki.core.tasks import sweeper_task

    never = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)  # django_tasks_db's "no run time" sentinel is 9999
    waiting = DBTaskResult.objects.filter(run_after__gt=timezone.now(), run_after__lt=never)
    return waiting.exclude(task_path=sweeper_task.module_path)


def _worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def test_a_later_post_gets_no_task_until_its_time_then_the_sweep_queues_exactly_one(
    iwaki_posting: PostingBody, fake: FakePlatform, clock: Any
) -> None:
    at = timezone.now() + dt.timedelta(hours=1)
    post = _scheduled(iwaki_posting, at)
    assert not _parked().exists()
    assert not _publish_tasks(post).exists()
    jobs.run_sweeps(timezone.now())  # before its time: nothing
    assert not _publish_tasks(post).exists()
    clock.move_to(at + dt.timedelta(seconds=1))
    jobs.run_sweeps(timezone.now())
    jobs.run_sweeps(timezone.now())  # a second pass doubles nothing
    assert _publish_tasks(post).count() == 1
    _worker()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and fake.per_key() == {post.idempotency_key: 1}


def test_a_post_due_now_is_queued_at_once(iwaki_posting: PostingBody, fake: FakePlatform) -> None:
    post = _scheduled(iwaki_posting, None)
    assert _publish_tasks(post).count() == 1
    assert not _parked().exists()


def test_a_retry_after_a_platform_error_parks_no_task_and_is_queued_when_its_backoff_ends(
    iwaki_posting: PostingBody, fake: FakePlatform, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = _scheduled(iwaki_posting, None)
    calls: list[str] = []

    def flaky(outgoing: Any) -> Any:
        calls.append(outgoing.idempotency_key)
        if len(calls) == 1:
            raise TransientPlatformError("503", retry_after=120)
        return FakePlatform.publish(fake, outgoing)

    monkeypatch.setattr(fake, "publish", flaky)
    _worker()
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED and post.retry_at is not None
    assert not _parked().exists()
    jobs.run_sweeps(timezone.now())  # still backing off
    _worker()
    assert len(calls) == 1
    clock.move_to(post.retry_at + dt.timedelta(seconds=1))
    jobs.run_sweeps(timezone.now())
    _worker()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and len(calls) == 2 and post.retry_at is None


def test_each_workers_due_poll_queues_a_later_post_at_its_time_without_waiting_for_the_sweeper(
    iwaki_posting: PostingBody, fake: FakePlatform, clock: Any
) -> None:
    """The worker's due poll (every KOSHIKI_DUE_POLL_SECONDS) keeps a post within a second of its time."""
    at = timezone.now() + dt.timedelta(minutes=10)
    post = _scheduled(iwaki_posting, at)
    assert jobs.run_frequent_sweeps() == {"posts.publish_overdue": 0}
    clock.move_to(at + dt.timedelta(milliseconds=200))
    assert jobs.run_frequent_sweeps() == {"posts.publish_overdue": 1}
    assert jobs.run_frequent_sweeps() == {"posts.publish_overdue": 0}  # another worker's poll: no double
    assert _publish_tasks(post).count() == 1
