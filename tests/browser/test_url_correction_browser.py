"""In the browser (issue #13 item 6): an Instagram account refuses a twitter.com URL with a Japanese message
that says what is expected; its manager corrects the URL before opening it, and, once it is public,
announces the URL change under いわき市 第4 5(2)'s notice rule."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.registry import services
from koshiki.registry.models import OfficialAccount
from koshiki.registry.services.requests import pending_step

from ..registry.conftest import full_policy
from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def _approved_instagram(body: Any) -> OfficialAccount:
    account = services.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform="instagram",
        account_name="いわき市危機管理課",
        handle="iwaki_bousai",
        purpose="防災情報の発信",
    )
    services.save_policy(actor=body.tanto.user, account=account, items=full_policy(account))
    while (step := pending_step(account)) is not None:
        services.decide(actor=step.waiting_for[0].user, account=account, approve=True)
    account.refresh_from_db()
    return account


def test_a_wrong_platform_url_is_refused_in_japanese_and_corrected(
    page: Any, live_server: Any, iwaki: Any, iwaki_officers: Any
) -> None:
    account = _approved_instagram(iwaki)
    sign_in(page, live_server, iwaki.shozokucho.user.username)
    page.goto(f"{live_server.url}/accounts/{account.pk}/")

    # The walkthrough's mistake: a twitter.com URL for an Instagram account.
    activate = page.locator("#activate-form")
    activate.get_by_label("アカウントのURL").fill("https://twitter.com/iwaki_bousai")
    activate.get_by_role("button", name="運用中にする").click()
    expected = "Instagram のURL（https://www.instagram.com/…）を入力してください"
    assert expected in page.locator("#activate-form").inner_text()
    assert page.locator("#account-state").inner_text() == "承認済"

    # Not public yet: the manager corrects the URL at once.
    fix = page.locator("#url-form")
    assert "まだ公開前のため" in fix.inner_text()
    fix.get_by_label("アカウントの正しいURL").fill("https://x.com@evil.example/iwaki_bousai")
    fix.get_by_label("訂正の理由").fill("サービスの取り違え")
    fix.get_by_role("button", name="URLを訂正する").click()
    assert expected in page.locator("#url-form").inner_text()
    fix = page.locator("#url-form")
    fix.get_by_label("アカウントの正しいURL").fill("https://www.instagram.com/iwaki_bousai/")
    fix.get_by_label("訂正の理由").fill("サービスの取り違え")
    fix.get_by_role("button", name="URLを訂正する").click()
    assert "URLの訂正を記録しました。" in page.content()
    account.refresh_from_db()
    assert account.url == "https://www.instagram.com/iwaki_bousai/"

    # Open it with the corrected URL; then a new URL is a 変更 announced under the notice rule.
    page.locator("#activate-form").get_by_role("button", name="運用中にする").click()
    assert page.locator("#account-state").inner_text() == "運用中"
    change = page.locator("#url-form")
    assert "「いわき市 第4 5(2)」" in change.inner_text()
    change.get_by_label("アカウントの正しいURL").fill("https://www.instagram.com/iwaki_kiki/")
    change.locator("#correct_handle").fill("")
    change.get_by_label("訂正の理由").fill("アカウント名の変更")
    change.get_by_role("button", name="URLの変更を周知する").click()
    assert page.locator("#account-state").inner_text() == "変更予告中"
    assert "URLの変更を周知しました" in page.content()
    assert "https://www.instagram.com/iwaki_kiki/" in page.locator("#notices").inner_text()
    screenshot(page, "account-url-change-announced")
    account.refresh_from_db()
    assert account.url == "https://www.instagram.com/iwaki_bousai/"  # until the change is carried out
