"""お知らせ in the browser's HTML: one's own notifications only, in one's own language, newest first and
paged; marked read by POST (idempotent); the unread count in the navigation costs one query per page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koshiki.notify.models import Notification
from koshiki.notify.service import deliver
from koshiki.posts import services as posts
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from ..conftest import signed_in_client
from ..posts.conftest import CLEAN_POST, PostingBody, build_posting_body
from ..security.conftest import SEEDS

REJECTED = {"post": 7, "account": "広報公式", "by": "所属 太郎", "comment": "日付を直して"}


def _tell(staff: Any, event: str = "e1", **context: Any) -> Notification:
    deliver("posts.rejected", {**REJECTED, **context}, staff_ids=[staff.pk], link="/posts/7/", event=event)
    return Notification.objects.get(recipient=staff, event=event)


def _nav_unread(html: str) -> str | None:
    marker = 'id="nav-unread">'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split("<", 1)[0]


def test_the_list_shows_ones_own_notification_in_japanese(iwaki: Any) -> None:
    _tell(iwaki.tanto)
    html = signed_in_client(iwaki.tanto.user).get("/notifications/").content.decode()
    assert "<h1>お知らせ</h1>" in html
    assert "差戻し: 広報公式 の投稿 #7" in html and "日付を直して" in html and "未読" in html


def test_the_list_renders_in_the_readers_language_when_shown(iwaki: Any) -> None:
    _tell(iwaki.tanto)
    client = signed_in_client(iwaki.tanto.user)
    client.cookies["django_language"] = "en"
    html = client.get("/notifications/").content.decode()
    assert "Sent back: post #7 on 広報公式" in html


def test_nobody_sees_another_persons_notifications(iwaki: Any) -> None:
    _tell(iwaki.tanto)
    html = signed_in_client(iwaki.kacho.user).get("/notifications/").content.decode()
    assert "日付を直して" not in html and "お知らせはありません" in html


def test_an_outsider_cannot_read_or_mark_anothers_notification(iwaki: Any, outsider: Any) -> None:
    row = _tell(iwaki.tanto)
    client = signed_in_client(outsider.user)
    assert "日付を直して" not in client.get("/notifications/").content.decode()
    assert client.post(f"/notifications/{row.pk}/read/").status_code == 404
    client.post("/notifications/read-all/")
    row.refresh_from_db()
    assert row.read_at is None


def test_a_colleague_cannot_mark_my_notification_read(iwaki: Any) -> None:
    row = _tell(iwaki.tanto)
    assert signed_in_client(iwaki.kacho.user).post(f"/notifications/{row.pk}/read/").status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_the_navigation_shows_the_unread_count_and_marking_read_lowers_it(iwaki: Any) -> None:
    first = _tell(iwaki.tanto, "e1")
    _tell(iwaki.tanto, "e2")
    client = signed_in_client(iwaki.tanto.user)
    assert _nav_unread(client.get("/").content.decode()) == "2"
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    first.refresh_from_db()
    read_at = first.read_at
    assert read_at is not None
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302  # a second click: no change
    first.refresh_from_db()
    assert first.read_at == read_at
    assert _nav_unread(client.get("/").content.decode()) == "1"


def test_mark_all_read_clears_the_count(iwaki: Any) -> None:
    _tell(iwaki.tanto, "e1")
    _tell(iwaki.tanto, "e2")
    _tell(iwaki.kacho, "e3")
    client = signed_in_client(iwaki.tanto.user)
    assert client.post("/notifications/read-all/").status_code == 302
    assert _nav_unread(client.get("/").content.decode()) is None
    assert Notification.objects.filter(recipient=iwaki.kacho, read_at__isnull=True).count() == 1


def test_marking_read_is_post_only(iwaki: Any) -> None:
    row = _tell(iwaki.tanto)
    client = signed_in_client(iwaki.tanto.user)
    assert client.get(f"/notifications/{row.pk}/read/").status_code == 405
    assert client.get("/notifications/read-all/").status_code == 405


def test_open_marks_read_and_goes_to_what_it_is_about(iwaki: Any) -> None:
    row = _tell(iwaki.tanto)
    response = signed_in_client(iwaki.tanto.user).post(f"/notifications/{row.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/posts/7/"


def test_the_list_is_paged_newest_first(iwaki: Any) -> None:
    for i in range(25):
        _tell(iwaki.tanto, f"e{i}", post=i)
    client = signed_in_client(iwaki.tanto.user)
    first = client.get("/notifications/").content.decode()
    assert first.count('<li class="notification') == 20
    assert first.index("の投稿 #24") < first.index("の投稿 #23")
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count('<li class="notification') == 5 and "の投稿 #0<" in second.replace("</strong>", "<")


def test_the_unread_count_costs_one_query_per_page(iwaki: Any) -> None:
    for i in range(5):
        _tell(iwaki.tanto, f"e{i}")
    client = signed_in_client(iwaki.tanto.user)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    touching = [q["sql"] for q in captured.captured_queries if "notify_notification" in q["sql"]]
    assert len(touching) == 1 and "COUNT" in touching[0].upper()


# --- withdrawing someone else's post: a confirmation page and a reason --------------------------------


@pytest.fixture
def body(db: Any, system_admin: Any) -> PostingBody:
    return build_posting_body(system_admin, *SEEDS[0])


def test_withdrawing_asks_for_confirmation_first(body: PostingBody) -> None:
    post = posts.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    html = signed_in_client(body.manager.user).get(f"/posts/{post.pk}/withdraw/").content.decode()
    assert "この投稿を取り下げる" in html and "取り下げる理由" in html and "required" in html
    post.refresh_from_db()
    assert post.state == PostState.CHECKED


def test_withdrawing_someone_elses_post_without_a_reason_is_refused_in_japanese(body: PostingBody) -> None:
    post = posts.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    response = signed_in_client(body.manager.user).post(f"/posts/{post.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    assert "理由を書いてください" in response.content.decode()
    assert Post.objects.get(pk=post.pk).state == PostState.CHECKED


def test_withdrawing_with_a_reason_withdraws(body: PostingBody) -> None:
    post = posts.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    response = signed_in_client(body.manager.user).post(
        f"/posts/{post.pk}/withdraw/", {"reason": "イベント中止"}
    )
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).state == PostState.WITHDRAWN
