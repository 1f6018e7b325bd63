"""In the browser (issue #13, "what suite users expect"; a11y item 3): the 所属長 filters the posts list by
text and state with the form's button (the account select does not navigate on ArrowDown), then approves two
posts from the queue in one go, after a confirmation, and sees the result of each."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from ..posts.conftest import build_posting_body
from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def body(transactional_db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)
    return build_posting_body(system_admin, "iwaki", "072044", "executive")


def _post(body: Any, text: str, *, submit: bool = True) -> Post:
    post = services.create_post(actor=body.operator.user, account=body.account, text=text)
    return services.submit(actor=body.operator.user, post=post) if submit else post


def test_filter_posts_then_bulk_approve_two(page: Any, live_server: Any, body: Any) -> None:
    drill = _post(body, "本日15時から防災訓練を行います。ご協力をお願いします。")
    _post(body, "防災無線の点検を行います。", submit=False)  # same word, another state
    library = _post(body, "図書館は明日休館します。ご了承ください。")
    sign_in(page, live_server, body.manager.user.username)

    page.goto(f"{live_server.url}/posts/")
    filters = page.locator("#post-filters")
    filters.get_by_label("本文に含む語").fill("防災")
    filters.get_by_label("承認待ち").check()
    filters.get_by_role("button", name="絞り込み").click()
    rows = page.locator("#post-table tbody tr")
    assert rows.count() == 1
    assert "防災訓練" in rows.first.inner_text()
    assert "1 件" in page.locator("#post-count").inner_text()
    assert page.locator("#clear-filters").inner_text() == "条件をクリア"

    # a11y 3.2.2: choosing an account with the arrow keys does not navigate; the button does.
    page.evaluate("window.__stayed = true")
    page.get_by_label("アカウント", exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__stayed === true")
    screenshot(page, "search-posts")

    page.goto(f"{live_server.url}/posts/approvals/")
    page.get_by_label(f"投稿 #{drill.pk}「").check()
    page.get_by_label(f"投稿 #{library.pk}「").check()
    page.get_by_role("button", name="選択した投稿を承認").click()
    listed = page.locator("#bulk-confirm-list").inner_text()
    assert f"#{drill.pk}" in listed and f"#{library.pk}" in listed
    assert Post.objects.get(pk=drill.pk).state == PostState.SUBMITTED
    page.get_by_role("button", name="これらの投稿を承認する").click()
    results = page.locator("#bulk-results li")
    assert results.count() == 2
    assert all("承認しました" in results.nth(i).inner_text() for i in range(2))
    assert "承認: 2 件" in page.locator("#bulk-summary").inner_text()
    screenshot(page, "bulk-approve-results")
    assert {Post.objects.get(pk=p.pk).state for p in (drill, library)} <= {
        PostState.APPROVED,
        PostState.SCHEDULED,
        PostState.PUBLISHING,
        PostState.PUBLISHED,
        PostState.FAILED,
    }
