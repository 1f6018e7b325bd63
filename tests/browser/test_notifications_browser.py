"""In the browser: an approver sends a post back with a comment; its author sees 「差戻し」 with the comment
in お知らせ, the unread count in the navigation, and marks it read (issue #13, item 5). Manual channel: no
network."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from ..posts.conftest import CLEAN_POST, build_posting_body
from ..security.conftest import SEEDS
from .conftest import doc_screenshot, sign_in

pytestmark = pytest.mark.browser
COMMENT = "開催日を10月5日に直してください。"


def test_an_author_sees_the_send_back_with_its_comment(
    page: Any, live_server: Any, transactional_db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)
    body = build_posting_body(system_admin, *SEEDS[0])
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    post = services.submit(actor=body.operator.user, post=post)
    step = services.pending_step(post)
    assert step is not None
    approver = step.waiting_for[0]

    sign_in(page, live_server, approver.user.username)
    page.goto(f"{live_server.url}/posts/{post.pk}/")
    page.locator("#decide-form").get_by_label("コメント").fill(COMMENT)
    page.locator("#decide-form").get_by_role("button", name="却下する").click()
    page.wait_for_load_state()
    assert Post.objects.get(pk=post.pk).state == PostState.DRAFT
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)

    page.context.clear_cookies()
    sign_in(page, live_server, body.operator.user.username)
    assert page.locator("#nav-unread").inner_text().startswith("1")
    page.locator("#nav-notifications").click()
    page.get_by_role("heading", name="お知らせ").wait_for()
    item = page.locator("#notification-list li.unread")
    assert "差戻し" in item.inner_text() and COMMENT in item.inner_text()
    assert approver.display_name in item.inner_text()
    doc_screenshot(page, "notifications")
    item.get_by_role("button", name="既読にする").click()
    page.get_by_role("heading", name="お知らせ").wait_for()
    assert page.locator("#notification-list li.unread").count() == 0
    assert page.locator("#nav-unread").count() == 0
