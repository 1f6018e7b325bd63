"""A post's published URL is checked against its platform and can be corrected (issue #13 item 6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.translation import override

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from .conftest import CLEAN_POST, PostingBody


def _scheduled(body: PostingBody) -> Post:
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    post = services.submit(actor=body.operator.user, post=post)
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    post.refresh_from_db()
    assert services.publish_due(post.pk) == "manual"
    return post


def _url(body: PostingBody, rkey: str = "3kq2abcdxyz2a") -> str:
    return f"https://bsky.app/profile/{body.account.handle}/post/{rkey}"


def _published(body: PostingBody) -> Post:
    return services.record_manual_publication(actor=body.operator.user, post=_scheduled(body), url=_url(body))


def test_a_post_recorded_at_another_platforms_url_is_refused_in_japanese(
    iwaki_posting: PostingBody, within_hours: Any
) -> None:
    post = _scheduled(iwaki_posting)
    with override("ja"), pytest.raises(InvalidInput) as refused:
        services.record_manual_publication(
            actor=iwaki_posting.operator.user, post=post, url="https://www.instagram.com/p/CxYz12345/"
        )
    assert (
        "Bluesky の投稿のURL（https://bsky.app/profile/…/post/…）を入力してください" in refused.value.message
    )
    post.refresh_from_db()
    assert (post.state, post.remote_url) == (PostState.SCHEDULED, "")


@pytest.mark.parametrize(
    "url",
    [
        "https://bsky.app@evil.example/profile/a.test/post/1",
        "https://bsky.app.evil.jp/profile/a.test/post/1",
        "javascript:alert(1)//https://bsky.app/profile/a.test/post/1",
        "https://bsky.app/profile/someone-else.test/post/3kq2abcdxyz2a",
    ],
)
def test_hostile_or_foreign_post_urls_are_refused(
    iwaki_posting: PostingBody, within_hours: Any, url: str
) -> None:
    post = _scheduled(iwaki_posting)
    with pytest.raises(InvalidInput):
        services.record_manual_publication(actor=iwaki_posting.operator.user, post=post, url=url)
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED


def test_the_recorder_corrects_the_url_and_it_is_audited(
    iwaki_posting: PostingBody, within_hours: Any
) -> None:
    post = _published(iwaki_posting)
    assert post.published_by == iwaki_posting.operator
    services.correct_published_url(
        actor=iwaki_posting.operator.user,
        post=post,
        url=_url(iwaki_posting, "3kq2zzzzzzz2a"),
        reason="貼り間違い",
    )
    post.refresh_from_db()
    assert post.remote_url == _url(iwaki_posting, "3kq2zzzzzzz2a")
    entry = AuditEntry.objects.get(action="posts.post.url_corrected")
    assert (entry.before["url"], entry.after["url"]) == (_url(iwaki_posting), post.remote_url)


def test_the_public_relations_division_may_correct_it(iwaki_posting: PostingBody, within_hours: Any) -> None:
    post = _published(iwaki_posting)
    services.correct_published_url(
        actor=iwaki_posting.seed.admin.user,
        post=post,
        url=_url(iwaki_posting, "3kq2zzzzzzz2a"),
        reason="誤り",
    )
    post.refresh_from_db()
    assert post.remote_url.endswith("3kq2zzzzzzz2a")


def test_another_operator_and_an_outsider_may_not(
    iwaki_posting: PostingBody, within_hours: Any, system_admin: Any
) -> None:
    from .conftest import build_posting_body

    other_body = build_posting_body(system_admin, "shinshiro", "232211", "executive")
    post = _published(iwaki_posting)
    for person in (iwaki_posting.seed.second_operator, other_body.seed.admin):
        with pytest.raises(NotPermitted):
            services.correct_published_url(
                actor=person.user, post=post, url=_url(iwaki_posting, "3kq2zzzzzzz2a"), reason="x"
            )
    post.refresh_from_db()
    assert post.remote_url == _url(iwaki_posting)


def test_a_correction_submitted_twice_changes_once(iwaki_posting: PostingBody, within_hours: Any) -> None:
    post = _published(iwaki_posting)
    for _ in range(2):
        services.correct_published_url(
            actor=iwaki_posting.operator.user,
            post=post,
            url=_url(iwaki_posting, "3kq2zzzzzzz2a"),
            reason="誤り",
        )
    assert AuditEntry.objects.filter(action="posts.post.url_corrected").count() == 1


def test_a_wrong_correction_changes_nothing(iwaki_posting: PostingBody, within_hours: Any) -> None:
    post = _published(iwaki_posting)
    with pytest.raises(InvalidInput):
        services.correct_published_url(
            actor=iwaki_posting.operator.user, post=post, url="https://x.com/a/status/1", reason="誤り"
        )
    with pytest.raises(InvalidInput):
        services.correct_published_url(
            actor=iwaki_posting.operator.user, post=post, url=_url(iwaki_posting, "3kq2zzzzzzz2a"), reason=""
        )
    post.refresh_from_db()
    assert post.remote_url == _url(iwaki_posting)


def test_only_a_published_post_has_a_url_to_correct(iwaki_posting: PostingBody, within_hours: Any) -> None:
    post = _scheduled(iwaki_posting)
    with pytest.raises(InvalidTransition):
        services.correct_published_url(
            actor=iwaki_posting.seed.admin.user, post=post, url=_url(iwaki_posting), reason="誤り"
        )
