"""In the browser (issue #13 R): the platform preview beside the composer, and post templates."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.checks.preview import preview
from koshiki.posts.services import templates

from ..conftest import live_kiki_account
from .conftest import doc_screenshot, sign_in

pytestmark = pytest.mark.browser
LONG = (
    "#防災 "
    + "大雨により市内全域に避難指示を発令しました。" * 7
    + " 詳細 https://www.city.iwaki.lg.jp/bousai/"
)
PHONE = "避難所の受付は田中さん（090-1234-5678）が担当します。"
WARNED = "【イベント】詳しくは https://example.com/event をご覧ください。"


def _status(page: Any, platform: str) -> Any:
    return page.locator(f"#pv-panel-{platform} .pv-status")


def test_preview_and_templates_in_the_browser(page: Any, live_server: Any, iwaki: Any) -> None:
    account = live_kiki_account(iwaki)  # a Bluesky account
    templates.create_template(
        actor=iwaki.tanto.user,
        organization=iwaki.organization,
        account=account,
        name="イベント案内",
        text=WARNED,
    )
    sign_in(page, live_server, iwaki.tanto.user.username)

    # The account's platform picks the tab; a long post shows X's weighted count over 280 and the cut-off.
    page.goto(f"{live_server.url}/posts/new/")
    page.get_by_label("アカウント").select_option(str(account.pk))
    assert page.locator("#pv-tab-bluesky").get_attribute("aria-selected") == "true"
    page.locator("#post-text").fill(LONG)
    x, bluesky = preview(LONG, "x"), preview(LONG, "bluesky")
    assert x.over and not bluesky.over
    page.wait_for_function(
        "n => document.querySelector('#pv-panel-bluesky .pv-status').textContent.includes(n)",
        arg=f"{bluesky.length} / 300",
    )
    assert "上限内" in _status(page, "bluesky").inner_text()
    assert page.locator("#pv-panel-bluesky .pv-cut").count() == 0
    page.locator("#pv-tab-x").click()
    assert page.locator("#pv-panel-x").is_visible() and page.locator("#pv-panel-bluesky").is_hidden()
    assert f"{x.length} / 280" in _status(page, "x").inner_text()
    assert f"上限を {x.length - 280} 超えています" in _status(page, "x").inner_text()
    cut = page.locator("#pv-panel-x .pv-cut")
    assert cut.is_visible() and "ここから先は表示されません" in cut.inner_text()
    assert page.locator("#pv-panel-x .pv-linkcard").inner_text().startswith("www.city.iwaki.lg.jp")
    assert page.locator("#pv-panel-x .pv-hashtag").first.inner_text() == "#防災"
    # Keyboard: arrow keys move between tabs (ARIA tabs pattern).
    page.locator("#pv-tab-x").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#pv-tab-bluesky").get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowLeft")
    page.locator("#platform-preview").scroll_into_view_if_needed()
    doc_screenshot(page, "preview")

    # A template with a phone number is refused, citing the clause, on the text field.
    page.goto(f"{live_server.url}/posts/templates/")
    form = page.locator("#template-form")
    form.get_by_label("テンプレート名").fill("避難所受付")
    form.get_by_label("対象").select_option(str(account.pk))
    form.get_by_label("テンプレート本文").fill(PHONE)
    form.get_by_role("button", name="保存してチェック").click()
    errors = page.locator("#id_text-errors")
    assert "第5 2(2)" in errors.inner_text() and "090-1234-5678" in errors.inner_text()
    assert page.locator("#id_text").get_attribute("aria-describedby") == "id_text-errors"
    assert "避難所受付" not in page.locator("#template-table").inner_text()

    # Picking a template fills the composer's text and the live check runs on it.
    page.goto(f"{live_server.url}/posts/new/")
    page.get_by_label("アカウント").select_option(str(account.pk))
    page.get_by_label("テンプレート", exact=True).select_option(label="イベント案内")
    page.get_by_role("button", name="テンプレートから作成").click()
    assert page.locator("#post-text").input_value() == WARNED
    page.wait_for_function("() => document.querySelectorAll('#post-findings li').length > 0")
    assert "第三者" in page.locator("#post-findings").inner_text()
    # ... and the preview follows it (waiting here also lets the last request finish before teardown).
    page.wait_for_function(
        "n => document.querySelector('#pv-panel-x .pv-status').textContent.includes(n)",
        arg=f"{preview(WARNED, 'x').length} / 280",
    )

    # At phone width the composer with its preview, and the templates page, fit the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/posts/new/", "/posts/templates/"):
        page.goto(f"{live_server.url}{path}")
        page.locator(
            "#template-form" if "templates" in path else '#platform-preview[data-ready="1"]'
        ).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
