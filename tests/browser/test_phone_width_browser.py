"""Every main page at phone width (390 px), issue #13 item 9, and the header's keyboard behaviour
(accessibility items 3, 8 and 10): no horizontal overflow, no label squeezed into one character per line,
a skip link first, a language switch that waits for its button, the accounts toolbar at 200% zoom.

Each persona signs in once and walks every page in subtests (one report line per page): a sign-in costs
about a second, so one test per URL would not fit the file's 90 s budget. Other pages are added to PAGES."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from koshiki.posts import services as post_services

from ..conftest import live_kiki_account
from ..posts.conftest import CLEAN_POST
from .conftest import PHONE, assert_fits, doc_screenshot, phone_context, screenshot, sign_in

pytestmark = pytest.mark.browser


# (name, path builder); the builder receives the body and the post made for the test.
PAGES: list[tuple[str, Callable[[Any, Any], str]]] = [
    ("dashboard", lambda b, p: "/"),
    ("notifications", lambda b, p: "/notifications/"),
    ("registry", lambda b, p: "/accounts/"),
    ("account-detail", lambda b, p: f"/accounts/{b.account.pk}/"),
    ("account-request", lambda b, p: "/accounts/request/"),
    ("account-security", lambda b, p: f"/accounts/{b.account.pk}/security/"),
    ("posts", lambda b, p: "/posts/"),
    ("compose", lambda b, p: "/posts/new/"),
    ("approvals", lambda b, p: "/posts/approvals/"),
    ("after-reports", lambda b, p: "/posts/after/"),
    ("calendar", lambda b, p: "/posts/calendar/"),
    ("post-detail", lambda b, p: f"/posts/{p.pk}/"),
    ("check", lambda b, p: "/check/"),
    ("security-board", lambda b, p: "/security/"),
    ("devices", lambda b, p: "/devices/"),
    ("guideline", lambda b, p: "/guideline/"),
    ("people", lambda b, p: "/people/"),
    ("staff-detail", lambda b, p: f"/people/{b.operator.pk}/"),
    ("audit-log", lambda b, p: "/audit/"),
    ("settings", lambda b, p: "/settings/"),
    ("ai-review-settings", lambda b, p: "/settings/ai-review/"),  # issue #14 A
    ("disclosure", lambda b, p: "/accounts/disclosure/"),
    ("profile-text", lambda b, p: f"/accounts/{b.account.pk}/profile-text/"),
    ("import", lambda b, p: "/accounts/import/"),
    ("account-posting", lambda b, p: f"/accounts/{b.account.pk}/posting/"),
    ("password-change", lambda b, p: "/account/password/"),
    ("overview", lambda b, p: "/overview/"),
    ("post-templates", lambda b, p: "/posts/templates/"),
    ("calendar-week", lambda b, p: "/posts/calendar/?view=week"),
    ("check-feedback", lambda b, p: "/check-feedback/"),  # issue #14 B
]


@pytest.mark.parametrize("persona", ["admin", "manager", "operator"])
def test_every_main_page_fits_a_phone(
    phone: Any, live_server: Any, posting: Any, subtests: Any, persona: str
) -> None:
    body = posting.seed
    post = post_services.create_post(actor=body.operator.user, account=posting.account, text=CLEAN_POST)
    post_services.submit(actor=body.operator.user, post=post)
    if persona == "admin":
        with subtests.test(msg="login"):
            phone.goto(f"{live_server.url}/login/")
            assert_fits(phone, "login")
    sign_in(phone, live_server, getattr(body, persona).user.username)
    if persona == "admin":
        with subtests.test(msg="not-found"):
            assert phone.goto(f"{live_server.url}/posts/999999/").status == 404
            assert_fits(phone, "not-found")
    shown = []
    for name, path in PAGES:
        with subtests.test(msg=name):
            response = phone.goto(live_server.url + path(body, post))
            assert response is not None
            if response.status in (403, 404) and persona != "admin":
                continue  # not this persona's page
            assert response.status == 200, f"{name}: HTTP {response.status}"
            shown.append(name)
            assert_fits(phone, name)
            if name == "registry" and persona == "admin":
                doc_screenshot(phone, "phone-registry")
    assert len(shown) >= 15, shown  # every persona sees most pages


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    page: Any, live_server: Any, iwaki: Any
) -> None:
    sign_in(page, live_server, iwaki.tanto.user.username)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent]")
    assert focused == ["A", "本文へ移動"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => !!document.activeElement.closest('main#main')")


def test_language_switch_waits_for_its_button(page: Any, live_server: Any, iwaki: Any) -> None:
    sign_in(page, live_server, iwaki.tanto.user.username)
    page.evaluate("() => { window.stillHere = true; }")
    page.locator("#lang-select").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)  # a navigation, if the select triggered one, would have started by now
    assert page.evaluate("() => window.stillHere === true")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "切り替え"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.set_viewport_size(PHONE)  # English labels are longer: the header and the toolbar still fit
    page.goto(f"{live_server.url}/accounts/")
    assert_fits(page, "accounts in English")


def test_accounts_toolbar_survives_200_percent_zoom(browser: Any, live_server: Any, iwaki: Any) -> None:
    """1280 px at 200% zoom is a 640 CSS px viewport; the filter bar squeezed its labels even at 1280 px."""
    live_kiki_account(iwaki)
    for width, scale in ((640, 2), (1280, 1)):
        viewport = {"width": width, "height": 900 // scale}
        with phone_context(browser, viewport, device_scale_factor=scale) as zoomed:
            sign_in(zoomed, live_server, iwaki.kacho.user.username)
            zoomed.goto(f"{live_server.url}/accounts/")
            toolbar = zoomed.locator(".toolbar").first
            assert toolbar.evaluate("t => t.scrollWidth <= t.clientWidth"), width
            assert_fits(zoomed, f"accounts at {width} px")
            screenshot(zoomed, f"registry-{width}")


def test_compose_submit_and_approve_at_phone_width(phone: Any, live_server: Any, posting: Any) -> None:
    """担当者 composes and submits, the chain approves, each step without horizontal overflow."""
    from koshiki.posts.models import Post

    body = posting.seed
    sign_in(phone, live_server, body.operator.user.username)
    phone.goto(f"{live_server.url}/posts/new/")
    phone.get_by_label("アカウント").select_option(str(posting.account.pk))
    phone.get_by_label("分類").select_option("notice")
    phone.locator("#post-text").fill(CLEAN_POST)
    assert_fits(phone, "compose")
    phone.get_by_role("button", name="保存してチェック").click()
    phone.get_by_text("保存してチェックしました。").wait_for()
    assert_fits(phone, "checked")
    phone.get_by_role("button", name="申請する").click()
    phone.get_by_text("申請しました。").wait_for()
    assert_fits(phone, "submitted")
    post = Post.objects.get(text=CLEAN_POST)
    while post.state == "submitted":
        approver = post_services.pending_step(post).waiting_for[0]
        phone.context.clear_cookies()
        sign_in(phone, live_server, approver.user.username)
        phone.goto(f"{live_server.url}/posts/approvals/")
        assert_fits(phone, "approvals")
        phone.locator("#queue").get_by_role("link", name=CLEAN_POST[:20]).click()
        assert_fits(phone, "post detail")
        phone.get_by_role("button", name="承認する").click()
        phone.get_by_text("判断を記録しました").or_(phone.get_by_text("記録しました")).first.wait_for()
        assert_fits(phone, "approved")
        post.refresh_from_db()
    assert post.state != "submitted"
