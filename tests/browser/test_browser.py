"""In a real browser: log in, see the dashboard in Japanese, act, and find it audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ..conftest import PASSWORD
from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def _login(page: Any, live_server: Any, username: str, password: str = PASSWORD) -> None:
    sign_in(page, live_server, username, password)


def test_login_shows_the_dashboard_in_japanese(page: Any, live_server: Any, iwaki: Any) -> None:
    _login(page, live_server, iwaki.kacho.user.username)
    page.get_by_role("heading", name="ダッシュボード").wait_for()
    assert page.locator("header .org").inner_text() == "いわき市"
    assert page.get_by_role("heading", name="対応が必要なこと").is_visible()
    screenshot(page, "dashboard-ja")


def test_wrong_password_is_refused_in_japanese(page: Any, live_server: Any, iwaki: Any) -> None:
    _login(page, live_server, iwaki.kacho.user.username, "wrong-password")
    assert page.get_by_role("alert").inner_text() == "ログイン名またはパスワードが違います。"


def test_language_switch_to_english(page: Any, live_server: Any, iwaki: Any) -> None:
    _login(page, live_server, iwaki.tanto.user.username)
    page.get_by_role("heading", name="ダッシュボード").wait_for()
    page.locator("#lang-select").select_option("en")
    page.get_by_role("button", name="切り替え").click()  # choosing alone does not navigate (3.2.2)
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert page.get_by_role("link", name="Audit log").is_visible()


def test_personnel_change_in_the_browser_is_audited(page: Any, live_server: Any, iwaki: Any) -> None:
    _login(page, live_server, iwaki.kacho.user.username)
    page.goto(f"{live_server.url}/people/{iwaki.tanto.pk}/")
    form = page.locator("#personnel-form")
    form.get_by_label("種別").select_option("move")
    form.get_by_label("発令日").fill(timezone.localdate().isoformat())
    form.get_by_label("異動先").select_option(label="総務部")
    form.get_by_role("button", name="登録する").click()
    page.get_by_role("heading", name="異動の確認").wait_for()  # dated today: its effects are shown first
    page.get_by_role("button", name="確定して適用する").click()
    assert page.get_by_role("status").inner_text() == "人事異動を反映しました。"
    screenshot(page, "personnel-applied")
    page.goto(f"{live_server.url}/audit/?action=orgs.personnel.applied")
    assert page.locator("tbody tr").filter(has_text="担当 次郎").count() >= 1
    page.get_by_role("button", name="改ざん検証").click()  # queued for the worker (issue #12)
    assert "検証を受け付けました" in page.get_by_role("status").inner_text()


def test_personnel_form_error_is_shown_in_japanese(page: Any, live_server: Any, iwaki: Any) -> None:
    _login(page, live_server, iwaki.kacho.user.username)
    page.goto(f"{live_server.url}/people/{iwaki.tanto.pk}/")
    form = page.locator("#personnel-form")
    form.get_by_label("種別").select_option("move")
    form.get_by_label("発令日").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="登録する").click()
    assert page.get_by_text("異動先の所属を選んでください。").is_visible()


def test_outsider_cannot_open_another_bodys_staff(
    page: Any, live_server: Any, iwaki: Any, outsider: Any
) -> None:
    _login(page, live_server, outsider.user.username)
    page.get_by_role("heading", name="ダッシュボード").wait_for()
    response = page.goto(f"{live_server.url}/people/{iwaki.tanto.pk}/")
    assert response is not None and response.status == 404


def test_live_check_highlights_a_phone_number_with_its_clause(
    page: Any, live_server: Any, iwaki: Any
) -> None:
    _login(page, live_server, iwaki.tanto.user.username)
    page.get_by_role("link", name="投稿チェック").click()
    page.locator("#post-text[data-ready='1']").wait_for()
    page.get_by_label("投稿本文").fill("落とし物の連絡は山田花子さん（090-1234-5678）まで")
    mark = page.locator("#post-preview mark.sev-block").first
    mark.wait_for()
    assert page.locator("#post-preview mark").nth(1).inner_text() == "090-1234-5678"
    assert "禁止 個人情報" in page.locator("#post-findings").inner_text()
    assert "「いわき市 第5 2(2)①」" in page.locator("#post-findings").inner_text()
    assert "「いわき市 第5 2(2)①」" in (mark.get_attribute("title") or "")
    screenshot(page, "live-check")
    page.get_by_label("投稿本文").fill("市民会館で講演会を開催します。")
    page.locator("#post-clean").wait_for(state="visible")
