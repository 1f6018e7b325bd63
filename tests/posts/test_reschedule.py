"""Moving a post's publishing time (the calendar's form and drag) goes through one service: permission by
persona, the profile's operating hours (refusal cites the clause), no past time, compare-and-set on the
version, approval again when the profile says so, and an audit entry with before/after (#13, item 11)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from ..conftest import Body, live_kiki_account
from .conftest import CLEAN_POST


def _approve_all(post: Post) -> Post:
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    post.refresh_from_db()
    return post


def scheduled_post(body: Body, *, days: int = 2) -> Post:
    """A post of the 危機管理課 account, written by its 担当者, approved and scheduled ``days`` ahead."""
    account = live_kiki_account(body)
    post = services.create_post(actor=body.tanto.user, account=account, text=CLEAN_POST)
    post = services.submit(
        actor=body.tanto.user, post=post, scheduled_at=timezone.now() + dt.timedelta(days=days)
    )
    post = _approve_all(post)
    assert post.state == PostState.SCHEDULED
    return post


def _opt_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A profile that says explicitly that a moved post keeps its approval."""
    from koshiki.posts.services import reschedule

    real = reschedule.posting_rules
    monkeypatch.setattr(
        reschedule,
        "posting_rules",
        lambda profile: dataclasses.replace(real(profile), reapprove_on_reschedule=False),
    )


def _entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="posts.post.rescheduled").order_by("seq"))


@pytest.mark.parametrize("who", ["tanto", "shozokucho"])
def test_the_accounts_writers_move_a_scheduled_post_and_the_audit_has_before_and_after(
    iwaki: Body, clock: Any, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _opt_out(monkeypatch)
    post = scheduled_post(iwaki)
    old = post.scheduled_at
    assert old is not None
    new_at = old + dt.timedelta(days=1)
    moved = services.reschedule_post(
        actor=getattr(iwaki, who).user, post=post, new_at=new_at, expected_version=post.version
    )
    stored = Post.objects.get(pk=post.pk)
    assert stored.scheduled_at == new_at and stored.state == PostState.SCHEDULED
    assert stored.version == post.version + 1 == moved.version
    [entry] = _entries()
    assert entry.object_id == str(post.pk)
    assert entry.before["scheduled_at"] == old.isoformat() and entry.before["version"] == post.version
    assert entry.after["scheduled_at"] == new_at.isoformat() and entry.after["state"] == PostState.SCHEDULED


@pytest.mark.parametrize("who", ["outsider", "ciso"])
def test_someone_who_may_not_write_the_accounts_posts_cannot_move_one(
    iwaki: Body, outsider: Any, clock: Any, who: str
) -> None:
    post = scheduled_post(iwaki)
    actor = outsider if who == "outsider" else iwaki.ciso
    with pytest.raises(NotPermitted):
        services.reschedule_post(
            actor=actor.user,
            post=post,
            new_at=post.scheduled_at + dt.timedelta(days=1),
            expected_version=post.version,
        )
    assert Post.objects.get(pk=post.pk).scheduled_at == post.scheduled_at and not _entries()


def test_a_time_outside_the_operating_hours_is_refused_citing_the_clause(shinshiro: Body, clock: Any) -> None:
    post = scheduled_post(shinshiro)
    post.account.operating_hours = "09:00-17:00"
    post.account.save(update_fields=["operating_hours"])
    evening = timezone.localtime(post.scheduled_at).replace(hour=20, minute=0)
    with translation.override("ja"), pytest.raises(InvalidInput) as refused:
        services.reschedule_post(
            actor=shinshiro.tanto.user, post=post, new_at=evening, expected_version=post.version
        )
    assert refused.value.field == "scheduled_at"
    assert "運用時間" in refused.value.message and "新城市 4(1)" in refused.value.message
    assert Post.objects.get(pk=post.pk).scheduled_at == post.scheduled_at and not _entries()


def test_a_time_in_the_past_is_refused_like_compose(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki)
    with translation.override("ja"), pytest.raises(InvalidInput) as refused:
        services.reschedule_post(
            actor=iwaki.tanto.user,
            post=post,
            new_at=timezone.now() - dt.timedelta(days=1),
            expected_version=post.version,
        )
    assert "過去" in refused.value.message
    assert Post.objects.get(pk=post.pk).scheduled_at == post.scheduled_at and not _entries()


def test_a_second_drop_from_the_same_page_changes_nothing_and_says_so(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki)
    page_version = post.version
    first = post.scheduled_at + dt.timedelta(days=1)
    services.reschedule_post(actor=iwaki.tanto.user, post=post, new_at=first, expected_version=page_version)
    with translation.override("ja"), pytest.raises(InvalidTransition) as refused:
        services.reschedule_post(
            actor=iwaki.tanto.user,
            post=post,
            new_at=first + dt.timedelta(days=1),
            expected_version=page_version,
        )
    assert "何も" in refused.value.message or "変更されていません" in refused.value.message
    assert Post.objects.get(pk=post.pk).scheduled_at == first and len(_entries()) == 1


def test_a_published_or_withdrawn_post_cannot_be_moved(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki)
    services.withdraw(actor=iwaki.tanto.user, post=post)
    post.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.reschedule_post(
            actor=iwaki.tanto.user,
            post=post,
            new_at=post.scheduled_at + dt.timedelta(days=1),
            expected_version=post.version,
        )
    assert not _entries()


def test_by_default_the_author_moving_an_approved_post_sends_it_back_to_approval(
    iwaki: Body, clock: Any
) -> None:
    post = scheduled_post(iwaki)
    round_before = post.approval_round
    services.reschedule_post(
        actor=iwaki.tanto.user,
        post=post,
        new_at=post.scheduled_at + dt.timedelta(days=1),
        expected_version=post.version,
    )
    stored = Post.objects.get(pk=post.pk)
    assert stored.state == PostState.SUBMITTED and stored.approval_round == round_before + 1
    assert services.pending_step(stored) is not None
    [entry] = _entries()
    assert entry.before["state"] == PostState.SCHEDULED and entry.after["state"] == PostState.SUBMITTED
    assert entry.clause


def test_a_profile_that_opts_out_lets_an_approved_post_keep_its_approval(
    iwaki: Body, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _opt_out(monkeypatch)
    post = scheduled_post(iwaki)
    services.reschedule_post(
        actor=iwaki.tanto.user,
        post=post,
        new_at=post.scheduled_at + dt.timedelta(hours=1),
        expected_version=post.version,
    )
    assert Post.objects.get(pk=post.pk).state == PostState.SCHEDULED


def _under_standing_approval(iwaki: Body, days: int) -> tuple[Any, Post]:
    """A standing approval for お知らせ over the next ``days`` days, and a post it scheduled for tomorrow."""
    from koshiki.posts.services import grant_standing_approval

    account = live_kiki_account(iwaki)
    today = timezone.localdate()
    standing = grant_standing_approval(
        actor=iwaki.shozokucho.user,
        account=account,
        categories=["notice"],
        description="お知らせ",
        starts_on=today,
        ends_on=today + dt.timedelta(days=days),
    )
    post = services.create_post(actor=iwaki.tanto.user, account=account, text=CLEAN_POST)
    post = services.submit(
        actor=iwaki.tanto.user, post=post, scheduled_at=timezone.now() + dt.timedelta(days=1)
    )
    assert post.state == PostState.SCHEDULED and post.standing_approval_id == standing.pk
    return standing, post


def test_a_post_moved_out_of_its_standing_approvals_period_goes_back_to_approval(
    iwaki: Body, clock: Any
) -> None:
    _, post = _under_standing_approval(iwaki, days=3)
    services.reschedule_post(
        actor=iwaki.tanto.user,
        post=post,
        new_at=post.scheduled_at + dt.timedelta(days=10),
        expected_version=post.version,
    )
    stored = Post.objects.get(pk=post.pk)
    assert stored.state == PostState.SUBMITTED and stored.standing_approval_id is None


def test_the_workers_due_sweep_sees_the_new_time(
    iwaki: Body, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from koshiki.posts.jobs import overdue_posts

    _opt_out(monkeypatch)
    from koshiki.posts.models import ChannelCredential

    post = scheduled_post(iwaki, days=2)
    ChannelCredential.objects.create(
        account=post.account, kind="bluesky", service_url="https://pds.example.jp", identifier="kiki"
    )
    in_two_hours = timezone.now() + dt.timedelta(hours=2)
    assert post.pk not in overdue_posts(in_two_hours)
    services.reschedule_post(
        actor=iwaki.tanto.user,
        post=post,
        new_at=timezone.now() + dt.timedelta(hours=1),
        expected_version=post.version,
    )
    assert post.pk in overdue_posts(in_two_hours)


def test_the_approvers_are_told_when_a_moved_post_comes_back_for_approval(
    iwaki: Body, clock: Any, told: Any
) -> None:
    from ..notify.helpers import recipients

    post = scheduled_post(iwaki)
    told(
        lambda: services.reschedule_post(
            actor=iwaki.tanto.user,
            post=post,
            new_at=post.scheduled_at + dt.timedelta(days=1),
            expected_version=post.version,
        )
    )
    step = services.pending_step(Post.objects.get(pk=post.pk))
    assert step is not None and iwaki.shozokucho in step.waiting_for
    assert iwaki.shozokucho.pk in recipients("posts.approval_requested")
    assert iwaki.tanto.pk not in recipients("posts.approval_requested")


def test_an_embargoed_post_moved_to_now_by_its_author_is_not_queued(iwaki: Body, clock: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    post = scheduled_post(iwaki)
    queued = DBTaskResult.objects.count()
    services.reschedule_post(
        actor=iwaki.tanto.user, post=post, new_at=timezone.now(), expected_version=post.version
    )
    assert Post.objects.get(pk=post.pk).state == PostState.SUBMITTED
    assert DBTaskResult.objects.count() == queued


def test_an_approver_who_is_not_the_author_moves_it_and_it_stays_approved_with_that_audited(
    iwaki: Body, clock: Any
) -> None:
    post = scheduled_post(iwaki)
    new_at = post.scheduled_at + dt.timedelta(days=1)
    services.reschedule_post(
        actor=iwaki.shozokucho.user, post=post, new_at=new_at, expected_version=post.version
    )
    stored = Post.objects.get(pk=post.pk)
    assert stored.state == PostState.SCHEDULED and stored.scheduled_at == new_at
    [entry] = _entries()
    assert entry.after["state"] == PostState.SCHEDULED
    assert entry.after["approval_kept"] == "moved_by_approver"


def test_an_approver_who_wrote_the_post_moves_it_and_it_goes_back_to_approval(
    iwaki: Body, clock: Any, system_admin: Any
) -> None:
    from koshiki.orgs import services as org_services

    from ..conftest import PASSWORD

    account = live_kiki_account(iwaki)
    fuku = org_services.add_staff(
        actor=system_admin,
        organization=iwaki.organization,
        username="iwaki-fuku",
        display_name="副 所属長",
        password=PASSWORD,
        department=account.department,
        email="fuku@example.lg.jp",
    )
    org_services.assign_role(
        actor=system_admin, staff=fuku, role_id="account_manager", department=account.department
    )
    post = services.create_post(actor=iwaki.shozokucho.user, account=account, text=CLEAN_POST)
    post = services.submit(
        actor=iwaki.shozokucho.user, post=post, scheduled_at=timezone.now() + dt.timedelta(days=2)
    )
    post = _approve_all(post)
    assert post.state == PostState.SCHEDULED
    services.reschedule_post(
        actor=iwaki.shozokucho.user,
        post=post,
        new_at=post.scheduled_at + dt.timedelta(days=1),
        expected_version=post.version,
    )
    stored = Post.objects.get(pk=post.pk)
    assert stored.state == PostState.SUBMITTED
    step = services.pending_step(stored)
    assert step is not None and fuku in step.waiting_for and iwaki.shozokucho not in step.waiting_for


def test_a_post_moved_within_its_standing_approvals_period_keeps_it(iwaki: Body, clock: Any) -> None:
    standing, post = _under_standing_approval(iwaki, days=5)
    services.reschedule_post(
        actor=iwaki.tanto.user,
        post=post,
        new_at=post.scheduled_at + dt.timedelta(days=1),
        expected_version=post.version,
    )
    stored = Post.objects.get(pk=post.pk)
    assert stored.state == PostState.SCHEDULED and stored.standing_approval_id == standing.pk


def test_moving_a_submitted_post_keeps_it_submitted_in_the_same_round(iwaki: Body, clock: Any) -> None:
    account = live_kiki_account(iwaki)
    post = services.create_post(actor=iwaki.tanto.user, account=account, text=CLEAN_POST)
    post = services.submit(
        actor=iwaki.tanto.user, post=post, scheduled_at=timezone.now() + dt.timedelta(days=2)
    )
    assert post.state == PostState.SUBMITTED
    services.reschedule_post(
        actor=iwaki.tanto.user,
        post=post,
        new_at=post.scheduled_at + dt.timedelta(days=1),
        expected_version=post.version,
    )
    stored = Post.objects.get(pk=post.pk)
    assert stored.state == PostState.SUBMITTED and stored.approval_round == post.approval_round


def test_a_stale_approval_is_refused_naming_the_new_time_and_nothing_is_decided(
    iwaki: Body, clock: Any
) -> None:
    account = live_kiki_account(iwaki)
    post = services.create_post(actor=iwaki.tanto.user, account=account, text=CLEAN_POST)
    post = services.submit(
        actor=iwaki.tanto.user, post=post, scheduled_at=timezone.now() + dt.timedelta(days=2)
    )
    seen = post.version
    new_at = post.scheduled_at + dt.timedelta(days=1)
    services.reschedule_post(actor=iwaki.tanto.user, post=post, new_at=new_at, expected_version=seen)
    with translation.override("ja"), pytest.raises(InvalidTransition) as refused:
        services.decide(actor=iwaki.shozokucho.user, post=post, approve=True, expected_version=seen)
    assert timezone.localtime(new_at).strftime("%Y-%m-%d %H:%M") in refused.value.message
    assert "公開日時" in refused.value.message
    assert Post.objects.get(pk=post.pk).state == PostState.SUBMITTED
