"""Authors and approvers are told what happened to a post, in-app (お知らせ) and by e-mail, each in their
own language, once per event (issue #13, item 5). Manual-channel accounts: no network."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.connectors import PermanentPlatformError
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.notify.models import Notification
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import AfterReport, Post, PublishAttempt
from koshiki.posts.roles import report_reviewers

from ..notify.helpers import Told, recipients
from ..security.conftest import SEEDS
from .conftest import CLEAN_POST, PostingBody, build_posting_body


@pytest.fixture
def body(db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch) -> PostingBody:
    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)
    return build_posting_body(system_admin, *SEEDS[0])


def _submitted(body: PostingBody, told: Told) -> Post:
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    return told(lambda: services.submit(actor=body.operator.user, post=post))


def _approve_all(post: Post, told: Told) -> Post:
    while (step := services.pending_step(post)) is not None:
        post = told(lambda s=step, p=post: services.decide(actor=s.waiting_for[0].user, post=p, approve=True))
    post.refresh_from_db()
    return post


def _mail_to(mailoutbox: Any, staff: Any) -> list[Any]:
    return [m for m in mailoutbox if m.to == [staff.email]]


def test_submitting_tells_those_who_may_take_the_first_step_and_not_the_writer(
    body: PostingBody, told: Told, mailoutbox: Any
) -> None:
    post = _submitted(body, told)
    step = services.pending_step(post)
    assert step is not None and step.waiting_for
    told_ids = recipients("posts.approval_requested")
    assert told_ids == {s.pk for s in step.waiting_for}
    assert body.operator.pk not in told_ids and body.seed.second_operator.pk not in told_ids
    assert {m.to[0] for m in mailoutbox} == {s.email for s in step.waiting_for}


def test_a_rejection_tells_the_author_with_the_comment_in_their_language(
    body: PostingBody, told: Told, mailoutbox: Any
) -> None:
    body.operator.language = "en"
    body.operator.save(update_fields=["language"])
    post = _submitted(body, told)
    step = services.pending_step(post)
    assert step is not None
    approver = step.waiting_for[0]
    mailoutbox.clear()
    told(lambda: services.decide(actor=approver.user, post=post, approve=False, comment="日付を直して"))
    assert recipients("posts.rejected") == {body.operator.pk}
    (mail,) = mailoutbox
    assert mail.to == [body.operator.email]
    assert mail.subject.startswith("Sent back") and "日付を直して" in mail.body
    assert approver.display_name in mail.body


def test_a_rejection_in_japanese_says_sashimodoshi(body: PostingBody, told: Told, mailoutbox: Any) -> None:
    post = _submitted(body, told)
    step = services.pending_step(post)
    assert step is not None
    mailoutbox.clear()
    told(lambda: services.decide(actor=step.waiting_for[0].user, post=post, approve=False, comment="再考"))
    (mail,) = mailoutbox
    assert "差戻し" in mail.subject and "再考" in mail.body


def test_approval_on_a_manual_channel_tells_the_author_to_post_it_by_hand(
    body: PostingBody, told: Told, mailoutbox: Any
) -> None:
    post = _approve_all(_submitted(body, told), told)
    assert post.state == PostState.SCHEDULED
    assert recipients("posts.approved_manual") == {body.operator.pk}
    (mail,) = [m for m in _mail_to(mailoutbox, body.operator)]
    assert "手作業" in mail.subject


def test_a_double_click_on_reject_tells_the_author_once(body: PostingBody, told: Told) -> None:
    post = _submitted(body, told)
    step = services.pending_step(post)
    assert step is not None
    told(lambda: services.decide(actor=step.waiting_for[0].user, post=post, approve=False, comment="再考"))
    with pytest.raises((NotPermitted, InvalidTransition)):
        told(
            lambda: services.decide(actor=step.waiting_for[0].user, post=post, approve=False, comment="再考")
        )
    assert Notification.objects.filter(key="posts.rejected").count() == 1


def test_a_retried_delivery_lists_and_mails_nothing_twice(
    body: PostingBody, told: Told, mailoutbox: Any
) -> None:
    _submitted(body, told)
    rows, mails = Notification.objects.count(), len(mailoutbox)
    assert rows > 0
    told.again()
    assert Notification.objects.count() == rows and len(mailoutbox) == mails


def test_withdrawing_someone_elses_post_needs_a_reason_in_japanese(body: PostingBody) -> None:
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    with pytest.raises(InvalidInput, match="理由") as refused:
        services.withdraw(actor=body.manager.user, post=post, reason="  ")
    assert refused.value.field == "reason"
    post.refresh_from_db()
    assert post.state == PostState.CHECKED


def test_withdrawn_by_someone_else_tells_the_author_who_and_why(
    body: PostingBody, told: Told, mailoutbox: Any
) -> None:
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    told(lambda: services.withdraw(actor=body.manager.user, post=post, reason="イベント中止のため"))
    assert recipients("posts.withdrawn") == {body.operator.pk}
    (mail,) = mailoutbox
    assert "イベント中止のため" in mail.body and body.manager.display_name in mail.body


def test_withdrawing_ones_own_post_tells_nobody_and_needs_no_reason(body: PostingBody, told: Told) -> None:
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    told(lambda: services.withdraw(actor=body.operator.user, post=post))
    assert not Notification.objects.filter(key="posts.withdrawn").exists()


def test_published_by_someone_else_tells_the_author(body: PostingBody, told: Told) -> None:
    post = _approve_all(_submitted(body, told), told)
    told(
        lambda: services.record_manual_publication(
            actor=body.seed.second_operator.user,
            post=post,
            url=f"https://bsky.app/profile/{body.account.handle}/post/3kabcdefghij2",
        )
    )
    assert recipients("posts.published") == {body.operator.pk}


def test_published_by_the_author_tells_nobody(body: PostingBody, told: Told) -> None:
    post = _approve_all(_submitted(body, told), told)
    told(
        lambda: services.record_manual_publication(
            actor=body.operator.user,
            post=post,
            url=f"https://bsky.app/profile/{body.account.handle}/post/3kabcdefghij2",
        )
    )
    assert recipients("posts.published") == set()


def test_a_failure_tells_the_author_and_the_accounts_manager(body: PostingBody, told: Told) -> None:
    from koshiki.posts.services.common import move
    from koshiki.posts.services.publishing import _settle_error

    post = _approve_all(_submitted(body, told), told)
    move(post, PostState.PUBLISHING, actor=None, action="posts.post.publishing", attempts=post.attempts + 1)
    attempt = PublishAttempt.objects.create(post=post, idempotency_key=post.idempotency_key)
    assert told(lambda: _settle_error(post, attempt, PermanentPlatformError("400 invalid"))) == "failed"
    assert recipients("posts.failed") == {body.operator.pk, body.manager.pk}
    assert body.seed.second_operator.pk not in recipients("posts.failed")


def _fail_then_retry(post: Post, body: PostingBody, told: Told) -> Post:
    from koshiki.posts.services.common import move
    from koshiki.posts.services.publishing import _settle_error

    move(post, PostState.PUBLISHING, actor=None, action="posts.post.publishing", attempts=post.attempts + 1)
    attempt = PublishAttempt.objects.create(post=post, idempotency_key=post.idempotency_key)
    told(lambda: _settle_error(post, attempt, PermanentPlatformError("400 invalid")))
    return told(lambda: services.retry_failed(actor=body.operator.user, post=post))


def test_a_post_tried_again_that_fails_again_is_told_again(body: PostingBody, told: Told) -> None:
    post = _approve_all(_submitted(body, told), told)
    post = _fail_then_retry(post, body, told)
    _fail_then_retry(post, body, told)
    assert Notification.objects.filter(key="posts.failed", recipient=body.operator).count() == 2


def test_an_after_the_fact_report_tells_its_reviewers_not_its_writer(body: PostingBody, told: Told) -> None:
    post = services.create_post(
        actor=body.operator.user,
        account=body.account,
        category="emergency",
        text="【緊急】大雨のため市内の避難所を開設しました。最新情報は市ホームページをご覧ください。",
    )
    told(
        lambda: services.submit(
            actor=body.seed.second_operator.user,
            post=post,
            exemption="emergency",
            hours_exception="emergency",
        )
    )
    report = AfterReport.objects.get(post=post)
    reviewers = {s.pk for s in report_reviewers(report.post)}
    assert reviewers and recipients("posts.after_report") == reviewers
    assert body.operator.pk not in reviewers
