"""The feedback panel (issue #14 B) in Chromium: an approver opens both forms on the post page, axe-core finds
no WCAG 2.1 A/AA violation, the panel fits a phone, and a missed category is recorded with the keyboard."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.feedback.models import CheckFeedback
from koshiki.posts import services as posts

from ..posts.conftest import PHONE_POST, build_posting_body
from ..security.conftest import SEEDS
from .conftest import PHONE, assert_fits, axe_violations, describe_violations, phone_context, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def judged(transactional_db: Any, system_admin: Any) -> Any:
    body = build_posting_body(system_admin, *SEEDS[0])
    post = posts.create_post(actor=body.operator.user, account=body.account, text=PHONE_POST)
    return body, post


def _open(page: Any, live_server: Any, body: Any, post: Any) -> None:
    sign_in(page, live_server, body.manager.user.username)
    page.goto(f"{live_server.url}/posts/{post.pk}/#check-feedback")
    for summary in page.locator("#check-feedback summary").all():
        summary.click()


def test_the_panel_passes_axe_and_records_a_missed_category(
    page: Any, live_server: Any, judged: Any, axe_script: Any
) -> None:
    body, post = judged
    _open(page, live_server, body, post)
    violations = axe_violations(page, axe_script)
    assert not violations, describe_violations(violations)
    page.select_option("#feedback-category", "rumor")
    page.fill("#feedback-phrase", "担当します")
    page.locator("#feedback-missed-form button[type=submit]").press("Enter")
    page.wait_for_load_state()
    assert page.locator("#feedback-rows li[data-kind=missed]").count() == 1
    assert CheckFeedback.objects.filter(category="rumor", kind="missed").count() == 1


def test_the_panel_fits_a_phone(browser: Any, live_server: Any, judged: Any) -> None:
    body, post = judged
    with phone_context(browser, PHONE) as phone:
        _open(phone, live_server, body, post)
        assert_fits(phone, "post-feedback")


def test_the_feedback_page_passes_axe_and_fits_a_phone(
    browser: Any, page: Any, live_server: Any, judged: Any, axe_script: Any
) -> None:
    from koshiki.feedback.services import record_feedback

    body, post = judged
    record_feedback(actor=body.manager.user, post=post, kind="missed", category="rumor", note="確認済み")
    sign_in(page, live_server, body.seed.admin.user.username)
    page.goto(f"{live_server.url}/check-feedback/")
    assert page.locator("#feedback-list tr[data-feedback]").count() == 1
    violations = axe_violations(page, axe_script)
    assert not violations, describe_violations(violations)
    with phone_context(browser, PHONE) as phone:
        sign_in(phone, live_server, body.seed.admin.user.username)
        phone.goto(f"{live_server.url}/check-feedback/")
        assert_fits(phone, "check-feedback")
