"""History panels and the audit log show each action's label (「…」), not its raw code."""

from __future__ import annotations

from typing import Any

from django.test import Client

from koshiki.posts import services as posts
from koshiki.registry import services

from ..conftest import signed_in_client
from ..posts.conftest import CLEAN_POST, SEEDS, build_posting_body


def _client(staff: Any, language: str = "ja") -> Client:
    return signed_in_client(staff.user, Client(headers={"accept-language": language}))


def test_audit_log_shows_japanese_labels_with_the_code_in_small_text(iwaki: Any) -> None:
    body = _client(iwaki.ciso).get("/audit/").content.decode()
    assert "職員の追加" in body
    assert '<small class="muted"><code>orgs.staff.added</code></small>' in body
    assert "<td><code>orgs.staff.added</code></td>" not in body


def test_audit_log_shows_the_label_in_the_viewers_language(iwaki: Any) -> None:
    body = _client(iwaki.ciso, "en").get("/audit/").content.decode()
    assert "Staff member added" in body and "職員の追加" not in body


def test_account_history_shows_labels_not_codes(iwaki: Any) -> None:
    account = services.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき防災X",
        purpose="広報",
    )
    body = _client(iwaki.tanto).get(f"/accounts/{account.pk}/").content.decode()
    assert 'title="registry.account.requested">アカウント開設の申請</td>' in body
    assert "<code>registry.account.requested</code>" not in body


def test_post_history_shows_labels_not_codes(transactional_db: Any, system_admin: Any) -> None:
    body = build_posting_body(system_admin, *SEEDS[0])
    post = posts.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    page = _client(body.operator).get(f"/posts/{post.pk}/").content.decode()
    assert '<span title="posts.post.created">投稿の下書き作成</span>' in page
    assert "</span> posts.post.created " not in page


def test_staff_history_shows_labels_to_audit_readers_only(iwaki: Any) -> None:
    page = _client(iwaki.kacho).get(f"/people/{iwaki.tanto.pk}/").content.decode()
    assert 'id="staff-history"' in page
    assert 'title="orgs.staff.added">職員の追加</td>' in page
    page = _client(iwaki.tanto).get(f"/people/{iwaki.shozokucho.pk}/").content.decode()
    assert 'id="staff-history"' not in page and "職員の追加" not in page
