"""The feedback panel on the post page and the 広報主管課's feedback page (issue #14 B)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.feedback import services
from koshiki.feedback.models import CheckFeedback

from ..conftest import Body, signed_in_client
from ..feedback.conftest import key_of, make_post


@pytest.fixture
def post(iwaki: Body) -> Any:
    return make_post(iwaki)


def _wrong(client: Any, post: Any, **extra: Any) -> Any:
    data = {"kind": "false_positive", "key": key_of(post, "url_shortener"), "version": post.version, **extra}
    return client.post(f"/posts/{post.pk}/check-feedback/", data)


def test_an_approver_marks_a_finding_wrong_on_the_post_page(iwaki: Body, post: Any) -> None:
    client = signed_in_client(iwaki.shozokucho.user)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert 'id="feedback-wrong-form"' in page and 'id="feedback-missed-form"' in page
    response = _wrong(client, post, note="公式の短縮URL")
    assert response.status_code == 302 and response["Location"].endswith("#check-feedback")
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "公式の短縮URL" in page and "/retract/" in page
    assert CheckFeedback.objects.count() == 1


def test_a_double_click_records_once_and_says_so(iwaki: Body, post: Any) -> None:
    client = signed_in_client(iwaki.shozokucho.user)
    _wrong(client, post)
    page = client.get(_wrong(client, post)["Location"]).content.decode()
    assert CheckFeedback.objects.count() == 1
    assert "このテキストについては既に記録されています" in page


def test_the_writer_sees_feedback_but_no_forms_and_is_refused(iwaki: Body, post: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert 'id="check-feedback"' in page and 'id="feedback-missed-form"' not in page
    _wrong(client, post)
    assert not CheckFeedback.objects.exists()


def test_an_outsider_can_neither_add_nor_see_nor_retract(iwaki: Body, post: Any, outsider: Any) -> None:
    row = services.record_feedback(actor=iwaki.shozokucho.user, post=post, kind="missed", category="rumor")
    client = signed_in_client(outsider.user)
    assert _wrong(client, post).status_code == 404
    assert client.post(f"/check-feedback/{row.pk}/retract/").status_code == 404
    listing = client.get("/check-feedback/")
    assert listing.status_code == 200 and f'data-feedback="{row.pk}"' not in listing.content.decode()
    assert CheckFeedback.objects.count() == 1 and CheckFeedback.objects.get().retracted_at is None


def test_a_phrase_not_in_the_text_is_shown_as_an_error(iwaki: Body, post: Any) -> None:
    client = signed_in_client(iwaki.shozokucho.user)
    data = {"kind": "missed", "category": "political", "phrase": "投票してね", "version": post.version}
    page = client.get(client.post(f"/posts/{post.pk}/check-feedback/", data)["Location"]).content.decode()
    assert "「投票してね」は投稿の本文にありません" in page
    assert not CheckFeedback.objects.exists()


def test_the_giver_retracts_from_the_post_page(iwaki: Body, post: Any) -> None:
    row = services.record_feedback(actor=iwaki.shozokucho.user, post=post, kind="missed", category="rumor")
    client = signed_in_client(iwaki.shozokucho.user)
    assert client.post(f"/check-feedback/{row.pk}/retract/").status_code == 302
    row.refresh_from_db()
    assert row.retracted_at is not None


def test_the_public_relations_division_lists_and_downloads(iwaki: Body, post: Any) -> None:
    services.record_feedback(actor=iwaki.shozokucho.user, post=post, kind="missed", category="rumor")
    client = signed_in_client(iwaki.kacho.user)
    page = client.get("/check-feedback/").content.decode()
    assert 'id="feedback-list"' in page and "噂・流言" in page
    response = client.post("/check-feedback/export/", {"since": ""})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    [line] = [json.loads(text) for text in response.content.decode().splitlines()]
    assert "山田" not in line["text"] and line["writer"] == f"feedback-{iwaki.organization.code}"
    assert AuditEntry.objects.get(action="checks.feedback.exported").after["count"] == 1


def test_other_staff_may_not_open_the_feedback_page(iwaki: Body) -> None:
    client = signed_in_client(iwaki.tanto.user)
    assert client.get("/check-feedback/").status_code == 403
    assert client.post("/check-feedback/export/").status_code == 403
    assert not AuditEntry.objects.filter(action="checks.feedback.exported").exists()


def test_the_list_shows_no_words_of_a_text_edited_since_the_feedback(iwaki: Body, post: Any) -> None:
    """The span was given on the old text: cut from the new one it names other words."""
    from koshiki.posts import services as posts

    services.record_feedback(
        actor=iwaki.shozokucho.user, post=post, kind="missed", category="rumor", phrase="担当します"
    )
    posts.edit_post(
        actor=iwaki.tanto.user,
        post=post,
        text="【訂正】" + post.text,
        category=post.category,
        expected_version=post.version,
    )
    page = signed_in_client(iwaki.kacho.user).get("/check-feedback/").content.decode()
    row = page.split('id="feedback-list"', 1)[1].split("</table>", 1)[0]
    assert "噂・流言" in row
    assert "「" not in row  # neither the old words (gone) nor the words now at that span
