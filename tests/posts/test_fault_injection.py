"""Exactly once under crashes: the worker is killed between the platform call and the commit.

The big test runs ``fault_worker.py`` in a subprocess with a database of its own (a SQLite file, or a
throwaway database on the PostgreSQL server of DATABASE_URL): pytest-django's test database lives in
one connection's transaction (or in memory), where forked worker processes could not see it. There,
100 forked workers are SIGKILLed at the seam between the platform's acceptance and the commit (and
some before the call, some again during reconciliation); the sweep must then leave every post
published once on the PDS, with no duplicate and none lost. The small tests crash in-process.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from koshiki.connectors import OutgoingPost
from koshiki.posts import services
from koshiki.posts.channels import connector_for
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post, PublishAttempt
from koshiki.posts.services import publishing

from .conftest import CLEAN_POST, PostingBody, author_feed, connect_bluesky

WORKER = Path(__file__).with_name("fault_worker.py")
KILLS = 100


def _scheduled(body: PostingBody, text: str) -> Post:
    post = services.submit(
        actor=body.operator.user,
        post=services.create_post(actor=body.operator.user, account=body.account, text=text),
    )
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    return post


@pytest.mark.bluesky
def test_killing_the_worker_between_platform_call_and_commit_100_times_loses_and_duplicates_nothing(
    bsky_pds_url: str, tmp_path: Path
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("KOSHIKI_SQLITE_PATH", "KOSHIKI_VAR_DIR")
    }
    done = subprocess.run(
        [
            sys.executable,
            str(WORKER),
            "--pds-url",
            bsky_pds_url,
            "--posts",
            str(KILLS),
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(summary, ensure_ascii=False))
    posts = summary["posts"]
    assert summary["kills"] == KILLS  # every worker died at the seam, none finished its commit
    assert summary["kills_before_call"] + KILLS == posts and summary["kills_in_reconcile"] > 0
    assert summary["survivors"] == 0
    assert summary["states_after_kills"] == {"publishing": posts}
    assert summary["records_before_reconcile"] == KILLS  # on the platform, not yet in the database
    assert summary["duplicates"] == 0
    assert summary["lost"] == 0
    assert summary["mismatched"] == 0
    assert summary["records"] == posts
    assert summary["states"] == {"published": posts}
    assert summary["attempts"] == {"reconciled": posts}
    assert summary["password_logins_in_workers"] == 0  # the stored session is reused


@pytest.mark.bluesky
def test_publishing_twice_posts_once(
    iwaki_posting: PostingBody, make_account: Any, within_hours: None
) -> None:
    dev = connect_bluesky(iwaki_posting, make_account)
    post = _scheduled(iwaki_posting, CLEAN_POST)
    assert services.publish_due(post.pk) == "published"
    assert services.publish_due(post.pk) == "published"  # a second job for the same post: nothing to do
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and post.remote_id.startswith("at://")
    # The platform call itself repeated under the same key (an answer lost on the way back) finds the post.
    connector = connector_for(post.account)
    assert connector is not None
    try:
        again = connector.publish(OutgoingPost(post.text, post.idempotency_key))
    finally:
        connector.close()  # type: ignore[attr-defined]
    assert again.remote_id == post.remote_id
    assert author_feed(dev).count(CLEAN_POST) == 1
    assert list(PublishAttempt.objects.filter(post=post).values_list("outcome", flat=True)) == ["published"]


@pytest.mark.bluesky
def test_a_crash_after_the_platform_call_is_reconciled_without_posting_again(
    iwaki_posting: PostingBody, make_account: Any, within_hours: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    dev = connect_bluesky(iwaki_posting, make_account)
    post = _scheduled(iwaki_posting, CLEAN_POST)

    def crash() -> None:
        raise SystemExit("worker killed")

    monkeypatch.setattr(publishing, "after_platform_call", crash)
    with pytest.raises(SystemExit):
        services.publish_due(post.pk)
    monkeypatch.setattr(publishing, "after_platform_call", lambda: None)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING and post.remote_id == ""
    assert author_feed(dev).count(CLEAN_POST) == 1  # the platform has it; the database does not know yet
    assert PublishAttempt.objects.get(post=post).outcome == PublishAttempt.Outcome.PENDING

    assert services.reconcile_stuck() == []  # not stuck yet: a live worker may still be on it
    assert services.reconcile_stuck(now=timezone.now() + dt.timedelta(minutes=2)) == ["published"]
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and post.remote_id.startswith("at://")
    assert author_feed(dev).count(CLEAN_POST) == 1
    attempt = PublishAttempt.objects.get(post=post)
    assert attempt.outcome == PublishAttempt.Outcome.RECONCILED and attempt.finished_at is not None
