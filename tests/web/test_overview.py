"""The 広報主管課's overview (issue #13): aggregations from row state, who may open it, the charts' text."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from koshiki.audit.services import log_action
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post
from koshiki.registry import services as registry
from koshiki.registry.models import OfficialAccount
from koshiki.web import overview_data as data

from ..conftest import Body, live_kiki_account, signed_in_client

JST = ZoneInfo("Asia/Tokyo")


def _published(account: OfficialAccount, author: Any, at: dt.datetime) -> Post:
    return Post.objects.create(
        organization=account.organization,
        account=account,
        author=author,
        text="お知らせ",
        state=PostState.PUBLISHED,
        published_at=at,
    )


def _requested(body: Body, platform: str = "instagram") -> OfficialAccount:
    return registry.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform=platform,
        account_name="観光",
        purpose="観光情報",
    )


def test_accounts_are_counted_by_state_and_by_platform(iwaki: Body) -> None:
    live_kiki_account(iwaki)
    _requested(iwaki)
    _requested(iwaki)
    assert dict(data.accounts_by_state(iwaki.organization)) == {"運用中": 1, "申請中": 2}
    assert dict(data.accounts_by_platform(iwaki.organization)) == {"Bluesky": 1, "Instagram": 2}


def test_posts_per_week_counts_japan_weeks_from_monday(iwaki: Body) -> None:
    """Sunday 23:30 JST is Sunday 14:30 UTC and Monday 00:30 JST still Sunday in UTC: JST decides the week."""
    account = live_kiki_account(iwaki)
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=JST)  # a Wednesday
    sunday = dt.datetime(2026, 11, 22, 23, 30, tzinfo=JST)
    monday = dt.datetime(2026, 11, 23, 0, 30, tzinfo=JST)
    _published(account, iwaki.tanto, sunday)
    _published(account, iwaki.tanto, monday)
    _published(account, iwaki.tanto, monday + dt.timedelta(hours=1))
    weeks = data.posts_per_week(iwaki.organization, now)
    assert len(weeks) == 12
    assert weeks[-1] == (dt.date(2026, 11, 23), 2)
    assert weeks[-2] == (dt.date(2026, 11, 16), 1)
    assert sum(n for _, n in weeks) == 3


def test_percentile_is_nearest_rank() -> None:
    assert data.percentile([1, 2, 3, 4], 0.5) == 2
    assert data.percentile([5, 1, 3], 0.5) == 3
    assert data.percentile(list(range(1, 11)), 0.9) == 9


def test_approval_lead_time_pairs_each_approval_with_its_last_submission(iwaki: Body, clock: Any) -> None:
    account = live_kiki_account(iwaki)
    posts = [_published(account, iwaki.tanto, timezone.now()) for _ in range(3)]
    start = timezone.now()
    for post, hours in zip(posts, (1, 2, 10), strict=True):
        clock.move_to(start)
        with transaction.atomic():
            log_action(
                "posts.post.submitted", actor=iwaki.tanto.user, obj=post, organization=iwaki.organization
            )
        clock.move_to(start + dt.timedelta(hours=hours))
        with transaction.atomic():
            log_action(
                "posts.post.approved", actor=iwaki.kacho.user, obj=post, organization=iwaki.organization
            )
    weeks = data.approval_lead_times(iwaki.organization, timezone.now())
    [done] = [w for w in weeks if w.count]  # the clock starts on a weekday noon: +10 h is the same week
    assert done.count == 3
    assert done.median_hours == pytest.approx(2, abs=0.01)
    assert done.p90_hours == pytest.approx(10, abs=0.01)


def test_health_flags_policy_posts_and_dormancy(iwaki: Body) -> None:
    account = live_kiki_account(iwaki)
    now = timezone.now()
    days = data.dormant_after_days(iwaki.organization)
    _published(account, iwaki.tanto, now - dt.timedelta(days=days + 5))
    OfficialAccount.objects.filter(pk=account.pk).update(state_changed_at=now - dt.timedelta(days=days + 30))
    [line] = data.account_health(iwaki.organization, now)
    assert (line.policy_complete, line.posts_30, line.dormant) == (False, 0, True)
    _published(account, iwaki.tanto, now - dt.timedelta(days=2))
    [line] = data.account_health(iwaki.organization, now)
    assert (line.posts_30, line.dormant) == (1, False)
    items = {item.id: "定めのとおり" for item in data.profile_for(iwaki.organization).operating_policy.items}
    registry.save_policy(actor=iwaki.shozokucho.user, account=account, items=items)
    [line] = data.account_health(iwaki.organization, now)
    assert line.policy_complete


def test_the_pr_head_sees_the_charts_with_their_numbers_as_text(iwaki: Body) -> None:
    live_kiki_account(iwaki)
    _requested(iwaki)
    response = signed_in_client(iwaki.kacho.user).get("/overview/")
    assert response.status_code == 200
    html = response.content.decode()
    for chart in ("state", "platform", "weeks"):
        assert f'id="chart-{chart}"' in html and f'id="table-{chart}"' in html
    assert 'id="chart-lead"' in html and 'id="lead-times"' in html  # its table adds the 90th percentile
    assert html.count('role="img"') >= 4
    assert 'aria-label="状態別のアカウント数: 申請中 1、運用中 1"' in html
    assert "危機管理課ブルースカイ" in html and "観光" in html


def test_a_writer_gets_a_japanese_403(iwaki: Body) -> None:
    response = signed_in_client(iwaki.tanto.user).get("/overview/")
    assert response.status_code == 403
    assert "権限" in response.content.decode() or "役割" in response.content.decode()


def test_the_nav_links_the_overview_only_for_those_who_may_open_it(iwaki: Body) -> None:
    assert 'id="nav-overview"' in signed_in_client(iwaki.kacho.user).get("/").content.decode()
    assert 'id="nav-overview"' not in signed_in_client(iwaki.tanto.user).get("/").content.decode()


def test_an_outsider_sees_only_their_own_body(iwaki: Body, outsider: Any) -> None:
    live_kiki_account(iwaki)
    response = signed_in_client(outsider.user).get("/overview/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "危機管理課ブルースカイ" not in html
    assert "アカウントはまだありません" in html
