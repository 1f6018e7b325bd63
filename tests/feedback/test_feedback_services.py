"""Approvers' feedback on the checker (issue #14 B): who may give it, once, with a phrase from the text."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.feedback import services
from koshiki.feedback.models import CheckFeedback

from ..conftest import Body
from .conftest import key_of

FP = CheckFeedback.Kind.FALSE_POSITIVE
MISSED = CheckFeedback.Kind.MISSED


def test_an_approver_marks_a_finding_wrong_and_it_is_recorded_and_audited(iwaki: Body, post: Any) -> None:
    row = services.record_feedback(
        actor=iwaki.shozokucho.user, post=post, kind=FP, key=key_of(post, "url_shortener"), note="公式の短縮"
    )
    assert (row.kind, row.category, row.detector) == (FP, "url_shortener", "links")
    assert post.text[row.start : row.end] == "bit.ly/abc123"
    assert row.post_version == post.version and row.text_sha256 == services.text_hash(post.text)
    entry = AuditEntry.objects.filter(action="checks.feedback.recorded").get()
    assert entry.after["category"] == "url_shortener" and entry.after["kind"] == FP
    assert "公式の短縮" not in str(entry.after)  # the note stays beside the post


def test_the_writer_without_approval_rights_is_refused(iwaki: Body, post: Any) -> None:
    with pytest.raises(NotPermitted):
        services.record_feedback(
            actor=iwaki.tanto.user, post=post, kind=FP, key=key_of(post, "url_shortener")
        )
    assert not CheckFeedback.objects.exists()
    assert not AuditEntry.objects.filter(action="checks.feedback.recorded").exists()


def test_an_outsider_from_another_body_is_refused(iwaki: Body, post: Any, outsider: Any) -> None:
    with pytest.raises(NotPermitted):
        services.record_feedback(actor=outsider.user, post=post, kind=MISSED, category="rumor")
    assert not CheckFeedback.objects.exists()


def test_a_double_submit_records_once(iwaki: Body, post: Any) -> None:
    def give() -> Any:
        return services.record_feedback(
            actor=iwaki.shozokucho.user, post=post, kind=MISSED, category="rumor", phrase="担当します"
        )

    give()
    with pytest.raises(InvalidTransition, match="既に記録されています"):
        give()
    assert CheckFeedback.objects.count() == 1
    assert AuditEntry.objects.filter(action="checks.feedback.recorded").count() == 1


def test_a_missed_phrase_not_in_the_text_is_refused_and_changes_nothing(iwaki: Body, post: Any) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput, match="「投票してください」") as raised:
        services.record_feedback(
            actor=iwaki.shozokucho.user,
            post=post,
            kind=MISSED,
            category="political",
            phrase="投票してください",
        )
    assert raised.value.field == "phrase"
    assert not CheckFeedback.objects.exists() and AuditEntry.objects.count() == before


def test_a_missed_category_must_be_one_of_the_checkers(iwaki: Body, post: Any) -> None:
    with pytest.raises(InvalidInput):
        services.record_feedback(actor=iwaki.shozokucho.user, post=post, kind=MISSED, category="weather")
    assert not CheckFeedback.objects.exists()


def test_feedback_on_a_version_no_longer_shown_is_refused(iwaki: Body, post: Any) -> None:
    with pytest.raises(InvalidTransition):
        services.record_feedback(
            actor=iwaki.shozokucho.user,
            post=post,
            kind=MISSED,
            category="rumor",
            expected_version=post.version - 1,
        )
    assert not CheckFeedback.objects.exists()


def test_the_giver_retracts_and_may_give_it_again(iwaki: Body, post: Any) -> None:
    key = key_of(post, "url_shortener")
    row = services.record_feedback(actor=iwaki.shozokucho.user, post=post, kind=FP, key=key)
    services.retract_feedback(actor=iwaki.shozokucho.user, feedback=row)
    row.refresh_from_db()
    assert row.retracted_at is not None
    assert AuditEntry.objects.filter(action="checks.feedback.retracted").count() == 1
    with pytest.raises(InvalidTransition):
        services.retract_feedback(actor=iwaki.shozokucho.user, feedback=row)
    services.record_feedback(actor=iwaki.shozokucho.user, post=post, kind=FP, key=key)
    assert CheckFeedback.objects.filter(retracted_at__isnull=True).count() == 1


def test_someone_else_cannot_retract_it(iwaki: Body, post: Any, outsider: Any) -> None:
    row = services.record_feedback(actor=iwaki.shozokucho.user, post=post, kind=MISSED, category="rumor")
    for other in (iwaki.tanto, iwaki.kacho, outsider):
        with pytest.raises(NotPermitted):
            services.retract_feedback(actor=other.user, feedback=row)
    row.refresh_from_db()
    assert row.retracted_at is None
