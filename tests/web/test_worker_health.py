"""The dashboard shows stuck background work: a sweeper that has not run, tasks past their lease, failed
jobs (deployment-wide, to organization administrators) and overdue posts (to their own body's admins only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from koshiki.core import jobs
from koshiki.core.models import JobRun
from koshiki.orgs.tasks import apply_due_personnel_changes_task
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from ..conftest import signed_in_client
from ..posts.conftest import CLEAN_POST, build_posting_body
from ..security.conftest import SEEDS


def _dashboard(user: Any) -> str:
    return signed_in_client(user).get("/").content.decode()


def test_a_sweeper_that_has_not_run_is_shown_to_org_admins_not_to_operators(iwaki: Any) -> None:
    assert "バックグラウンドの見回りが動いていません" in _dashboard(iwaki.kacho.user)
    assert "バックグラウンドの見回りが動いていません" not in _dashboard(iwaki.tanto.user)
    jobs.run_sweeps()
    assert "バックグラウンドの見回りが動いていません" not in _dashboard(iwaki.kacho.user)
    JobRun.objects.filter(name=jobs.SWEEPER).update(last_started_at=timezone.now() - dt.timedelta(minutes=6))
    assert "バックグラウンドの見回りが動いていません" in _dashboard(iwaki.kacho.user)


def test_a_task_past_its_lease_and_a_failed_sweep_are_shown(iwaki: Any) -> None:
    jobs.run_sweeps()
    result = apply_due_personnel_changes_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - dt.timedelta(minutes=11)
    )
    JobRun.objects.create(name="test.sweep", last_error="RuntimeError('boom')")
    page = _dashboard(iwaki.kacho.user)
    assert "リース期限を過ぎたバックグラウンド処理: 1" in page
    assert "バックグラウンド処理が失敗しました: test.sweep" in page


def test_an_overdue_post_is_shown_to_its_own_bodys_admin_only(db: Any, system_admin: Any, clock: Any) -> None:
    iwaki_posting = build_posting_body(system_admin, *SEEDS[0])
    other = build_posting_body(system_admin, *SEEDS[1])
    post = services.submit(
        actor=iwaki_posting.operator.user,
        post=services.create_post(
            actor=iwaki_posting.operator.user, account=iwaki_posting.account, text=CLEAN_POST
        ),
    )
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    Post.objects.filter(pk=post.pk).update(
        state=PostState.SCHEDULED, scheduled_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert "まだ投稿されていません" in _dashboard(iwaki_posting.seed.admin.user)
    assert "まだ投稿されていません" not in _dashboard(other.seed.admin.user)
