"""The posts calendar pages (#13, item 11): month and week grids with state text and overdue marks, scoped to
the body; rescheduling by form through the service; the secret ICS feed (hash only, rotate, revoke, scope)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.orgs.models import Staff
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import CalendarFeed, Post

from ..conftest import Body, signed_in_client
from ..posts.test_reschedule import scheduled_post


def _ja(client: Any) -> Any:
    client.cookies["django_language"] = "ja"
    return client


def test_the_month_view_shows_each_post_on_its_day_with_its_state_in_words(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki)
    day = timezone.localtime(post.scheduled_at).date()
    client = _ja(signed_in_client(iwaki.tanto.user))
    page = client.get(f"/posts/calendar/?date={day.isoformat()}", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    cell = page.split(f'data-date="{day.isoformat()}"', 1)[1].split("</li>\n    <li", 1)[0]
    assert f'href="/posts/{post.pk}/"' in cell and "予約済み" in cell and "危機管理課ブルースカイ" in cell
    assert "日時を変更" in cell and "期限超過" not in cell
    assert "（月）" in page or "（火）" in page  # Japanese weekday labels


def test_the_week_view_starts_on_monday_and_links_to_the_weeks_around(iwaki: Body, clock: Any) -> None:
    client = _ja(signed_in_client(iwaki.tanto.user))
    page = client.get(
        "/posts/calendar/?view=week&date=2026-12-03", HTTP_ACCEPT_LANGUAGE="ja"
    ).content.decode()
    days = re.findall(r'class="cal-day[^"]*" data-date="([\d-]+)"', page)
    assert days[0] == "2026-11-30" and days[-1] == "2026-12-06" and len(days) == 7
    assert "date=2026-11-26" in page and "date=2026-12-10" in page


def test_a_post_whose_time_passed_unpublished_is_marked_overdue_in_words(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki, days=1)
    clock.shift(dt.timedelta(days=2))
    day = timezone.localtime(post.scheduled_at).date()
    client = _ja(signed_in_client(iwaki.tanto.user))
    page = client.get(f"/posts/calendar/?date={day.isoformat()}", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "期限超過" in page and "cal-overdue" in page


def test_another_bodys_posts_are_not_on_the_calendar(iwaki: Body, outsider: Any, clock: Any) -> None:
    post = scheduled_post(iwaki)
    day = timezone.localtime(post.scheduled_at).date()
    page = signed_in_client(outsider.user).get(f"/posts/calendar/?date={day.isoformat()}").content.decode()
    assert f"/posts/{post.pk}/" not in page


def test_the_reschedule_form_moves_the_post_and_returns_to_the_calendar(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki)
    new = timezone.localtime(post.scheduled_at) + dt.timedelta(days=1)
    response = signed_in_client(iwaki.tanto.user).post(
        f"/posts/{post.pk}/reschedule/",
        {
            "date": new.date().isoformat(),
            "time": new.strftime("%H:%M"),
            "version": post.version,
            "next": "/posts/calendar/?view=week",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/posts/calendar/?view=week"
    assert Post.objects.get(pk=post.pk).scheduled_at == new.replace(second=0, microsecond=0)
    assert AuditEntry.objects.filter(action="posts.post.rescheduled", object_id=str(post.pk)).exists()


def test_a_refusal_is_shown_on_the_form_tied_to_the_date_field(shinshiro: Body, clock: Any) -> None:
    post = scheduled_post(shinshiro)
    post.account.operating_hours = "09:00-17:00"
    post.account.save(update_fields=["operating_hours"])
    day = timezone.localtime(post.scheduled_at).date()
    client = _ja(signed_in_client(shinshiro.tanto.user))
    response = client.post(
        f"/posts/{post.pk}/reschedule/",
        {"date": day.isoformat(), "time": "20:00", "version": post.version},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="date-errors"' in page and "新城市 4(1)" in page.split('id="date-errors"')[1]
    assert Post.objects.get(pk=post.pk).scheduled_at == post.scheduled_at


def test_an_outsider_gets_404_for_another_bodys_reschedule_form(
    iwaki: Body, outsider: Any, clock: Any
) -> None:
    post = scheduled_post(iwaki)
    assert signed_in_client(outsider.user).get(f"/posts/{post.pk}/reschedule/").status_code == 404


def _issue(client: Any) -> str:
    page = client.post("/posts/calendar/", {"feed": "issue"}, follow=True).content.decode()
    match = re.search(r"/posts/calendar/feed/([A-Za-z0-9_-]+)\.ics", page)
    assert match, "the new URL is shown once"
    return match.group(1)


def test_a_feed_lists_the_users_posts_and_only_its_hash_is_stored(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki)
    client = signed_in_client(iwaki.tanto.user)
    token = _issue(client)
    stored = CalendarFeed.objects.get(staff=iwaki.tanto)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in stored.token_hash
    assert AuditEntry.objects.filter(action="posts.calendar_feed.issued").count() == 1
    feed = client.get(f"/posts/calendar/feed/{token}.ics")
    body = feed.content.decode()
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert f"UID:post-{post.pk}@" in body and "SUMMARY:危機管理課ブルースカイ 予約済み" in body
    assert "DTSTART:" in body and body.split("DTSTART:")[1][15] == "Z"
    assert token not in client.get("/posts/calendar/").content.decode()  # shown only once


def test_a_rotated_or_revoked_or_invalid_token_is_a_bare_404(iwaki: Body, clock: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    old = _issue(client)
    new = _issue(client)
    assert client.get(f"/posts/calendar/feed/{old}.ics").status_code == 404
    assert client.get(f"/posts/calendar/feed/{new}.ics").status_code == 200
    client.post("/posts/calendar/", {"feed": "revoke"})
    assert client.get(f"/posts/calendar/feed/{new}.ics").status_code == 404
    assert client.get("/posts/calendar/feed/nonsense.ics").status_code == 404
    assert AuditEntry.objects.filter(action="posts.calendar_feed.revoked").count() == 1
    assert [
        e.after["rotated"]
        for e in AuditEntry.objects.filter(action="posts.calendar_feed.issued").order_by("seq")
    ] == [False, True]


def test_a_feed_stops_when_its_owner_leaves(iwaki: Body, clock: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    token = _issue(client)
    Staff.objects.filter(pk=iwaki.tanto.pk).update(status=Staff.Status.LEFT)
    from django.test import Client

    assert Client().get(f"/posts/calendar/feed/{token}.ics").status_code == 404


def test_a_feed_shows_only_what_its_owner_may_see(iwaki: Body, outsider: Any, clock: Any) -> None:
    post = scheduled_post(iwaki)
    token = _issue(signed_in_client(outsider.user))
    from django.test import Client

    body = Client().get(f"/posts/calendar/feed/{token}.ics").content.decode()
    assert f"post-{post.pk}@" not in body and "BEGIN:VCALENDAR" in body


def test_a_published_post_is_in_the_feed_with_its_state_in_the_users_language(
    iwaki: Body, clock: Any
) -> None:
    post = scheduled_post(iwaki)
    Post.objects.filter(pk=post.pk).update(state=PostState.PUBLISHED, published_at=timezone.now())
    token = _issue(signed_in_client(iwaki.tanto.user))
    from django.test import Client

    body = Client().get(f"/posts/calendar/feed/{token}.ics").content.decode()
    assert f"post-{post.pk}@" in body and "SUMMARY:危機管理課ブルースカイ 投稿済み" in body


def test_the_form_says_when_the_moved_post_went_back_to_approval(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki)
    new = timezone.localtime(post.scheduled_at) + dt.timedelta(days=1)
    client = _ja(signed_in_client(iwaki.tanto.user))
    response = client.post(
        f"/posts/{post.pk}/reschedule/",
        {"date": new.date().isoformat(), "time": new.strftime("%H:%M"), "version": post.version},
        HTTP_ACCEPT_LANGUAGE="ja",
        follow=True,
    )
    assert (
        "承認待ちに戻り" in response.content.decode() and "承認者に通知しました" in response.content.decode()
    )
    assert Post.objects.get(pk=post.pk).state == PostState.SUBMITTED


def test_the_form_warns_the_author_before_moving_an_approved_post(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki)
    page = _ja(signed_in_client(iwaki.tanto.user)).get(
        f"/posts/{post.pk}/reschedule/", HTTP_ACCEPT_LANGUAGE="ja"
    )
    warning = page.content.decode().split('id="reapproval-warning"', 1)[1].split("</p>", 1)[0]
    assert "承認待ちに戻り" in warning and "承認者" in warning


def test_the_form_does_not_warn_an_approver_who_did_not_write_the_post(iwaki: Body, clock: Any) -> None:
    post = scheduled_post(iwaki)
    page = _ja(signed_in_client(iwaki.shozokucho.user)).get(f"/posts/{post.pk}/reschedule/")
    assert 'id="reapproval-warning"' not in page.content.decode()


def test_the_calendar_marks_an_approved_post_whose_drag_sends_it_back_to_approval(
    iwaki: Body, clock: Any
) -> None:
    post = scheduled_post(iwaki)
    day = timezone.localtime(post.scheduled_at).date()
    url = f"/posts/calendar/?date={day.isoformat()}"
    author_page = _ja(signed_in_client(iwaki.tanto.user)).get(url).content.decode()
    entry = author_page.split(f'data-post="{post.pk}"', 1)[0].rsplit("<li", 1)[1]
    assert 'data-reapproval="always"' in entry and "data-confirm-reapproval=" in author_page
    approver_page = _ja(signed_in_client(iwaki.shozokucho.user)).get(url).content.decode()
    entry = approver_page.split(f'data-post="{post.pk}"', 1)[0].rsplit("<li", 1)[1]
    assert "data-reapproval" not in entry
