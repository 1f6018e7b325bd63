"""In the browser: request an account, complete its policy, approve it along いわき市's chain, open it,
and announce its closure with the right notice date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.registry.models import OfficialAccount

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def _login(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, username)
    page.get_by_role("heading", name="ダッシュボード").wait_for()


def test_request_approve_open_and_announce_closure(
    page: Any, live_server: Any, iwaki: Any, iwaki_officers: Any
) -> None:
    # 担当者 requests
    _login(page, live_server, iwaki.tanto.user.username)
    page.get_by_role("link", name="アカウント").first.click()
    page.get_by_role("link", name="アカウントの開設を申請").click()
    form = page.locator("#account-request-form")
    form.get_by_label("所属").select_option(label="危機管理課")
    form.get_by_label("プラットフォーム").select_option("x")
    form.get_by_label("アカウント名").fill("いわき市防災")
    form.locator("#id_handle").fill("iwaki_bousai")
    form.get_by_label("目的").fill("災害・防災情報の迅速な発信")
    form.get_by_role("button", name="申請する").click()
    assert page.locator("#account-state").inner_text() == "申請中"
    # ... and completes the policy, item by item
    policy = page.locator("#policy-form")
    for field in policy.locator("textarea").all():
        field.fill("記載済み")
    policy.get_by_role("button", name="運用方針を保存").click()
    assert "未記入" not in page.locator("#policy").inner_text()
    account_url = page.url

    # 情報管理者 (総務部長), then 総合政策部長
    for username in ("iwaki-bucho", "iwaki-seisaku"):
        _login(page, live_server, username)
        page.goto(account_url)
        page.locator("#decision-form").get_by_role("button", name="承認する").click()
    assert page.locator("#account-state").inner_text() == "承認済"
    assert "「いわき市 第4 1(2)」" in page.locator("#chain").inner_text()

    # 所属長 opens it and announces the closure
    _login(page, live_server, iwaki.shozokucho.user.username)
    page.goto(account_url)
    page.locator("#activate-form").get_by_label("アカウントのURL").fill("https://x.com/iwaki_bousai")
    page.locator("#activate-form").get_by_role("button", name="運用中にする").click()
    assert page.locator("#account-state").inner_text() == "運用中"

    announce = page.locator("#announce-form")
    announce.get_by_label("種別").select_option("closure")
    announce.get_by_label("実施日").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    announce.get_by_label("変更・廃止の内容と理由").fill("防災情報は市公式アカウントに統合します")
    announce.get_by_role("button", name="周知する").click()
    assert "31 日以上前に周知してください" in page.locator("#announce-form").inner_text()
    assert "「いわき市 第4 5(2)」" in page.locator("#announce-form").inner_text()

    effective = timezone.localdate() + dt.timedelta(days=45)
    announce = page.locator("#announce-form")
    announce.get_by_label("実施日").fill(effective.isoformat())
    announce.get_by_role("button", name="周知する").click()
    assert page.locator("#account-state").inner_text() == "停止予告中"
    keep = (effective + dt.timedelta(days=180)).strftime("%Y-%m-%d")
    assert keep in page.locator("#notices").inner_text()
    screenshot(page, "account-closure-announced")
    assert OfficialAccount.objects.get(handle="iwaki_bousai").state == "closure_announced"
