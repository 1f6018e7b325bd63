"""Issue #13 item 12 ("Minor"): the small things a new user hit, one behaviour each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from ..conftest import signed_in_client


def test_a_checked_post_with_block_findings_is_badged_as_blocked_not_checked() -> None:
    post = Post(state=PostState.CHECKED, findings=[{"severity": "block", "category": "personal_info"}])
    with translation.override("ja"):
        assert post.state_badge == "禁止あり"
    clean = Post(state=PostState.CHECKED, findings=[{"severity": "warn", "category": "links"}])
    with translation.override("ja"):
        assert clean.state_badge == "チェック済み"


def test_an_overridden_block_is_badged_by_its_state() -> None:
    post = Post(
        state=PostState.CHECKED,
        findings=[{"severity": "block", "category": "personal_info"}],
        override_reason="本人の同意を得た公用携帯の番号",
    )
    with translation.override("ja"):
        assert post.state_badge == "チェック済み"


def test_a_missing_page_is_japanese_with_navigation(client: Any, iwaki: Any) -> None:
    client = signed_in_client(iwaki.tanto.user, client)
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 404
    body = response.content.decode()
    assert "ページが見つかりません" in body and "Not Found" not in body
    assert f'href="{reverse("dashboard")}"' in body


def test_a_refused_page_is_japanese_with_navigation(rf: Any, iwaki: Any) -> None:
    from django.views.defaults import permission_denied

    request = rf.get("/x/", HTTP_ACCEPT_LANGUAGE="ja")
    request.user = iwaki.tanto.user
    with translation.override("ja"):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    body = response.content.decode()
    assert "権限がありません" in body and f'href="{reverse("dashboard")}"' in body


def test_the_server_error_page_is_japanese_and_needs_no_database(rf: Any) -> None:
    """No `db` fixture: pytest-django refuses any query, so the page must not make one."""
    from django.views.defaults import server_error

    with translation.override("ja"):
        response = server_error(rf.get("/x/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "サーバーでエラーが発生しました" in body and "Server Error" not in body
    assert f'href="{reverse("dashboard")}"' in body
