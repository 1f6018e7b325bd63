"""Due posts are found from row state (posts/jobs.py): a worker that died holding a post's task, or a
lost task, cannot leave the post 'scheduled' forever; and a sweep never publishes anything twice.
A fake platform counts publications (no Bluesky network needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from koshiki.core import jobs
from koshiki.posts import services
from koshiki.posts.channels import set_channel
from koshiki.posts.jobs import overdue_posts
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post
from koshiki.posts.tasks import publish_post_task

from .conftest import CLEAN_POST, PostingBody
from .fake_platform import FakePlatform

LATER = dt.timedelta(seconds=601)


@pytest.fixture
def fake(
    iwaki_posting: PostingBody, within_hours: None, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> FakePlatform:
    platform = FakePlatform()
    settings.KOSHIKI_OUTBOUND_ALLOW = ["http://127.0.0.1:9"]  # the fake's address, through the outbound guard
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


def _scheduled(body: PostingBody, text: str = CLEAN_POST) -> Post:
    post = services.submit(
        actor=body.operator.user,
        post=services.create_post(actor=body.operator.user, account=body.account, text=text),
    )
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    return post


def _tasks(post: Post) -> Any:
    return DBTaskResult.objects.filter(task_path=publish_post_task.module_path, args_kwargs__args=[post.pk])


def _worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def test_fake_platform_post_whose_worker_died_after_claiming_is_published_once_by_the_sweeper(
    iwaki_posting: PostingBody, fake: FakePlatform
) -> None:
    post = _scheduled(iwaki_posting)
    task = _tasks(post).get()
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["died"]
    )  # claimed, then the worker died
    _worker()
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED  # today: stays scheduled, the task looks taken
    jobs.run_sweeps(timezone.now() + LATER)
    jobs.run_sweeps(timezone.now() + LATER)  # a second sweeper pass doubles nothing
    assert _tasks(post).filter(status=TaskResultStatus.READY).count() == 1
    _worker()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert fake.per_key() == {post.idempotency_key: 1}


def test_fake_platform_overdue_post_with_no_task_gets_exactly_one_new_task(
    iwaki_posting: PostingBody, fake: FakePlatform
) -> None:
    post = _scheduled(iwaki_posting)
    _tasks(post).delete()  # the queued task was lost
    assert overdue_posts(timezone.now()) == []  # not overdue yet
    later = timezone.now() + dt.timedelta(minutes=2)
    assert overdue_posts(later) == [post.pk]
    jobs.run_sweeps(later)
    jobs.run_sweeps(later)
    assert _tasks(post).count() == 1
    _worker()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and fake.per_key() == {post.idempotency_key: 1}


def test_fake_platform_post_in_retry_backoff_is_left_to_its_queued_retry(
    iwaki_posting: PostingBody, fake: FakePlatform
) -> None:
    post = _scheduled(iwaki_posting)
    _tasks(post).update(run_after=timezone.now() + dt.timedelta(minutes=5))  # a retry waiting its turn
    assert overdue_posts(timezone.now() + dt.timedelta(minutes=2)) == []


def test_a_manual_channel_post_is_not_queued_by_the_sweeper(
    iwaki_posting: PostingBody, within_hours: None
) -> None:
    post = _scheduled(iwaki_posting)
    _tasks(post).delete()
    assert overdue_posts(timezone.now() + dt.timedelta(minutes=2)) == []
