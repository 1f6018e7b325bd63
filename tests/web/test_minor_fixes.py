"""Issue #13 item 12 ("Minor"): the small things a new user hit, one behaviour each."""

from __future__ import annotations

from django.utils import translation

from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post


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
