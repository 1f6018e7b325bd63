"""The optional AI reviewer against a FAKE OpenAI-compatible endpoint (a real local HTTP server in a thread,
admitted through KOSHIKI_OUTBOUND_ALLOW for the test only): off by default, suggestions labelled and cited,
never blocking, failures worded in Japanese with a retry button, once per text version, crash-safe."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from koshiki.aireview import services as ai
from koshiki.aireview.jobs import queue_due_reviews
from koshiki.aireview.models import AIReview, AIReviewSettings
from koshiki.aireview.tasks import fetch_ai_review_task
from koshiki.audit.models import AuditEntry
from koshiki.checks.ai_review import PROMPT_VERSION, TEXT_CLOSE, TEXT_OPEN
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.posts import services as posts
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post

from ..conftest import Body, live_kiki_account, signed_in_client
from . import fake_endpoint
from .fake_endpoint import FakeAI

KEY = "sk-test-THE-SECRET-KEY-0123456789"
TEXT = "本日15時から市役所本庁舎で防災訓練を行います。担当職員は週末いつも一人で釣りに出かけています。"
QUOTE = "担当職員は週末いつも一人で釣りに出かけています"  # the rules pass it; the AI need not
PERSONAL_INFO_CLAUSE = "「いわき市 第5 2(2)①」"
AI_LABEL = "AIによる提案（参考）"


@pytest.fixture
def fake(settings: Any) -> Iterator[FakeAI]:
    server = fake_endpoint.start()
    settings.KOSHIKI_OUTBOUND_ALLOW = [server.origin]
    server.answer(
        [{"category": "personal_info", "quote": QUOTE, "reason_ja": "職員の私生活は個人情報です。"}]
    )
    yield server
    fake_endpoint.stop(server)


def _configure(body: Body, fake: FakeAI, *, base_url: str | None = None) -> AIReviewSettings:
    return ai.configure(
        actor=body.kacho.user,
        organization=body.organization,
        enabled=True,
        base_url=base_url or fake.base_url,
        model_name="local-llm-7b",
        api_key=KEY,
    )


def _submit(body: Body, capture: Any, text: str = TEXT) -> Post:
    post = posts.create_post(actor=body.tanto.user, account=live_kiki_account(body), text=text)
    with capture(execute=True):
        return posts.submit(
            actor=body.tanto.user, post=post, scheduled_at=timezone.now() + dt.timedelta(days=2)
        )


def _run_queued() -> list[str]:
    """Run every queued fetch once, as the worker would (oldest first)."""
    rows = DBTaskResult.objects.filter(task_path=fetch_ai_review_task.module_path).order_by(
        "enqueued_at", "id"
    )
    results = [ai.fetch(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]) for row in rows]
    rows.delete()
    return results


def _page(user: Any, post: Post) -> str:
    client = signed_in_client(user)
    response = client.get(f"/posts/{post.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    return response.content.decode()


def _audit(code: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=code).order_by("seq"))


def test_ai_review_fake_endpoint_is_off_by_default_and_makes_no_request(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    queue_due_reviews(timezone.now())
    _run_queued()
    assert fake.requests == []
    assert not AIReview.objects.exists()
    assert AI_LABEL not in _page(iwaki.shozokucho.user, post)


def test_ai_review_fake_endpoint_suggestions_are_shown_with_clause_and_ai_label(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    assert _run_queued() == ["done"]
    sent = fake.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["Authorization"] == f"Bearer {KEY}"
    assert sent["json"]["model"] == "local-llm-7b" and sent["json"]["temperature"] == 0
    assert sent["json"]["response_format"] == {"type": "json_object"}
    system, user = (m["content"] for m in sent["json"]["messages"])
    assert PERSONAL_INFO_CLAUSE in system and TEXT not in system
    assert f"{TEXT_OPEN}\n{TEXT}\n{TEXT_CLOSE}" in user
    page = _page(iwaki.shozokucho.user, post)
    box = page.split('id="ai-review"', 1)[1].split("</section>", 1)[0]
    assert AI_LABEL in page and "AIの提案" in box
    assert f"「{QUOTE}」" in box and "職員の私生活は個人情報です。" in box and PERSONAL_INFO_CLAUSE in box
    review = AIReview.objects.get(post=post)
    assert review.suggestions[0]["start"] == TEXT.index(QUOTE)


def test_ai_review_fake_endpoint_never_blocks_approval_nor_changes_findings(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    findings = list(post.findings)
    _run_queued()
    posts.decide(actor=iwaki.shozokucho.user, post=post, approve=True, expected_version=post.version)
    stored = Post.objects.get(pk=post.pk)
    assert stored.state in (PostState.APPROVED, PostState.SCHEDULED)
    assert stored.findings == findings


def test_ai_review_fake_endpoint_down_shows_the_japanese_message_and_a_retry_button(
    iwaki: Body, fake: FakeAI, clock: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    settings.KOSHIKI_OUTBOUND_ALLOW = [fake.origin, dead]
    _configure(iwaki, fake, base_url=f"{dead}/v1")
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    assert _run_queued() == ["failed"]
    page = _page(iwaki.shozokucho.user, post)
    assert "AIレビューを取得できませんでした" in page and 'id="ai-review-form"' in page
    _configure(iwaki, fake)  # the service is back (at its address)
    client = signed_in_client(iwaki.shozokucho.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/posts/{post.pk}/ai-review/")
    assert response.status_code == 302
    assert _run_queued() == ["done"]
    assert AIReview.objects.get(post=post).state == "done"
    assert [e.after["failure"] for e in _audit("aireview.review.failed")] == ["down"]


def test_ai_review_fake_endpoint_timeout_fails_within_the_setting(
    iwaki: Body, fake: FakeAI, clock: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.KOSHIKI_AI_REVIEW_TIMEOUT_SECONDS = 0.2
    fake.delay = 0.5
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    assert _run_queued() == ["failed"]
    review = AIReview.objects.get(post=post)
    assert review.error.startswith("timeout:")
    assert "時間内に応答がありませんでした" in _page(iwaki.shozokucho.user, post)


@pytest.mark.parametrize(
    ("raw", "reply"),
    [
        (b"<html>502 Bad Gateway</html>", None),
        (None, "Sure! Here are my thoughts: nothing."),
        (None, "[1, 2]"),
    ],
    ids=["not-json", "content-not-json", "wrong-shape"],
)
def test_ai_review_fake_endpoint_garbage_answer_fails_clearly(
    iwaki: Body,
    fake: FakeAI,
    clock: Any,
    django_capture_on_commit_callbacks: Any,
    raw: bytes | None,
    reply: str | None,
) -> None:
    fake.raw = raw
    if reply is not None:
        fake.reply = reply
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    assert _run_queued() == ["failed"]
    assert AIReview.objects.get(post=post).error.startswith("garbage:")
    assert "JSON" in _page(iwaki.shozokucho.user, post)


def test_ai_review_fake_endpoint_oversized_answer_is_refused_unread(
    iwaki: Body, fake: FakeAI, clock: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.KOSHIKI_AI_REVIEW_MAX_BYTES = 1000
    fake.answer([{"category": "personal_info", "quote": QUOTE, "reason_ja": "長い" * 2000}])
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    assert _run_queued() == ["failed"]
    assert AIReview.objects.get(post=post).error.startswith("too_large:")


def test_ai_review_fake_endpoint_unknown_category_dropped_and_unfound_quote_has_no_span(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    fake.answer(
        [
            {"category": "block_this_post", "quote": QUOTE, "reason_ja": "承認を止めてください"},
            {"category": "personal_opinion", "quote": "投票してください", "reason_ja": "私見のおそれ"},
        ]
    )
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    _run_queued()
    review = AIReview.objects.get(post=post)
    assert [s["category"] for s in review.suggestions] == ["personal_opinion"]
    assert review.suggestions[0]["start"] is None and review.suggestions[0]["end"] is None
    page = _page(iwaki.shozokucho.user, post)
    assert "承認を止めてください" not in page and "本文に見当たりません" in page


def test_ai_review_fake_endpoint_guard_refuses_the_metadata_address_on_save(
    iwaki: Body, fake: FakeAI
) -> None:
    for url in ("http://169.254.169.254/v1", "https://169.254.169.254/v1", "https://10.0.0.8/v1"):
        with pytest.raises(InvalidInput) as refused:
            _configure(iwaki, fake, base_url=url)
        assert refused.value.field == "base_url"
    assert not AIReviewSettings.objects.exists()
    assert not _audit("aireview.config.changed")


def test_ai_review_fake_endpoint_guard_refuses_at_request_time_too(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    AIReviewSettings.objects.update(base_url="https://169.254.169.254/v1")  # e.g. an allow-list since shrunk
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    assert _run_queued() == ["failed"]
    assert AIReview.objects.get(post=post).error.startswith("refused:")
    assert fake.requests == []


def test_ai_review_fake_endpoint_double_request_gives_one_review(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        ai.request_review(actor=iwaki.shozokucho.user, post=post)  # the button, while the first waits
        ai.request_review(actor=iwaki.shozokucho.user, post=post)
    rows = DBTaskResult.objects.filter(task_path=fetch_ai_review_task.module_path)
    queued = [row.args_kwargs["args"][0] for row in rows] * 2  # two workers each run every task
    results = [ai.fetch(review_id) for review_id in queued]
    assert results.count("done") == 1
    assert AIReview.objects.filter(post=post).count() == 1
    assert len(fake.requests) == 1
    assert len(_audit("aireview.review.requested")) == 1 and len(_audit("aireview.review.completed")) == 1


def test_ai_review_fake_endpoint_worker_dying_mid_way_leaves_it_pending_for_the_sweep(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    review = AIReview.objects.get(post=post)
    DBTaskResult.objects.all().delete()  # the task is gone with the worker that held it …
    assert ai.claim(review.pk, timezone.now())  # … after it claimed the review and before it finished
    review.refresh_from_db()
    assert review.state == "pending"
    assert queue_due_reviews(timezone.now() + dt.timedelta(seconds=30)) == 0  # its claim still holds
    later = timezone.now() + ai.claim_lease() + dt.timedelta(seconds=1)
    clock.move_to(later)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_due_reviews(later) == 1
    assert _run_queued() == ["done"]
    assert AIReview.objects.get(post=post).state == "done" and len(fake.requests) == 1


def test_ai_review_fake_endpoint_sweep_reviews_posts_submitted_before_it_was_turned_on(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    _configure(iwaki, fake)
    with django_capture_on_commit_callbacks(execute=True):
        queue_due_reviews(timezone.now())
    assert _run_queued() == ["done"]
    assert AIReview.objects.get(post=post).state == "done"


def test_ai_review_fake_endpoint_outsider_cannot_see_or_trigger(
    iwaki: Body, outsider: Any, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    _run_queued()
    client = signed_in_client(outsider.user)
    assert client.get(f"/posts/{post.pk}/").status_code == 404
    AIReview.objects.filter(post=post).update(state="failed", error="down:")
    assert client.post(f"/posts/{post.pk}/ai-review/").status_code == 404
    assert AIReview.objects.get(post=post).state == "failed"
    settings_page = client.get("/settings/ai-review/").content.decode()
    assert "local-llm-7b" not in settings_page and fake.base_url not in settings_page
    with pytest.raises(NotPermitted):
        ai.request_review(actor=outsider.user, post=post)


def test_ai_review_fake_endpoint_writer_who_is_no_approver_cannot_trigger(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    AIReview.objects.filter(post=post).update(state="failed", error="down:")
    with pytest.raises(NotPermitted):
        ai.request_review(actor=iwaki.tanto.user, post=post)
    assert 'id="ai-review-form"' not in _page(iwaki.tanto.user, post)


def test_ai_review_fake_endpoint_audit_entries_carry_the_prompt_version(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    _submit(iwaki, django_capture_on_commit_callbacks)
    _run_queued()
    requested, completed = _audit("aireview.review.requested"), _audit("aireview.review.completed")
    assert requested[0].after["prompt_version"] == PROMPT_VERSION
    assert completed[0].after["prompt_version"] == PROMPT_VERSION
    assert completed[0].after["model"] == "local-llm-7b"
    assert completed[0].after["suggestions"] == 1 and completed[0].after["categories"] == {"personal_info": 1}


def test_ai_review_fake_endpoint_key_never_appears_in_pages_or_audit(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    _run_queued()
    admin = signed_in_client(iwaki.kacho.user)
    settings_page = admin.get("/settings/ai-review/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "local-llm-7b" in settings_page and "APIキーが保存されています" in settings_page
    pages = settings_page + _page(iwaki.shozokucho.user, post) + _page(iwaki.kacho.user, post)
    entries = json.dumps([[e.before, e.after] for e in AuditEntry.objects.all()], ensure_ascii=False)
    assert KEY not in pages and KEY not in entries
    assert (
        AIReviewSettings.objects.get().sealed_api_key
        and KEY not in AIReviewSettings.objects.get().sealed_api_key
    )
    changed = _audit("aireview.config.changed")[0]
    assert changed.after["key_changed"] is True and "api_key" not in changed.after


def test_ai_review_fake_endpoint_settings_form_saves_through_the_guard(iwaki: Body, fake: FakeAI) -> None:
    admin = signed_in_client(iwaki.kacho.user)
    form = {"enabled": "on", "base_url": "http://169.254.169.254/v1", "model_name": "m", "api_key": KEY}
    refused = admin.post("/settings/ai-review/", form, HTTP_ACCEPT_LANGUAGE="ja")
    assert refused.status_code == 400 and KEY not in refused.content.decode()
    assert not AIReviewSettings.objects.exists()
    saved = admin.post("/settings/ai-review/", {**form, "base_url": fake.base_url})
    assert saved.status_code == 302 and AIReviewSettings.objects.get().usable
    other = signed_in_client(iwaki.shozokucho.user)
    assert other.post("/settings/ai-review/", {**form, "enabled": ""}).status_code == 403
    assert AIReviewSettings.objects.get().enabled


def test_ai_review_fake_endpoint_a_new_text_version_makes_the_old_review_earlier(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    _run_queued()
    posts.decide(actor=iwaki.shozokucho.user, post=post, approve=False, comment="私生活の話は消してください")
    post.refresh_from_db()
    fake.answer([])
    posts.edit_post(
        actor=iwaki.tanto.user,
        post=post,
        text=TEXT.replace(QUOTE, "以上"),
        category=post.category,
        expected_version=post.version,
    )
    post.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        posts.submit(actor=iwaki.tanto.user, post=post, scheduled_at=timezone.now() + dt.timedelta(days=2))
    _run_queued()
    page = _page(iwaki.shozokucho.user, post)
    earlier = page.split('id="ai-review-earlier"', 1)[1].split("</details>", 1)[0]
    assert "以前の本文に対するAIの意見" in earlier and "職員の私生活は個人情報です。" in earlier
    current = page.split('id="ai-suggestions"', 1)[1].split("</ul>", 1)[0]
    assert "職員の私生活は個人情報です。" not in current and "AIからの提案はありません" in current


def test_ai_review_fake_endpoint_can_be_turned_off_after_the_allow_list_shrank(
    iwaki: Body, fake: FakeAI, settings: Any
) -> None:
    _configure(iwaki, fake)
    settings.KOSHIKI_OUTBOUND_ALLOW = []
    with pytest.raises(InvalidInput):
        _configure(iwaki, fake)  # on, at an address the guard now refuses
    ai.configure(
        actor=iwaki.kacho.user,
        organization=iwaki.organization,
        enabled=False,
        base_url=fake.base_url,
        model_name="local-llm-7b",
    )
    assert not AIReviewSettings.objects.get().usable
    assert [e.after["enabled"] for e in _audit("aireview.config.changed")] == [True, False]


def test_ai_review_fake_endpoint_slow_dripping_answer_fails_within_the_total_time(
    iwaki: Body, fake: FakeAI, clock: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An endpoint that sends one byte every 20 ms never trips a per-read timeout of 0.5 s, but would hold
    the worker for seconds (and, past the claim lease, a second worker would send the key again)."""
    settings.KOSHIKI_AI_REVIEW_TIMEOUT_SECONDS = 0.5
    fake.drip = 0.02  # the whole answer (a few hundred bytes) would take several seconds
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    started = time.monotonic()
    assert _run_queued() == ["failed"]
    assert time.monotonic() - started < 2.0
    assert AIReview.objects.get(post=post).error.startswith("timeout:")


def test_ai_review_fake_endpoint_compressed_bomb_is_never_inflated(
    iwaki: Body, fake: FakeAI, clock: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A few kilobytes of zstd that inflate to 64 MB: the size cap must hold for what is held in memory."""
    zstd = pytest.importorskip("zstandard")
    fake.raw = zstd.ZstdCompressor().compress(b"\0" * (64 * 1024 * 1024))
    fake.headers = {"Content-Encoding": "zstd"}
    assert len(fake.raw) < 64 * 1024
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    tracemalloc.start()
    try:
        assert _run_queued() == ["failed"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
    assert AIReview.objects.get(post=post).state == "failed"


def test_ai_review_fake_endpoint_moving_the_time_keeps_the_review_of_the_same_text(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Rescheduling a post waiting for approval bumps its version, not its text: the review in flight is
    not "stale", the page shows it as the opinion on this text, and the endpoint is not asked twice."""
    from koshiki.posts.services.reschedule import reschedule_post

    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    assert post.scheduled_at is not None
    reschedule_post(
        actor=iwaki.tanto.user,
        post=post,
        new_at=post.scheduled_at + dt.timedelta(hours=1),
        expected_version=post.version,
    )
    post.refresh_from_db()
    assert _run_queued() == ["done"]
    with django_capture_on_commit_callbacks(execute=True):
        queue_due_reviews(timezone.now())
    _run_queued()
    assert len(fake.requests) == 1
    page = _page(iwaki.shozokucho.user, post)
    current = page.split('id="ai-suggestions"', 1)[1].split("</ul>", 1)[0]
    assert "職員の私生活は個人情報です。" in current and 'id="ai-review-earlier"' not in page


def test_ai_review_fake_endpoint_call_ends_well_within_the_claim_lease(
    iwaki: Body, fake: FakeAI, clock: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A timeout set longer than the claim lease would let the sweep hand the same review to a second worker
    while the first still waits (the key sent twice, two answers): the call is cut at half the lease."""
    settings.KOSHIKI_AI_REVIEW_TIMEOUT_SECONDS = 30
    settings.KOSHIKI_AI_REVIEW_CLAIM_SECONDS = 1
    fake.drip = 0.02
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    started = time.monotonic()
    assert _run_queued() == ["failed"]
    assert time.monotonic() - started < 1.0
    assert AIReview.objects.get(post=post).error.startswith("timeout:")


def test_ai_review_fake_endpoint_a_review_that_keeps_killing_its_worker_fails_after_three_tries(
    iwaki: Body, fake: FakeAI, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A review whose every worker died mid-call was taken again after each lease for as long as the post
    waited, sending the text and the key each time: after three claims it fails and an approver is told."""
    _configure(iwaki, fake)
    post = _submit(iwaki, django_capture_on_commit_callbacks)
    review = AIReview.objects.get(post=post)
    DBTaskResult.objects.all().delete()
    for _ in range(ai.MAX_ATTEMPTS):  # each worker claimed it, then died
        assert ai.claim(review.pk, timezone.now())
        clock.shift(ai.claim_lease() + dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_due_reviews(timezone.now()) == 1
    assert _run_queued() == ["failed"]
    assert fake.requests == []
    assert AIReview.objects.get(post=post).error.startswith("crashed:")
    assert "AIレビューを取得できませんでした" in _page(iwaki.shozokucho.user, post)
    with django_capture_on_commit_callbacks(execute=True):
        ai.request_review(actor=iwaki.shozokucho.user, post=post)  # asked again: a fresh count
    assert _run_queued() == ["done"]
