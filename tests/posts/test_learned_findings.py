"""Saving a post runs the learned tier too: its findings are stored with their clause and shown labelled."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from koshiki.audit.models import AuditEntry
from koshiki.posts import services

from .conftest import PostingBody, build_posting_body

UNDER_MINIMUM_WAGE = "市役所の臨時職員を募集します。時給は600円、交通費なしです。"


@pytest.fixture
def body(db: Any, system_admin: Any, within_hours: None) -> PostingBody:
    from ..security.conftest import SEEDS

    return build_posting_body(system_admin, *SEEDS[0])


def test_saving_stores_the_learned_finding_with_the_profiles_clause(body: PostingBody) -> None:
    post = services.create_post(actor=body.operator.user, account=body.account, text=UNDER_MINIMUM_WAGE)
    learned = [f for f in post.findings if f["detector"] == "learned"]
    assert [f["category"] for f in learned] == ["illegal"]
    assert learned[0]["excerpt"]
    entry = AuditEntry.objects.filter(action="posts.post.checked").latest("pk")
    assert entry.after["learned"] == ["illegal"]
    assert len(entry.after["learned_model"]) == 16


def test_the_post_page_labels_a_learned_finding(body: PostingBody) -> None:
    post = services.create_post(actor=body.operator.user, account=body.account, text=UNDER_MINIMUM_WAGE)
    client = Client()
    client.force_login(body.operator.user)
    page = client.get(reverse("post-detail", args=[post.pk]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "学習モデル" in page
    assert "学習モデルの判定" in page


def test_a_missing_learned_model_stops_start_up_with_its_name(tmp_path: Any, monkeypatch: Any) -> None:
    from koshiki.checks import learned
    from koshiki.posts.system_checks import learned_model_readable

    assert learned_model_readable() == []
    monkeypatch.setattr(learned, "DEFAULT_MODEL_PATH", tmp_path / "gone.model")
    errors = learned_model_readable()
    assert [e.id for e in errors] == ["koshiki.E001"]
    assert "gone.model" in errors[0].msg


def test_a_model_file_with_a_corrupt_array_stops_start_up_with_its_name(
    tmp_path: Any, monkeypatch: Any
) -> None:
    import zipfile

    from koshiki.checks import learned
    from koshiki.posts.system_checks import learned_model_readable

    path = tmp_path / "corrupt.model"
    with zipfile.ZipFile(learned.DEFAULT_MODEL_PATH) as shipped, zipfile.ZipFile(path, "w") as copy:
        for name in shipped.namelist():
            copy.writestr(name, b"\x93NUMPY garbage" if name == "idf.npy" else shipped.read(name))
    monkeypatch.setattr(learned, "DEFAULT_MODEL_PATH", path)
    errors = learned_model_readable()  # raised ValueError from NumPy before: a traceback, not a check
    assert [e.id for e in errors] == ["koshiki.E001"]
    assert "corrupt.model" in errors[0].msg


def test_a_swapped_model_of_other_categories_stops_start_up(tmp_path: Any, monkeypatch: Any) -> None:
    from koshiki.checks import learned
    from koshiki.checks.learned.corpus import Example
    from koshiki.checks.learned.features import FeatureConfig
    from koshiki.checks.learned.training import TrainConfig, fit
    from koshiki.posts.system_checks import learned_model_readable

    examples = [
        Example("1", "w", "要返信です", frozenset({"needs_reply"})),
        Example("2", "w", "了解", frozenset()),
    ]
    path = tmp_path / "replies.model"
    fit(examples, ["needs_reply"], TrainConfig(features=FeatureConfig(words=False), min_df=1)).save(path)
    monkeypatch.setattr(learned, "DEFAULT_MODEL_PATH", path)
    errors = learned_model_readable()  # every save would fail on a category the profile has no rule for
    assert [e.id for e in errors] == ["koshiki.E001"]
    assert "needs_reply" in errors[0].msg
