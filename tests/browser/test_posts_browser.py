"""The posting workflow in the real browser, under each seed profile, publishing to the local Bluesky network:
a phone number blocks submission; a clean draft is approved and published; an emergency post goes out at once
outside hours and lands in the approver's after-the-fact list; a correction
links its original with 【訂正】."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from koshiki.posts.models import Post
from koshiki.registry.models import OfficialAccount

from ..posts.conftest import (
    CLEAN_POST,
    PHONE_POST,
    author_feed,
    build_posting_body,
    connect_bluesky,
    hours_excluding_now,
)
from ..security.conftest import SEEDS
from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.bluesky]
EMERGENCY = "【緊急】大雨により市内全域に避難指示を発令しました。近くの避難所へ避難してください。"


def _worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)


def _compose(page: Any, live_server: Any, account: Any, text: str, category: str = "notice") -> None:
    page.goto(f"{live_server.url}/posts/new/")
    page.get_by_label("アカウント").select_option(str(account.pk))
    page.get_by_label("分類").select_option(category)
    page.locator("#post-text").fill(text)


@pytest.mark.parametrize("profile_id,lgcode,kind", SEEDS, ids=[s[0] for s in SEEDS])
def test_posting_workflow_in_the_browser(
    page: Any,
    live_server: Any,
    transactional_db: Any,
    system_admin: Any,
    make_account: Any,
    monkeypatch: pytest.MonkeyPatch,
    profile_id: str,
    lgcode: str,
    kind: str,
) -> None:
    body = build_posting_body(system_admin, profile_id, lgcode, kind)
    dev = connect_bluesky(body, make_account)
    # Hours have their own tests; 新城市 allows weekdays only and this may run on a Sunday.
    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)

    # 担当者: the live check marks the phone number with its clause; the saved draft cannot be submitted.
    sign_in(page, live_server, body.operator.user.username)
    _compose(page, live_server, body.account, PHONE_POST)
    page.locator("#post-preview mark.sev-block", has_text="090-1234-5678").wait_for()
    assert "「" in page.locator("#post-findings").inner_text()  # a clause is cited
    page.get_by_role("button", name="保存してチェック").click()
    page.get_by_role("button", name="申請する").click()
    page.get_by_text("この投稿を止める問題が見つかりました").wait_for()
    post = Post.objects.get(text=PHONE_POST)
    assert post.state == "checked"

    # A clean version is submitted, approved by the chain, and published to the local network.
    page.locator("#post-text").fill(CLEAN_POST)
    page.get_by_role("button", name="保存してチェック").click()
    page.get_by_text("保存してチェックしました。").wait_for()
    page.get_by_role("button", name="申請する").click()
    page.get_by_text("申請しました。").wait_for()
    post.refresh_from_db()
    assert post.state == "submitted"
    approvers = []
    while post.state == "submitted":
        from koshiki.posts.services import pending_step

        approver = pending_step(post).waiting_for[0]
        approvers.append(approver)
        page.context.clear_cookies()
        sign_in(page, live_server, approver.user.username)
        page.goto(f"{live_server.url}/posts/approvals/")
        page.locator("#queue").get_by_role("link", name=CLEAN_POST[:20]).click()
        page.get_by_role("button", name="承認する").click()
        page.get_by_text("判断を記録しました").or_(page.get_by_text("記録しました")).first.wait_for()
        post.refresh_from_db()
    _worker()
    page.reload()
    page.locator("#post-state").get_by_text("投稿済み").wait_for()
    assert author_feed(dev).count(CLEAN_POST) == 1

    # An emergency post outside the account's hours goes out at once and waits in the after-the-fact list.
    monkeypatch.undo()
    OfficialAccount.objects.filter(pk=body.account.pk).update(operating_hours=hours_excluding_now())
    page.context.clear_cookies()
    sign_in(page, live_server, body.operator.user.username)
    _compose(page, live_server, body.account, EMERGENCY, category="emergency")
    page.get_by_role("button", name="保存してチェック").click()
    page.get_by_label("事前承認に代えて事後報告").select_option("emergency")
    page.get_by_label("運用時間外に投稿する理由").select_option("emergency")
    page.get_by_role("button", name="申請する").click()
    page.get_by_text("申請しました。").wait_for()
    _worker()
    emergency = Post.objects.get(text=EMERGENCY)
    assert emergency.state == "published", emergency.last_error
    assert EMERGENCY in author_feed(dev)

    # A correction of the clean post links its original and carries 【訂正】.
    page.goto(f"{live_server.url}/posts/{post.pk}/")
    page.get_by_role("link", name="訂正を投稿する").click()
    assert page.locator("#post-text").input_value().startswith("【訂正】")
    page.locator("#post-text").press("End")
    page.locator("#post-text").type("訓練は16時に終了します。")
    page.get_by_role("button", name="保存してチェック").click()
    page.locator("#corrects-link").wait_for()
    correction = Post.objects.get(corrects=post)
    assert (
        correction.text.startswith("【訂正】")
        and page.locator("#corrects-link").inner_text() == f"#{post.pk}"
    )

    # The approver sees the emergency post in the after-the-fact list and acknowledges it.
    page.context.clear_cookies()
    sign_in(page, live_server, approvers[0].user.username)
    page.goto(f"{live_server.url}/posts/after/")
    row = page.locator(f"#after-list tr[data-post='{emergency.pk}']")
    row.get_by_role("button", name="確認した").click()
    page.locator(f"#after-list tr[data-post='{emergency.pk}']").get_by_text("確認済み").wait_for()
    screenshot(page, f"after-reports-{profile_id}")
