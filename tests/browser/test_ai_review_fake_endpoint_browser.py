"""In the browser (issue #14 A), against a FAKE OpenAI-compatible endpoint (a local HTTP server in a thread):
the 広報主管課 turns the AI reviewer on in 設定, a post goes for approval, and the approver reads the AI's
suggestion apart from the findings, with its clause, then approves it (the suggestion does not block)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from koshiki.aireview.models import AIReviewSettings
from koshiki.posts import services as posts
from koshiki.posts.models import Post

from ..aireview import fake_endpoint
from ..aireview.test_ai_review_fake_endpoint import KEY, PERSONAL_INFO_CLAUSE, QUOTE, TEXT, _run_queued
from ..conftest import Body, live_kiki_account
from .conftest import axe_violations, describe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_ai_review_fake_endpoint_in_the_browser(
    page: Any, live_server: Any, iwaki: Body, settings: Any, axe_script: Path
) -> None:
    fake = fake_endpoint.start()
    try:
        settings.KOSHIKI_OUTBOUND_ALLOW = [fake.origin]
        fake.answer(
            [{"category": "personal_info", "quote": QUOTE, "reason_ja": "職員の私生活は個人情報です。"}]
        )
        sign_in(page, live_server, iwaki.kacho.user.username)
        page.goto(f"{live_server.url}/settings/")
        page.locator("#ai-review-settings-link").click()
        form = page.locator("#ai-review-settings-form")
        form.get_by_label("AIレビューを使う").check()
        form.get_by_label("エンドポイントのベースURL").fill(fake.base_url)
        form.get_by_label("モデル名").fill("local-llm-7b")
        form.get_by_label("APIキー").fill(KEY)
        form.get_by_role("button", name="保存").click()
        assert page.locator("#ai-key-stored").is_visible() and KEY not in page.content()
        assert AIReviewSettings.objects.get().usable
        page.context.clear_cookies()

        post = posts.create_post(actor=iwaki.tanto.user, account=live_kiki_account(iwaki), text=TEXT)
        posts.submit(actor=iwaki.tanto.user, post=post, scheduled_at=timezone.now() + dt.timedelta(days=2))
        assert _run_queued() == ["done"]

        sign_in(page, live_server, iwaki.shozokucho.user.username)
        page.goto(f"{live_server.url}/posts/{post.pk}/")
        box = page.locator("#ai-review")
        assert box.get_by_role("heading", name="AIによる提案（参考）").is_visible()
        item = box.locator(".ai-suggestion")
        assert "AIの提案" in item.inner_text() and QUOTE in item.inner_text()
        assert PERSONAL_INFO_CLAUSE in item.inner_text()
        violations = [v for v in axe_violations(page, axe_script) if "#ai-review" in " ".join(v["targets"])]
        assert not violations, describe_violations(violations)
        badge = item.locator(".ai-badge")  # its own colour, set apart from the findings (the CSS applies)
        assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(237, 233, 254)"
        screenshot(page, "ai-review-post-page")
        page.locator("#decide-form").get_by_role("button", name="承認").click()
        assert Post.objects.get(pk=post.pk).state in ("approved", "scheduled")
    finally:
        fake_endpoint.stop(fake)
