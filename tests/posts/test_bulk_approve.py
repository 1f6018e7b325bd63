"""Bulk approve (#13), by persona: the 所属長 ticks posts of the queue and each is approved through the
posts service on its own. A post whose check found a 禁止 item, or that changed since the approver saw it, is
refused with the reason (and clause); another body's post ids are refused without a word about them; a double
submit approves nothing twice; the batch is limited. The audit has one entry per approval, nothing more."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post, PostApproval
from koshiki.posts.services.bulk import MAX_BATCH, bulk_approve
from koshiki.posts.services.common import finding_key

from ..conftest import signed_in_client
from .conftest import CLEAN_POST, PHONE_POST, PostingBody, build_posting_body

APPROVED = {PostState.APPROVED, PostState.SCHEDULED}


@pytest.fixture
def body(db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch) -> PostingBody:
    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)
    return build_posting_body(system_admin, "iwaki", "072044", "executive")


def _submitted(body: PostingBody, text: str = CLEAN_POST) -> Post:
    post = services.create_post(actor=body.operator.user, account=body.account, text=text)
    return services.submit(actor=body.operator.user, post=post)


def _with_overridden_block(body: PostingBody) -> Post:
    """A post whose check found a 禁止 item that an approver let through in writing, then submitted."""
    post = services.create_post(actor=body.operator.user, account=body.account, text=PHONE_POST)
    assert post.has_unresolved_blocks
    services.override_blocks(actor=body.manager.user, post=post, reason="市の代表番号のため")
    for finding in post.findings:
        if finding["severity"] == "warn":
            services.acknowledge_warning(actor=body.operator.user, post=post, key=finding_key(finding))
    return services.submit(actor=body.operator.user, post=Post.objects.get(pk=post.pk))


def _approved_entries(posts: list[Post]) -> int:
    return AuditEntry.objects.filter(
        action="posts.post.approved", object_id__in=[str(p.pk) for p in posts]
    ).count()


def test_the_shozokucho_approves_two_posts(body: PostingBody) -> None:
    one, two = _submitted(body), _submitted(body)
    results = bulk_approve(actor=body.manager.user, picks=[(one.pk, one.version), (two.pk, two.version)])
    assert [(r.post_id, r.approved) for r in results] == [(one.pk, True), (two.pk, True)]
    assert {Post.objects.get(pk=p.pk).state for p in (one, two)} <= APPROVED
    assert _approved_entries([one, two]) == 2


def test_a_post_with_a_prohibited_finding_is_refused_with_its_clause(body: PostingBody) -> None:
    clean, blocked = _submitted(body), _with_overridden_block(body)
    results = bulk_approve(
        actor=body.manager.user, picks=[(clean.pk, clean.version), (blocked.pk, blocked.version)]
    )
    by_post = {r.post_id: r for r in results}
    assert by_post[clean.pk].approved
    refused = by_post[blocked.pk]
    assert not refused.approved
    assert "個別に判断" in refused.reason
    assert "いわき市" in refused.clause
    assert Post.objects.get(pk=blocked.pk).state == PostState.SUBMITTED
    assert _approved_entries([blocked]) == 0


def test_a_post_changed_since_the_approver_saw_it_is_refused(body: PostingBody) -> None:
    seen, fresh = _submitted(body), _submitted(body)
    Post.objects.filter(pk=seen.pk).update(version=seen.version + 1)  # edited and sent again meanwhile
    results = bulk_approve(
        actor=body.manager.user, picks=[(seen.pk, seen.version), (fresh.pk, fresh.version)]
    )
    by_post = {r.post_id: r for r in results}
    assert not by_post[seen.pk].approved
    assert "開いた後に変更" in by_post[seen.pk].reason and "公開日時" in by_post[seen.pk].reason
    assert by_post[fresh.pk].approved
    assert Post.objects.get(pk=seen.pk).state == PostState.SUBMITTED


def test_an_outsiders_post_ids_are_refused(body: PostingBody, system_admin: Any) -> None:
    post = _submitted(body)
    other = build_posting_body(system_admin, "shinshiro", "232211", "executive")
    results = bulk_approve(actor=other.manager.user, picks=[(post.pk, post.version)])
    assert [(r.post_id, r.approved, r.post) for r in results] == [(post.pk, False, None)]
    assert Post.objects.get(pk=post.pk).state == PostState.SUBMITTED
    assert not PostApproval.objects.filter(post=post).exists()


def test_a_double_submit_approves_nothing_twice(body: PostingBody) -> None:
    one, two = _submitted(body), _submitted(body)
    picks = [(one.pk, one.version), (two.pk, two.version)]
    bulk_approve(actor=body.manager.user, picks=picks)
    again = bulk_approve(actor=body.manager.user, picks=picks)
    assert [r.approved for r in again] == [False, False]
    assert PostApproval.objects.filter(post__in=[one, two]).count() == 2
    assert _approved_entries([one, two]) == 2


def test_the_writer_cannot_bulk_approve_their_own_post(body: PostingBody) -> None:
    post = _submitted(body)
    results = bulk_approve(actor=body.operator.user, picks=[(post.pk, post.version)])
    assert not results[0].approved
    assert results[0].reason
    assert Post.objects.get(pk=post.pk).state == PostState.SUBMITTED


def test_the_batch_is_limited(body: PostingBody) -> None:
    post = _submitted(body)
    picks = [(post.pk, post.version)] + [(10_000 + i, 1) for i in range(MAX_BATCH)]
    with pytest.raises(InvalidInput, match=str(MAX_BATCH)):
        bulk_approve(actor=body.manager.user, picks=picks)
    assert Post.objects.get(pk=post.pk).state == PostState.SUBMITTED


def test_the_queue_page_confirms_then_shows_results_per_post(body: PostingBody) -> None:
    one, two = _submitted(body), _submitted(body)
    client = signed_in_client(body.manager.user)
    queue = client.get("/posts/approvals/").content.decode()
    assert f'<label for="pick-{one.pk}"' in queue
    assert "選択した投稿を承認" in queue
    form = {"post": [one.pk, two.pk], f"version-{one.pk}": one.version, f"version-{two.pk}": two.version}
    confirm = client.post("/posts/approvals/bulk/", form)
    assert confirm.status_code == 200
    assert Post.objects.get(pk=one.pk).state == PostState.SUBMITTED  # nothing before the confirmation
    assert f'name="version-{two.pk}" value="{two.version}"' in confirm.content.decode()
    done = client.post("/posts/approvals/bulk/", {**form, "confirm": "yes"})
    html = done.content.decode()
    assert html.count("承認しました") == 2
    assert {Post.objects.get(pk=p.pk).state for p in (one, two)} <= APPROVED


def test_the_confirmation_names_nothing_of_another_body(body: PostingBody, system_admin: Any) -> None:
    post = _submitted(body)
    other = build_posting_body(system_admin, "shinshiro", "232211", "executive")
    client = signed_in_client(other.manager.user)
    html = client.post("/posts/approvals/bulk/", {"post": [post.pk], f"version-{post.pk}": post.version})
    assert CLEAN_POST[:10] not in html.content.decode()
    assert "所属団体にこの投稿はありません" in html.content.decode()


def test_a_forged_selection_is_a_clear_error(body: PostingBody) -> None:
    client = signed_in_client(body.manager.user)
    response = client.post("/posts/approvals/bulk/", {"post": ["1; drop"]}, follow=True)
    assert "選択内容を読み取れませんでした" in response.content.decode()
