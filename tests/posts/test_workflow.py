"""The posting workflow under each seed profile: checks, approval, hours,
exemptions, corrections, publishing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.audit.retention import reveal
from koshiki.core import jobs
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import AfterReport, Post

from .conftest import CLEAN_POST, PHONE_POST, PostingBody, author_feed, connect_bluesky, hours_excluding_now


def run_worker() -> None:
    """What a worker does in one pass: its due poll queues what has come due (nothing is parked for later,
    issue #12), then the real django-tasks database worker runs every queued task."""
    jobs.run_sweeps(timezone.now())
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)


def _approve_all(post: Post) -> Post:
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    post.refresh_from_db()
    return post


def test_a_draft_with_a_private_phone_number_cannot_be_submitted(posting_body: PostingBody) -> None:
    post = services.create_post(
        actor=posting_body.operator.user, account=posting_body.account, text=PHONE_POST
    )
    assert post.state == PostState.CHECKED
    assert any(f["category"] == "personal_info" and f["severity"] == "block" for f in post.findings)
    with pytest.raises(InvalidInput) as refused:
        services.submit(actor=posting_body.operator.user, post=post)
    assert "090-1234-5678" in refused.value.message
    post.refresh_from_db()
    assert post.state == PostState.CHECKED


def test_an_approver_override_in_writing_lets_a_blocked_post_through(
    iwaki_posting: PostingBody, within_hours: None
) -> None:
    post = services.create_post(
        actor=iwaki_posting.operator.user, account=iwaki_posting.account, text=PHONE_POST
    )
    with pytest.raises(NotPermitted):
        services.override_blocks(actor=iwaki_posting.operator.user, post=post, reason="自分で")
    services.override_blocks(
        actor=iwaki_posting.manager.user, post=post, reason="本人の同意を得た公用携帯の番号"
    )
    post = services.submit(actor=iwaki_posting.operator.user, post=post)
    assert post.state == PostState.SUBMITTED
    entry = AuditEntry.objects.get(action="posts.post.block_overridden")
    assert reveal(entry.after)["reason"] == "本人の同意を得た公用携帯の番号" and entry.clause


def test_warnings_must_be_acknowledged_one_by_one(iwaki_posting: PostingBody, within_hours: None) -> None:
    post = services.create_post(
        actor=iwaki_posting.operator.user,
        account=iwaki_posting.account,
        text="詳しくは https://bit.ly/abc と https://example.com/info をご覧ください。",
    )
    warnings = [f for f in post.findings if f["severity"] == "warn"]
    if not warnings:
        pytest.skip("no warning-severity finding under this profile")
    from koshiki.posts.services.common import finding_key

    for warning in warnings[:-1]:
        services.acknowledge_warning(actor=iwaki_posting.operator.user, post=post, key=finding_key(warning))
    post.refresh_from_db()
    if any(f["severity"] == "block" for f in post.findings):
        services.override_blocks(actor=iwaki_posting.manager.user, post=post, reason="確認済み")
    with pytest.raises(InvalidInput):
        services.submit(actor=iwaki_posting.operator.user, post=post)
    services.acknowledge_warning(actor=iwaki_posting.operator.user, post=post, key=finding_key(warnings[-1]))
    assert services.submit(actor=iwaki_posting.operator.user, post=post).state == PostState.SUBMITTED


def test_a_rejection_goes_back_to_draft_with_its_comment(
    iwaki_posting: PostingBody, within_hours: None
) -> None:
    post = services.create_post(
        actor=iwaki_posting.operator.user, account=iwaki_posting.account, text=CLEAN_POST
    )
    post = services.submit(actor=iwaki_posting.operator.user, post=post)
    with pytest.raises(InvalidInput):
        services.decide(actor=iwaki_posting.manager.user, post=post, approve=False)
    post = services.decide(
        actor=iwaki_posting.manager.user, post=post, approve=False, comment="時刻を確認してください"
    )
    assert post.state == PostState.DRAFT
    post = services.edit_post(
        actor=iwaki_posting.operator.user,
        post=post,
        text=CLEAN_POST + "（16時終了）",
        category="notice",
        expected_version=post.version,
    )
    assert post.state == PostState.CHECKED and post.version == 2


def test_an_operator_cannot_approve_and_an_outsider_cannot_write(
    iwaki_posting: PostingBody, outsider: Any, within_hours: None
) -> None:
    post = services.submit(
        actor=iwaki_posting.operator.user,
        post=services.create_post(
            actor=iwaki_posting.operator.user, account=iwaki_posting.account, text=CLEAN_POST
        ),
    )
    with pytest.raises(NotPermitted):
        services.decide(actor=iwaki_posting.seed.second_operator.user, post=post, approve=True)
    with pytest.raises(NotPermitted):
        services.create_post(actor=outsider.user, account=iwaki_posting.account, text=CLEAN_POST)


def test_outside_hours_a_normal_post_is_refused_with_the_next_allowed_time(
    db: Any, system_admin: Any
) -> None:
    from .conftest import build_posting_body

    body = build_posting_body(system_admin, "shinshiro", "232211", "executive", hours=hours_excluding_now())
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    with pytest.raises(InvalidInput) as refused:
        services.submit(actor=body.operator.user, post=post)
    assert "次に投稿できるのは" in refused.value.message and "「新城市 4(1)」" in refused.value.message


@pytest.mark.bluesky
def test_an_emergency_post_goes_out_at_once_outside_hours_and_is_reported(
    posting_body: PostingBody, make_account: Any, system_admin: Any
) -> None:
    from koshiki.registry.models import OfficialAccount

    OfficialAccount.objects.filter(pk=posting_body.account.pk).update(operating_hours=hours_excluding_now())
    posting_body.account.refresh_from_db()
    dev = connect_bluesky(posting_body, make_account)
    post = services.create_post(
        actor=posting_body.operator.user,
        account=posting_body.account,
        category="emergency",
        text="【緊急】大雨のため市内の避難所を開設しました。最新情報は市ホームページをご覧ください。",
    )
    post = services.submit(
        actor=posting_body.operator.user, post=post, exemption="emergency", hours_exception="emergency"
    )
    assert post.state == PostState.SCHEDULED
    run_worker()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED, post.last_error
    assert post.text in author_feed(dev)
    report = AfterReport.objects.get(post=post)
    assert report.reason == "emergency" and report.acknowledged_at is None
    services.acknowledge_after_report(actor=posting_body.manager.user, report=report, comment="確認")


@pytest.mark.bluesky
def test_a_clean_draft_is_approved_and_published_at_its_scheduled_time(
    posting_body: PostingBody, make_account: Any, within_hours: Any
) -> None:
    dev = connect_bluesky(posting_body, make_account)
    post = services.create_post(
        actor=posting_body.operator.user, account=posting_body.account, text=CLEAN_POST
    )
    assert [f for f in post.findings if f["severity"] in ("block", "warn")] == []
    at = timezone.now() + dt.timedelta(seconds=3)
    post = _approve_all(services.submit(actor=posting_body.operator.user, post=post, scheduled_at=at))
    assert post.state == PostState.SCHEDULED
    run_worker()
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED  # not yet: the job waits for its time
    within_hours.move_to(at + dt.timedelta(seconds=0.2))  # the clock, not a sleep
    run_worker()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED, post.last_error
    assert post.published_at is not None and post.published_at >= at
    assert author_feed(dev).count(CLEAN_POST) == 1
    assert post.remote_id.startswith("at://")


@pytest.mark.bluesky
def test_a_correction_links_its_original_carries_the_mark_and_can_delete_it(
    posting_body: PostingBody, make_account: Any, within_hours: None
) -> None:
    dev = connect_bluesky(posting_body, make_account)
    original = _approve_all(
        services.submit(
            actor=posting_body.operator.user,
            post=services.create_post(
                actor=posting_body.operator.user,
                account=posting_body.account,
                text="防災訓練は本日14時からです。",
            ),
        )
    )
    run_worker()
    original.refresh_from_db()
    assert original.state == PostState.PUBLISHED
    unmarked = services.create_post(
        actor=posting_body.operator.user,
        account=posting_body.account,
        text="防災訓練は本日15時からです。",
        corrects=original,
    )
    assert any(f["category"] == "correction_unmarked" for f in unmarked.findings)
    text = services.correction_template(original) + "防災訓練は本日15時からです。"
    correction = services.create_post(
        actor=posting_body.operator.user,
        account=posting_body.account,
        text=text,
        corrects=original,
        correction_action="delete",
    )
    assert correction.text.startswith("【訂正】") and correction.corrects_id == original.pk
    assert not any(f["category"] == "correction_unmarked" for f in correction.findings)
    correction = _approve_all(services.submit(actor=posting_body.operator.user, post=correction))
    run_worker()
    run_worker()  # the deletion of the original runs after the correction is out
    original.refresh_from_db()
    correction.refresh_from_db()
    assert correction.state == PostState.PUBLISHED
    assert original.state == PostState.DELETED and f"#{correction.pk}" in original.deletion_reason
    feed = author_feed(dev)
    assert text.strip() in [t.strip() for t in feed] and "防災訓練は本日14時からです。" not in feed


def test_standing_approval_publishes_without_per_post_approval_and_reports(
    iwaki_posting: PostingBody, within_hours: None
) -> None:
    today = timezone.localdate()
    services.grant_standing_approval(
        actor=iwaki_posting.manager.user,
        account=iwaki_posting.account,
        categories=["event"],
        description="図書館のイベント告知",
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
    )
    post = services.create_post(
        actor=iwaki_posting.operator.user,
        account=iwaki_posting.account,
        category="event",
        text="図書館で今週土曜日におはなし会を開きます。",
    )
    post = services.submit(actor=iwaki_posting.operator.user, post=post)
    assert post.state == PostState.SCHEDULED and post.standing_approval is not None
    assert AfterReport.objects.get(post=post).reason == "standing"
    other = services.submit(
        actor=iwaki_posting.operator.user,
        post=services.create_post(
            actor=iwaki_posting.operator.user,
            account=iwaki_posting.account,
            category="notice",
            text=CLEAN_POST,
        ),
    )
    assert other.state == PostState.SUBMITTED  # outside the scope: per-post approval


def test_a_guideline_without_standing_approvals_refuses_to_grant_one(db: Any, system_admin: Any) -> None:
    from .conftest import build_posting_body

    body = build_posting_body(system_admin, "shinshiro", "232211", "executive")
    with pytest.raises(InvalidInput):
        services.grant_standing_approval(
            actor=body.manager.user,
            account=body.account,
            categories=["event"],
            description="x",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        )


def test_manual_channel_records_the_live_url(iwaki_posting: PostingBody, within_hours: None) -> None:
    post = _approve_all(
        services.submit(
            actor=iwaki_posting.operator.user,
            post=services.create_post(
                actor=iwaki_posting.operator.user, account=iwaki_posting.account, text=CLEAN_POST
            ),
        )
    )
    assert services.publish_due(post.pk) == "manual"
    with pytest.raises(InvalidInput):
        services.record_manual_publication(actor=iwaki_posting.operator.user, post=post, url="bit.ly/x")
    post = services.record_manual_publication(
        actor=iwaki_posting.operator.user,
        post=post,
        url=f"https://bsky.app/profile/{iwaki_posting.account.handle}/post/3kq2abcdxyz2a",
    )
    assert post.state == PostState.PUBLISHED


def test_an_edit_with_a_stale_version_is_refused(iwaki_posting: PostingBody) -> None:
    post = services.create_post(
        actor=iwaki_posting.operator.user, account=iwaki_posting.account, text=CLEAN_POST
    )
    services.edit_post(
        actor=iwaki_posting.operator.user,
        post=post,
        text=CLEAN_POST + "。",
        category="notice",
        expected_version=1,
    )
    with pytest.raises(InvalidTransition):
        services.edit_post(
            actor=iwaki_posting.operator.user, post=post, text="古い版", category="notice", expected_version=1
        )
