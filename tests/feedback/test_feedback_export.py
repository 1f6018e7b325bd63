"""Feedback exported as corpus lines (issue #14 B): personal data masked in the text and the notes, labels
still on the right spans, lines well-formed for the writers' corpus, the export audited."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.cli import main
from koshiki.core.errors import NotPermitted
from koshiki.feedback import services
from koshiki.feedback.export import export_feedback
from koshiki.feedback.models import CheckFeedback

from ..checks import test_writer_corpora as corpora
from ..conftest import Body
from .conftest import key_of

NOTE = "山田太郎さんに電話 090-2222-3333 で確認済み"


@pytest.fixture
def judged(iwaki: Body, post: Any) -> Any:
    approver = iwaki.shozokucho.user
    services.record_feedback(
        actor=approver,
        post=post,
        kind=CheckFeedback.Kind.FALSE_POSITIVE,
        key=key_of(post, "url_shortener"),
        note=NOTE,
    )
    services.record_feedback(
        actor=approver, post=post, kind=CheckFeedback.Kind.MISSED, category="rumor", phrase="担当します"
    )
    return post


def _export(iwaki: Body, **kwargs: Any) -> list[dict[str, Any]]:
    out = io.StringIO()
    export_feedback(actor=iwaki.kacho.user, organization=iwaki.organization, out=out, **kwargs)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_export_masks_a_phone_an_email_and_a_name_in_text_and_note(iwaki: Body, judged: Any) -> None:
    [line] = _export(iwaki)
    assert line["text"] == (
        "避難所の受付は〇〇さん（090-0000-0000、user@example.jp）が担当します。詳しくは bit.ly/abc123 へ。"
    )
    for secret in ("山田", "1234-5678", "2222-3333", "yamada.taro"):
        assert secret not in json.dumps(line, ensure_ascii=False)
    assert "〇〇さん" in line["note"] and "090-0000-0000" in line["note"]


def test_the_labels_point_at_the_right_spans_after_masking(iwaki: Body, judged: Any) -> None:
    [line] = _export(iwaki)
    labels = sorted((label["category"], label["span"]) for label in line["labels"])
    assert labels == [
        ("personal_info", "090-0000-0000"),
        ("personal_info", "user@example.jp"),
        ("personal_info", "〇〇さん"),
        ("rumor", "担当します"),
    ]  # the short link marked wrong is gone, the missed phrase is added


def test_exported_lines_pass_the_corpus_format_checks(iwaki: Body, judged: Any, tmp_path: Path) -> None:
    [line] = _export(iwaki)
    folder = tmp_path / line["writer"]
    folder.mkdir()
    (folder / "context.json").write_text("{}", encoding="utf-8")
    (folder / "posts.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert line["writer"] == f"feedback-{iwaki.organization.code}" and line["register"] == "feedback"
    corpora.test_each_post_is_well_formed(folder)


def test_the_export_is_audited_with_its_count_and_no_text(iwaki: Body, judged: Any) -> None:
    _export(iwaki)
    entry = AuditEntry.objects.get(action="checks.feedback.exported")
    assert entry.after == {"count": 1, "since": None}
    assert entry.organization_id == iwaki.organization.pk


def test_retracted_feedback_and_feedback_before_since_are_left_out(
    iwaki: Body, judged: Any, clock: Any
) -> None:
    for row in CheckFeedback.objects.all():
        services.retract_feedback(actor=iwaki.shozokucho.user, feedback=row)
    assert _export(iwaki) == []
    services.record_feedback(
        actor=iwaki.shozokucho.user, post=judged, kind=CheckFeedback.Kind.MISSED, category="political"
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert _export(iwaki, since=tomorrow) == []
    [line] = _export(iwaki, since=timezone.localdate())
    assert {"category": "political", "span": line["text"]} in line["labels"]  # no phrase: the whole text


def test_staff_outside_the_public_relations_division_may_not_export(iwaki: Body, judged: Any) -> None:
    with pytest.raises(NotPermitted):
        export_feedback(actor=iwaki.tanto.user, organization=iwaki.organization, out=io.StringIO())
    assert not AuditEntry.objects.filter(action="checks.feedback.exported").exists()


def test_the_command_line_writes_the_file(iwaki: Body, judged: Any, tmp_path: Path) -> None:
    out = tmp_path / "feedback.jsonl"
    code = iwaki.organization.code
    assert (
        main(["check", "feedback", "export", "--org", code, "--since", "2020-01-01", "--out", str(out)]) == 0
    )
    [line] = [json.loads(text) for text in out.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == f"feedback-{code}-{judged.pk}"
    assert AuditEntry.objects.get(action="checks.feedback.exported").after["since"] == "2020-01-01"


def test_the_export_costs_the_same_queries_for_three_times_the_feedback(iwaki: Body, post: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from koshiki.posts import services as posts

    def grow(n: int) -> None:
        for _ in range(n):
            more = posts.create_post(actor=iwaki.tanto.user, account=post.account, text=post.text)
            services.record_feedback(
                actor=iwaki.shozokucho.user, post=more, kind=CheckFeedback.Kind.MISSED, category="rumor"
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _export(iwaki)
        return len(captured.captured_queries)

    grow(2)
    small = queries()
    grow(4)
    assert queries() == small


def test_names_inside_a_missed_personal_phrase_and_in_notes_are_masked_too(iwaki: Body) -> None:
    """The name detector is cautious (no finding here); where an approver says the words are personal data,
    and in free notes, every person name Sudachi sees is masked."""
    from koshiki.posts import services as posts

    from ..conftest import live_kiki_account

    text = "生活保護を受けている鈴木花子の家庭を訪問しました。"
    post = posts.create_post(actor=iwaki.tanto.user, account=live_kiki_account(iwaki), text=text)
    assert post.findings == []
    services.record_feedback(
        actor=iwaki.shozokucho.user,
        post=post,
        kind=CheckFeedback.Kind.MISSED,
        category="personal_info",
        phrase="生活保護を受けている鈴木花子の家庭",
        note="鈴木から聞いた話",
    )
    [line] = _export(iwaki)
    assert "鈴木" not in json.dumps(line, ensure_ascii=False)
    assert line["labels"] == [{"category": "personal_info", "span": "生活保護を受けている〇〇の家庭"}]
    assert line["note"] == "見逃し personal_info: 〇〇から聞いた話"


def test_since_picks_the_posts_but_keeps_their_earlier_wrong_marks(
    iwaki: Body, judged: Any, clock: Any
) -> None:
    """An export of the last days' feedback must not turn a finding marked wrong before then back into a
    label of the post (the line stands for the post's whole judgment, not for the new rows only)."""
    clock.shift(dt.timedelta(days=3))
    services.record_feedback(
        actor=iwaki.shozokucho.user, post=judged, kind=CheckFeedback.Kind.MISSED, category="political"
    )
    [line] = _export(iwaki, since=timezone.localdate())
    categories = {label["category"] for label in line["labels"]}
    assert "url_shortener" not in categories  # marked wrong three days before `since`
    assert {"political", "rumor"} <= categories


def test_names_inside_a_learned_personal_info_finding_are_masked_too(iwaki: Body) -> None:
    """The learned tier flags a resident's situation as a sentence (detector "learned"); the approver left it
    standing, so those words hold personal data just as a missed personal_info phrase does."""
    from koshiki.posts import services as posts
    from koshiki.posts.models import Post

    from ..conftest import live_kiki_account

    text = "生活保護を受けている鈴木花子の家庭を訪問しました。"
    post = posts.create_post(actor=iwaki.tanto.user, account=live_kiki_account(iwaki), text=text)
    learned = {
        "category": "personal_info",
        "severity": "block",
        "start": 0,
        "end": text.index("を訪問"),
        "detector": "learned",
        "score": 0.91,
        "message_ja": "",
        "message_en": "",
        "clauses": [],
    }
    Post.objects.filter(pk=post.pk).update(findings=[learned])
    post.refresh_from_db()
    services.record_feedback(
        actor=iwaki.shozokucho.user, post=post, kind=CheckFeedback.Kind.MISSED, category="rumor"
    )
    [line] = _export(iwaki)
    assert "鈴木" not in json.dumps(line, ensure_ascii=False)
    assert {"category": "personal_info", "span": "生活保護を受けている〇〇の家庭"} in line["labels"]


def test_a_line_separator_in_the_text_does_not_break_the_jsonl_line(iwaki: Body) -> None:
    """The corpus readers (tests, make eval, make bench) split with str.splitlines(), which also breaks at
    U+2028, U+2029 and U+0085: JSON leaves those raw with ensure_ascii=False, so one post became two lines."""
    from koshiki.posts import services as posts

    from ..conftest import live_kiki_account

    text = "避難所を開設しました。\u2028詳しくは市のホームページへ。\u0085以上"
    post = posts.create_post(actor=iwaki.tanto.user, account=live_kiki_account(iwaki), text=text)
    services.record_feedback(
        actor=iwaki.shozokucho.user,
        post=post,
        kind=CheckFeedback.Kind.MISSED,
        category="rumor",
        note="メモ\u2029二段落目",
    )
    out = io.StringIO()
    export_feedback(actor=iwaki.kacho.user, organization=iwaki.organization, out=out)
    [line] = out.getvalue().splitlines()
    assert json.loads(line)["text"] == post.text
