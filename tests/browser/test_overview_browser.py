"""Issue #13 (T) in the browser: the 広報主管課's overview (charts with their numbers as text, 1280/390 px),
the first-run checklist on a fresh body, and item 1 (a request stuck on a step nobody holds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from koshiki.audit.services import log_action
from koshiki.orgs import services as org_services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post
from koshiki.registry import services as registry

from ..conftest import PASSWORD, live_kiki_account
from ..registry.conftest import full_policy
from ..registry.test_unassignable_steps import library_with_head
from .conftest import doc_screenshot, screenshot, sign_in

pytestmark = pytest.mark.browser


def _login(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, username)
    page.get_by_role("heading", name="ダッシュボード").wait_for()


def _posts_over_weeks(body: Any) -> None:
    account = live_kiki_account(body)
    now = timezone.now()
    for week, count in enumerate((3, 1, 4, 2, 5)):
        for i in range(count):
            Post.objects.create(
                organization=body.organization,
                account=account,
                author=body.tanto,
                text=f"お知らせ {week}-{i}",
                state=PostState.PUBLISHED,
                published_at=now - dt.timedelta(weeks=week, hours=i),
            )
    posts = list(Post.objects.filter(account=account).order_by("pk"))
    for n, post in enumerate(posts[:8]):  # approvals taking 1 to 8 hours, over the last weeks
        submitted = now - dt.timedelta(weeks=n % 4, hours=10)
        with time_machine.travel(submitted, tick=False), transaction.atomic():
            log_action(
                "posts.post.submitted", actor=body.tanto.user, obj=post, organization=body.organization
            )
        with time_machine.travel(submitted + dt.timedelta(hours=n + 1), tick=False), transaction.atomic():
            log_action("posts.post.approved", actor=body.kacho.user, obj=post, organization=body.organization)
    registry.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform="instagram",
        account_name="いわき市観光",
        purpose="観光情報",
    )


def test_the_overview_draws_its_charts_with_the_numbers_as_text(
    page: Any, live_server: Any, iwaki: Any
) -> None:
    _posts_over_weeks(iwaki)
    _login(page, live_server, iwaki.kacho.user.username)
    page.get_by_role("link", name="概要").first.click()
    page.get_by_role("heading", name="概要", exact=True).wait_for()
    state = page.get_by_role("img", name="状態別のアカウント数: 申請中 1、運用中 1")
    assert state.is_visible()
    weeks = page.locator("#table-weeks")
    assert weeks.locator("tbody tr").count() == 12
    assert sum(int(n) for n in weeks.locator("tbody td").all_inner_texts()) == 15  # every published post
    assert page.locator("#chart-weeks svg text.chart-value").count() == 12  # the number on every bar
    assert "危機管理課ブルースカイ" in page.locator("#health").inner_text()
    leads = page.locator("#lead-times").inner_text()
    assert "90パーセンタイル" in leads and "時間" in leads
    doc_screenshot(page, "overview")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    widths = page.evaluate(
        "[...document.querySelectorAll('main figure, main .card')].map(e => e.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= 390, widths


def test_a_writer_is_refused_in_japanese(page: Any, live_server: Any, iwaki: Any) -> None:
    _login(page, live_server, iwaki.tanto.user.username)
    assert page.locator("#nav-overview").count() == 0
    response = page.goto(f"{live_server.url}/overview/")
    assert response is not None and response.status == 403
    assert "権限がありません" in page.locator("h1").inner_text() or page.locator("#error-page").is_visible()


def test_a_fresh_body_s_administrator_follows_the_checklist(
    page: Any, live_server: Any, system_admin: Any
) -> None:
    org = org_services.create_organization(
        actor=system_admin, lgcode="072044", name="いわき市", profile_id="iwaki", web_domains=[]
    )
    department = org_services.create_department(
        actor=system_admin, organization=org, code="kouhou", name="広報"
    )
    org_services.add_staff(
        actor=system_admin,
        organization=org,
        username="fresh-admin",
        display_name="管理 一郎",
        password=PASSWORD,
        department=department,
        email="fresh-admin@example.lg.jp",
        is_org_admin=True,
    )
    _login(page, live_server, "fresh-admin")
    checklist = page.locator("#onboarding")
    assert checklist.is_visible()
    assert "未完了" in checklist.locator("#onboarding-domains").inner_text()
    checklist.locator("#onboarding-domains").get_by_role("link").click()
    page.get_by_label("自団体のドメイン（1行に1つ）").fill("city.iwaki.lg.jp")
    page.locator("#settings-form").get_by_role("button").first.click()
    page.goto(f"{live_server.url}/")
    domains = page.locator("#onboarding-domains")
    assert "完了" in domains.inner_text() and "未完了" not in domains.inner_text()
    assert "city.iwaki.lg.jp" in domains.inner_text()
    assert "未完了" in page.locator("#onboarding-roles").inner_text()
    assert page.locator("#admin-card").get_by_role("link", name="職員と役割").is_visible()
    screenshot(page, "onboarding")


def test_item_1_a_library_request_is_refused_and_a_stuck_one_reaches_the_administrator(
    page: Any, live_server: Any, iwaki: Any, iwaki_officers: Any, system_admin: Any
) -> None:
    library_with_head(iwaki, system_admin)  # 中央図書館 with its head, who requests
    _login(page, live_server, "iwaki-libhead")
    page.goto(f"{live_server.url}/accounts/request/")
    form = page.locator("#account-request-form")
    form.get_by_label("所属").select_option(label="中央図書館")
    form.get_by_label("プラットフォーム").select_option("x")
    form.get_by_label("アカウント名").fill("いわき市立図書館")
    form.locator("#id_handle").fill("iwaki_library")
    form.get_by_label("目的").fill("図書館のお知らせ")
    form.get_by_role("button", name="申請する").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "情報管理者" in body and "「いわき市 第4 1(2)」" in body
    assert "/accounts/request/" in page.url

    stuck = registry.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき市危機管理課",
        handle="iwaki_bousai",
        purpose="防災情報の発信",
    )
    registry.save_policy(actor=iwaki.tanto.user, account=stuck, items=full_policy(stuck))
    org_services.end_role(
        actor=system_admin, assignment=iwaki_officers["bucho"].roles.get(role_id="info_manager")
    )
    _login(page, live_server, iwaki.kacho.user.username)
    item = page.locator("ul.attention li", has_text="承認できる人がいません")
    assert item.count() == 1
    assert "情報管理者" in item.inner_text() and "「いわき市 第4 1(2)」" in item.inner_text()
    item.get_by_role("link").click()
    assert page.locator("#account-state").inner_text() == "申請中"
