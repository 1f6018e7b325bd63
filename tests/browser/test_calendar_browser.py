"""In the browser (issue #13 item 11): the posts calendar as month and week, moving a post by drag and by
the 「日時を変更」 form (both through the reschedule service), and the week view at phone width."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from ..conftest import Body, live_kiki_account
from ..posts.conftest import CLEAN_POST
from ..posts.test_reschedule import _approve_all
from .conftest import doc_screenshot, screenshot, sign_in

pytestmark = pytest.mark.browser


def _next_weekday(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A weekday at least ``days`` ahead, at ``hour``:``minute`` in Japan (within 新城市's 勤務時間)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _scheduled(body: Body, account: Any, at: dt.datetime, text: str = CLEAN_POST) -> Post:
    post = services.create_post(actor=body.tanto.user, account=account, text=text)
    post = _approve_all(services.submit(actor=body.tanto.user, post=post, scheduled_at=at))
    assert post.state == PostState.SCHEDULED
    return post


def _keep(page: Any, name: str) -> None:
    doc_screenshot(page, name)


def test_month_view_shows_states_in_words_and_a_drag_moves_a_post_keeping_its_time(
    page: Any, live_server: Any, iwaki: Body
) -> None:
    account = live_kiki_account(iwaki)
    at = _next_weekday(1, 10, 30)
    scheduled = _scheduled(iwaki, account, at)
    published = _scheduled(iwaki, account, at + dt.timedelta(hours=1), "市民まつりは明日10時からです。")
    Post.objects.filter(pk=published.pk).update(
        state=PostState.PUBLISHED, published_at=at - dt.timedelta(hours=2)
    )
    day = timezone.localtime(at).date()
    sign_in(page, live_server, iwaki.tanto.user.username)
    page.goto(f"{live_server.url}/posts/calendar/?date={day.isoformat()}")
    cell = page.locator(f'.cal-day[data-date="{day.isoformat()}"]')
    first = cell.locator(f'.cal-entry[data-post="{scheduled.pk}"]')
    assert "予約済み" in first.inner_text() and "10:30" in first.inner_text()
    assert "投稿済み" in cell.locator(f'.cal-entry[data-post="{published.pk}"]').inner_text()
    _keep(page, "calendar-month")

    target = day + dt.timedelta(days=2)
    if (target.year, target.month) != (day.year, day.month):  # the grid shows the next month's first week too
        assert page.locator(f'.cal-day[data-date="{target.isoformat()}"]').count() == 1
    asked: list[str] = []

    def answer(dialog: Any) -> None:  # the author is asked before an approved post goes back to approval
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    first.drag_to(page.locator(f'.cal-day[data-date="{target.isoformat()}"]'))
    page.wait_for_url("**/posts/calendar/**")
    assert asked and "承認待ちに戻り" in asked[0]
    said = page.locator(".messages").inner_text()
    assert "公開日時を変更しました" in said and "承認待ちに戻り" in said
    moved = Post.objects.get(pk=scheduled.pk)
    assert timezone.localtime(moved.scheduled_at) == timezone.localtime(at) + dt.timedelta(days=2)
    assert moved.state == PostState.SUBMITTED
    entry = AuditEntry.objects.get(action="posts.post.rescheduled", object_id=str(scheduled.pk))
    assert dt.datetime.fromisoformat(entry.after["scheduled_at"]) == moved.scheduled_at


def test_an_author_who_cancels_the_question_moves_nothing(page: Any, live_server: Any, iwaki: Body) -> None:
    at = _next_weekday(1, 10, 30)
    post = _scheduled(iwaki, live_kiki_account(iwaki), at)
    day = timezone.localtime(at).date()
    sign_in(page, live_server, iwaki.tanto.user.username)
    page.goto(f"{live_server.url}/posts/calendar/?view=week&date={day.isoformat()}")
    page.once("dialog", lambda dialog: dialog.dismiss())
    target = page.locator(".cal-day").filter(has_not=page.locator(f'.cal-entry[data-post="{post.pk}"]')).first
    page.locator(f'.cal-entry[data-post="{post.pk}"]').drag_to(target)
    page.wait_for_timeout(300)
    stored = Post.objects.get(pk=post.pk)
    assert stored.state == PostState.SCHEDULED and stored.scheduled_at == post.scheduled_at


def test_the_form_refuses_a_time_outside_the_operating_hours_citing_the_clause(
    page: Any, live_server: Any, shinshiro: Body
) -> None:
    account = live_kiki_account(shinshiro)
    account.operating_hours = "09:00-17:00"
    account.save(update_fields=["operating_hours"])
    at = _next_weekday(1, 10)
    post = _scheduled(shinshiro, account, at)
    sign_in(page, live_server, shinshiro.tanto.user.username)
    page.goto(f"{live_server.url}/posts/calendar/?view=week&date={timezone.localtime(at).date().isoformat()}")
    page.locator(f'.cal-entry[data-post="{post.pk}"]').get_by_role("link", name="日時を変更").click()
    page.get_by_label("時刻").fill("20:00")
    page.get_by_role("button", name="日時を変更する").click()
    errors = page.locator("#date-errors").inner_text()
    assert "運用時間" in errors and "新城市 4(1)" in errors
    assert page.get_by_label("日付").get_attribute("aria-describedby") == "date-errors"
    assert Post.objects.get(pk=post.pk).scheduled_at == post.scheduled_at


def test_the_week_view_stacks_days_at_390_px_without_overflow(
    browser: Any, page: Any, live_server: Any, iwaki: Body
) -> None:
    account = live_kiki_account(iwaki)
    at = _next_weekday(1, 9, 15)
    _scheduled(iwaki, account, at)
    _scheduled(
        iwaki,
        account,
        at + dt.timedelta(hours=5),
        "長い本文" * 40 + "https://www.city.iwaki.lg.jp/very/long/path",
    )
    day = timezone.localtime(at).date().isoformat()
    sign_in(page, live_server, iwaki.tanto.user.username)
    page.goto(f"{live_server.url}/posts/calendar/?view=week&date={day}")
    _keep(page, "calendar-week")
    phone = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    small = phone.new_page()
    try:
        sign_in(small, live_server, iwaki.tanto.user.username)
        small.goto(f"{live_server.url}/posts/calendar/?view=week&date={day}")
        assert small.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(small, "calendar-week-390")
        boxes = [small.locator(".cal-day").nth(i).bounding_box() for i in range(2)]
        assert boxes[0] and boxes[1] and boxes[1]["y"] > boxes[0]["y"]  # stacked, not side by side
        small.goto(f"{live_server.url}/posts/calendar/?date={day}")
        assert small.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        phone.close()


def test_a_double_click_issues_one_feed_url_shown_once_and_a_reload_does_not_rotate(
    page: Any, live_server: Any, shinshiro: Body
) -> None:
    """Review finding 4: the URL shown once after a redirect, a reload re-sends nothing; a double click
    changes the token once and gives no error page."""
    issued = AuditEntry.objects.filter(action="posts.calendar_feed.issued")
    sign_in(page, live_server, shinshiro.tanto.user.username)
    page.goto(f"{live_server.url}/posts/calendar/")
    page.get_by_role("button", name="フィードURLを発行する").click()
    page.wait_for_load_state("load")
    assert "/posts/calendar/feed/" in page.get_by_label("あなたのフィードURL（表示は今回限り）").input_value()
    page.reload()
    assert page.get_by_label("あなたのフィードURL（表示は今回限り）").count() == 0
    assert "フィードURLは有効です" in page.locator("#feed-status").inner_text()
    assert issued.count() == 1
    page.locator("#feed-issue").dblclick()
    page.wait_for_load_state("load")
    page.locator("#feed").wait_for()
    assert issued.count() == 2  # one more token change for the click pair, and the calendar page, not a 500
