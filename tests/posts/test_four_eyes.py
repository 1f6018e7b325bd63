"""Four-eyes on posts: nobody approves, overrides or acknowledges the report of a
post they wrote or last edited.

Reproduced before: an account manager wrote a post with a private phone number, overrode his own block
finding and approved it alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs import services as org_services
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import AfterReport, Post, PostApproval

from ..conftest import PASSWORD, signed_in_client
from .conftest import CLEAN_POST, PHONE_POST, PostingBody, build_posting_body

EMERGENCY_POST = "【緊急】大雨のため市内の避難所を開設しました。最新情報は市ホームページをご覧ください。"
IWAKI_RULE = "「いわき市 第5 1(4)」"


@pytest.fixture
def body(db: Any, system_admin: Any, within_hours: None) -> PostingBody:
    return build_posting_body(system_admin, "iwaki", "072044", "executive")


@pytest.fixture
def second_approver(body: PostingBody, system_admin: Any) -> Any:
    """Another holder of the approver role (アカウント管理者) for the account's department."""
    staff = org_services.add_staff(
        actor=system_admin,
        organization=body.seed.organization,
        username="iwaki-fuku",
        display_name="副 所属長",
        password=PASSWORD,
        department=body.account.department,
        email="fuku@example.lg.jp",
    )
    org_services.assign_role(
        actor=system_admin, staff=staff, role_id="account_manager", department=body.account.department
    )
    return staff


def _submitted_by_manager(body: PostingBody, text: str = CLEAN_POST) -> Post:
    post = services.create_post(actor=body.manager.user, account=body.account, text=text)
    return services.submit(actor=body.manager.user, post=post)


def test_the_author_cannot_approve_their_own_post(body: PostingBody, second_approver: Any) -> None:
    post = _submitted_by_manager(body)
    assert post.state == PostState.SUBMITTED
    with pytest.raises(NotPermitted) as refused:
        services.decide(actor=body.manager.user, post=post, approve=True)
    assert "別の承認者" in refused.value.message and IWAKI_RULE in refused.value.message
    post.refresh_from_db()
    assert post.state == PostState.SUBMITTED and not PostApproval.objects.filter(post=post).exists()
    assert services.pending_step(post).waiting_for == [second_approver]
    assert services.decide(actor=second_approver.user, post=post, approve=True).state == PostState.SCHEDULED


def test_whoever_last_edited_the_text_cannot_approve_it(body: PostingBody, second_approver: Any) -> None:
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    post = services.edit_post(
        actor=body.manager.user,
        post=post,
        text=CLEAN_POST + "（雨天決行）",
        category="notice",
        expected_version=post.version,
    )
    post = services.submit(actor=body.operator.user, post=post)
    with pytest.raises(NotPermitted):
        services.decide(actor=body.manager.user, post=post, approve=True)
    assert services.decide(actor=second_approver.user, post=post, approve=True).state == PostState.SCHEDULED


def test_an_author_who_is_the_only_approver_cannot_send_it_for_approval(body: PostingBody) -> None:
    post = services.create_post(actor=body.manager.user, account=body.account, text=CLEAN_POST)
    with pytest.raises(InvalidInput) as refused:
        services.submit(actor=body.manager.user, post=post)
    assert "アカウント管理者" in refused.value.message and IWAKI_RULE in refused.value.message
    post.refresh_from_db()
    assert post.state == PostState.CHECKED


def test_the_author_cannot_override_a_block_on_their_own_post(
    body: PostingBody, second_approver: Any
) -> None:
    post = services.create_post(actor=body.manager.user, account=body.account, text=PHONE_POST)
    with pytest.raises(NotPermitted) as refused:
        services.override_blocks(actor=body.manager.user, post=post, reason="自分で確認した")
    assert IWAKI_RULE in refused.value.message
    post.refresh_from_db()
    assert post.override_reason == "" and post.override_by is None
    services.override_blocks(actor=second_approver.user, post=post, reason="本人の同意を得た公用携帯の番号")
    post = services.submit(actor=body.manager.user, post=post)
    assert post.state == PostState.SUBMITTED


def test_a_named_exception_lets_the_author_publish_alone_and_reports_to_someone_else(
    body: PostingBody, second_approver: Any
) -> None:
    post = services.create_post(
        actor=body.manager.user, account=body.account, text=EMERGENCY_POST, category="emergency"
    )
    post = services.submit(actor=body.manager.user, post=post, exemption="emergency")
    assert post.state == PostState.SCHEDULED
    report = AfterReport.objects.get(post=post)
    with pytest.raises(NotPermitted):
        services.acknowledge_after_report(actor=body.manager.user, report=report)
    report.refresh_from_db()
    assert report.acknowledged_at is None
    services.acknowledge_after_report(actor=second_approver.user, report=report, comment="確認")


def test_with_no_other_approver_the_report_goes_to_an_administrator(body: PostingBody) -> None:
    from koshiki.core.attention import Viewer
    from koshiki.posts.attention import posts_for_me

    post = services.create_post(
        actor=body.manager.user, account=body.account, text=EMERGENCY_POST, category="emergency"
    )
    post = services.submit(actor=body.manager.user, post=post, exemption="emergency")
    report = AfterReport.objects.get(post=post)
    assert not [
        a for a in posts_for_me(Viewer(body.manager.user, body.manager)) if "事後報告" in str(a.title)
    ]
    assert [
        a for a in posts_for_me(Viewer(body.seed.admin.user, body.seed.admin)) if "事後報告" in str(a.title)
    ]
    with pytest.raises(NotPermitted):
        services.acknowledge_after_report(actor=body.manager.user, report=report)
    services.acknowledge_after_report(actor=body.seed.admin.user, report=report)


def test_an_exemption_the_profile_does_not_name_needs_a_second_person(
    body: PostingBody, monkeypatch: pytest.MonkeyPatch
) -> None:
    from koshiki.posts.services import approval

    real = approval.posting_rules
    monkeypatch.setattr(
        approval, "posting_rules", lambda profile: dataclasses.replace(real(profile), self_publish=())
    )
    post = services.create_post(
        actor=body.operator.user, account=body.account, text=EMERGENCY_POST, category="emergency"
    )
    with pytest.raises(InvalidInput) as refused:
        services.submit(actor=body.operator.user, post=post, exemption="emergency")
    assert refused.value.field == "exemption"
    post.refresh_from_db()
    assert post.state == PostState.CHECKED and not AfterReport.objects.filter(post=post).exists()
    post = services.submit(actor=body.seed.second_operator.user, post=post, exemption="emergency")
    assert post.state == PostState.SCHEDULED


def test_a_standing_approval_does_not_cover_its_granters_own_posts(
    body: PostingBody, second_approver: Any
) -> None:
    today = timezone.localdate()
    services.grant_standing_approval(
        actor=body.manager.user,
        account=body.account,
        categories=["event"],
        description="図書館のイベント告知",
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
    )
    own = services.submit(
        actor=body.manager.user,
        post=services.create_post(
            actor=body.manager.user,
            account=body.account,
            category="event",
            text="図書館で土曜日におはなし会を開きます。",
        ),
    )
    assert own.state == PostState.SUBMITTED and own.standing_approval is None
    other = services.submit(
        actor=body.operator.user,
        post=services.create_post(
            actor=body.operator.user,
            account=body.account,
            category="event",
            text="図書館で日曜日に読み聞かせ会を開きます。",
        ),
    )
    assert other.state == PostState.SCHEDULED and other.standing_approval is not None


def test_web_the_author_gets_a_japanese_refusal_and_nothing_changes(
    body: PostingBody, second_approver: Any
) -> None:
    post = _submitted_by_manager(body)
    client = signed_in_client(body.manager.user)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert f"/posts/{post.pk}/decide/" not in page
    response = client.post(f"/posts/{post.pk}/decide/", {"decision": "approve", "comment": ""})
    assert response.status_code == 400 and "別の承認者" in response.content.decode()
    post.refresh_from_db()
    assert post.state == PostState.SUBMITTED and not PostApproval.objects.filter(post=post).exists()


def test_web_the_author_cannot_override_their_own_block(body: PostingBody, second_approver: Any) -> None:
    post = services.create_post(actor=body.manager.user, account=body.account, text=PHONE_POST)
    response = signed_in_client(body.manager.user).post(
        f"/posts/{post.pk}/override/", {"reason": "自分で確認した"}
    )
    assert response.status_code == 400 and IWAKI_RULE in response.content.decode()
    post.refresh_from_db()
    assert post.override_reason == ""


def test_a_standing_approval_lapses_when_its_granter_no_longer_approves(
    body: PostingBody, second_approver: Any, system_admin: Any
) -> None:
    """Issue #10 review: a standing approval is the granter's approval given in advance; once the granter no
    longer holds an approving role for the account, it covers nothing."""
    today = timezone.localdate()
    services.grant_standing_approval(
        actor=second_approver.user,
        account=body.account,
        categories=["event"],
        description="図書館のイベント告知",
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
    )
    for assignment in second_approver.roles.all():
        org_services.end_role(actor=system_admin, assignment=assignment, end_date=today)
    post = services.submit(
        actor=body.operator.user,
        post=services.create_post(
            actor=body.operator.user,
            account=body.account,
            category="event",
            text="図書館で日曜日に読み聞かせ会を開きます。",
        ),
    )
    assert post.state == PostState.SUBMITTED and post.standing_approval is None
