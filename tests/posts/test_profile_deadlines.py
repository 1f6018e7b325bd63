"""After-report deadlines and the exemption ids Koshiki gives a meaning to come
from the profile, not from code.

Before: the 1-day and 7-day deadlines were literals in posts/services/approval.py, and only the ids
'correction', 'damage' and 'emergency' were honoured as operating-hours exceptions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from koshiki.guidelines.catalog import BUILTIN_DIR
from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import AfterReport

from .conftest import CLEAN_POST, build_posting_body, hours_excluding_now

EMERGENCY_POST = "【緊急】大雨のため市内の避難所を開設しました。最新情報は市ホームページをご覧ください。"


def _override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile_id: str, *edits: tuple[str, str]
) -> None:
    """A copy of a shipped profile with the given edits, found before the shipped one (same id)."""
    text = (BUILTIN_DIR / f"{profile_id}.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / f"{profile_id}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("KOSHIKI_PROFILE_DIRS", str(tmp_path))


def test_an_exempt_posts_report_is_due_when_the_profile_says(
    db: Any, system_admin: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, within_hours: None
) -> None:
    _override(
        tmp_path,
        monkeypatch,
        "iwaki",
        (
            "posting:\n",
            "posting:\n  after_report:\n    silent: true\n"
            "    exemption_due_days: 3\n    standing_due_days: 14\n",
        ),
    )
    body = build_posting_body(system_admin, "iwaki", "072044", "executive")
    post = services.create_post(
        actor=body.operator.user, account=body.account, text=EMERGENCY_POST, category="emergency"
    )
    post = services.submit(actor=body.operator.user, post=post, exemption="emergency")
    assert post.state == PostState.SCHEDULED
    assert AfterReport.objects.get(post=post).due_on == timezone.localdate() + dt.timedelta(days=3)

    today = timezone.localdate()
    services.grant_standing_approval(
        actor=body.manager.user,
        account=body.account,
        categories=["event"],
        description="イベント告知",
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
    )
    other = services.submit(
        actor=body.operator.user,
        post=services.create_post(
            actor=body.operator.user, account=body.account, category="event", text=CLEAN_POST
        ),
    )
    assert other.standing_approval is not None
    assert AfterReport.objects.get(post=other).due_on == today + dt.timedelta(days=14)


def test_the_default_deadlines_are_the_next_day_and_a_week(
    db: Any, system_admin: Any, within_hours: None
) -> None:
    body = build_posting_body(system_admin, "iwaki", "072044", "executive")
    post = services.create_post(
        actor=body.operator.user, account=body.account, text=EMERGENCY_POST, category="emergency"
    )
    post = services.submit(actor=body.operator.user, post=post, exemption="emergency")
    assert AfterReport.objects.get(post=post).due_on == timezone.localdate() + dt.timedelta(days=1)


def test_the_hours_exception_ids_are_the_profiles(
    db: Any, system_admin: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _override(
        tmp_path,
        monkeypatch,
        "shinshiro",
        ("      - id: correction\n", "      - id: teisei\n"),
        ("      - id: emergency\n", "      - id: kinkyu\n"),
        (
            "  operating_hours:\n",
            "  emergency_exemption: kinkyu\n  operating_hours:\n    correction_exception: teisei\n",
        ),
    )
    body = build_posting_body(system_admin, "shinshiro", "232211", "executive", hours=hours_excluding_now())
    post = services.create_post(
        actor=body.operator.user, account=body.account, text=EMERGENCY_POST, category="emergency"
    )
    post = services.submit(actor=body.operator.user, post=post, exemption="kinkyu", hours_exception="kinkyu")
    assert post.state == PostState.SCHEDULED
    assert AfterReport.objects.get(post=post).reason == "kinkyu"
