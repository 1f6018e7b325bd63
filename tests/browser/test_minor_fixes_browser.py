"""In the browser (issue #13 item 12, "Minor"): the small things a new user hit, as each person meets them."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.posts import services as posts
from koshiki.registry import services

from ..posts.conftest import CLEAN_POST, PHONE_POST
from ..registry.test_notice import _live_account
from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_the_minor_fixes_in_the_browser(page: Any, live_server: Any, iwaki: Any, iwaki_officers: Any) -> None:
    # The request's answers are already in the 運用方針 form.
    requested = services.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="instagram",
        account_name="いわき市危機管理課",
        handle="iwaki_kiki",
        purpose="災害時の避難情報を届けるため。",
        reply_policy="個別の返信は行いません。",
    )
    account = _live_account(iwaki)
    account.refresh_from_db()
    sign_in(page, live_server, iwaki.tanto.user.username)
    page.goto(f"{live_server.url}/accounts/{requested.pk}/")
    policy = page.locator("#policy-form")
    assert policy.locator("textarea[name=purpose]").input_value() == "災害時の避難情報を届けるため。"
    assert policy.locator("textarea[name=reply_policy]").input_value() == "個別の返信は行いません。"

    # A post with a private phone number is 禁止あり, not チェック済み.
    blocked = posts.create_post(actor=iwaki.tanto.user, account=account, text=PHONE_POST)
    page.goto(f"{live_server.url}/posts/{blocked.pk}/")
    assert page.locator("#post-state").inner_text() == "禁止あり"

    # A publishing time in the past is refused in Japanese; the post stays as it was.
    clean = posts.create_post(actor=iwaki.tanto.user, account=account, text=CLEAN_POST)
    page.goto(f"{live_server.url}/posts/{clean.pk}/")
    submit = page.locator("#submit-form")
    submit.get_by_label("投稿日時（空欄: 承認後すぐ）").fill("2025-01-05T09:00")
    submit.get_by_role("button", name="申請する").click()
    assert "過去の日時です" in page.locator("#submit-form").inner_text()
    assert page.locator("#post-state").inner_text() == "チェック済み"

    # The homepage listing does not call the body's own x.com account a third-party link.
    page.goto(f"{live_server.url}/accounts/disclosure/")
    assert "https://x.com/example" in page.locator("#disclosure-html").input_value()
    assert page.locator(".findings .sev-info").count() == 0
    page.context.clear_cookies()

    # The emergency stop asks for a ticked confirmation first.
    sign_in(page, live_server, iwaki.shozokucho.user.username)
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    stop = page.locator("#stop-form")
    stop.get_by_label("理由").fill("乗っ取りの疑い")
    stop.get_by_role("button", name="今すぐ停止する").click()
    assert "緊急停止を確認してください" in page.locator("#stop-form").inner_text()
    assert page.locator("#account-state").inner_text() == "運用中"
    stop = page.locator("#stop-form")
    stop.get_by_label("理由").fill("乗っ取りの疑い")
    stop.get_by_label("確認しました", exact=False).check()
    stop.get_by_role("button", name="今すぐ停止する").click()
    assert page.locator("#account-state").inner_text() == "停止"

    # A missing page is Japanese, with the way back.
    page.goto(f"{live_server.url}/no-such-page/")
    assert page.get_by_role("heading", name="ページが見つかりません").is_visible()
    page.locator("#error-page").get_by_role("link", name="ダッシュボード").click()
    assert page.url.rstrip("/") == live_server.url
    screenshot(page, "minor-fixes-dashboard-after-404")
