"""The learned tier (issue #14): the shipped model, its findings beside the rules', its file format."""

from __future__ import annotations

import numpy as np
import pytest

from koshiki.checks import CheckContext, check
from koshiki.checks.learned import (
    DEFAULT_MODEL_PATH,
    POST_CATEGORIES,
    LearnedModel,
    ModelFileError,
    default_model,
)
from koshiki.checks.learned.corpus import Example
from koshiki.checks.learned.features import FeatureConfig, fold
from koshiki.checks.learned.model import same_model
from koshiki.checks.learned.sentences import sentence_spans
from koshiki.checks.learned.tier import FIRM_SCORE
from koshiki.checks.learned.training import TrainConfig, calibrate, fit

# Wording the rules' word lists do not know (the issue's examples), each a single category.
UNSEEN = {
    "illegal": "市役所の臨時職員を募集します。時給は600円、交通費なしです。",
    "security_risk": "新システムの初期パスワードは「職員番号＋誕生日4桁」です。各自ログインしてください。",
}


def test_shipped_model_is_small_and_covers_the_open_ended_categories() -> None:
    assert DEFAULT_MODEL_PATH.stat().st_size < 30_000_000
    model = default_model()
    assert model.categories == POST_CATEGORIES
    assert all(0.0 < t <= 1.01 for t in model.thresholds)  # 1.01: a category the tier leaves to the rules


@pytest.mark.parametrize("category", sorted(UNSEEN))
def test_learned_tier_flags_wording_the_rules_miss(iwaki_context: CheckContext, category: str) -> None:
    text = UNSEEN[category]
    assert category not in {f.category for f in check(text, context=iwaki_context)}
    found = [f for f in check(text, context=iwaki_context, learned=default_model()) if f.category == category]
    assert found and found[0].detector == "learned"
    assert found[0].clauses == iwaki_context.rules[category].clauses
    assert "学習モデル" in found[0].message_ja


def test_learned_finding_points_at_the_sentence_that_drives_it(iwaki_context: CheckContext) -> None:
    text = "本日は晴天です。" + UNSEEN["security_risk"] + "よろしくお願いします。"
    found = [
        f for f in check(text, context=iwaki_context, learned=default_model()) if f.detector == "learned"
    ]
    assert found
    assert text[found[0].start : found[0].end].startswith("新システムの初期パスワード")


def test_a_clean_notice_gets_no_learned_finding(iwaki_context: CheckContext) -> None:
    text = "【お知らせ】12月29日から1月3日まで市役所の窓口はお休みです。\nお急ぎの方は守衛室へ。"
    assert [f for f in check(text, context=iwaki_context, learned=default_model())] == []


def test_learned_tier_does_not_repeat_a_category_the_rules_found(iwaki_context: CheckContext) -> None:
    text = "〇〇候補への投票をお願いします！職員一同応援しています。"
    rules = {f.category for f in check(text, context=iwaki_context)}
    both = check(text, context=iwaki_context, learned=default_model())
    assert "political" in rules
    assert not [f for f in both if f.category == "political" and f.detector == "learned"]


def test_a_guess_below_the_firm_score_warns_even_where_the_profile_blocks() -> None:
    model = _tiny_model()
    context = CheckContext.from_profile(None)
    assert context.rules["illegal"].severity == "block"
    model.thresholds[:] = 0.01
    found = [
        f for f in check("違法な賭博をしよう", context=context, learned=model) if f.detector == "learned"
    ]
    scores = model.flagged("違法な賭博をしよう")
    assert found and all(
        f.severity == ("warn" if scores[f.category] < FIRM_SCORE else "block") for f in found
    )
    assert any(f.severity == "warn" for f in found)


def test_the_live_check_runs_without_the_learned_tier(iwaki_context: CheckContext) -> None:
    assert check(UNSEEN["illegal"], context=iwaki_context) == []


# --- pieces ---


def test_fold_makes_every_number_and_link_alike() -> None:
    assert fold("ＴＥＬ　０９０-１２３４ https://example.com/x") == "tel 000-0000 URL"


def test_sentence_spans_merge_short_pieces_and_trim_space() -> None:
    text = "一文目です。\n!\n二文目です！  #タグ\n三文目の長い文です。"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["一文目です。", "二文目です！  #タグ", "三文目の長い文です。"]


def test_calibration_keeps_the_rules_and_tier_within_the_false_alarm_budget() -> None:
    rng = np.random.default_rng(0)
    examples = [Example(str(i), "w", "", frozenset({"rumor"}) if i < 50 else frozenset()) for i in range(150)]
    scores = (rng.random((150, 1)) * 0.8).astype(np.float32)  # clean posts score below 0.8
    scores[:50, 0] = 0.5 + scores[:50, 0] / 1.6  # labelled posts score 0.5–1.0
    already = [i >= 140 for i in range(150)]  # 10 of 100 clean posts flagged by the rules already
    thresholds = calibrate(scores, examples, ["rumor"], false_alarm_budget=0.2, already_flagged=already)
    flagged = ((scores[50:, 0] >= thresholds[0]) | np.array(already[50:])).sum()
    assert flagged <= 20
    assert thresholds[0] < 0.8  # it lowered the threshold into the clean posts' range, as far as allowed


def test_calibration_flags_nothing_more_when_the_rules_use_the_whole_budget() -> None:
    examples = [Example(str(i), "w", "", frozenset({"rumor"}) if i < 5 else frozenset()) for i in range(25)]
    scores = np.full((25, 1), 0.5, dtype=np.float32)
    already = [i >= 5 for i in range(25)]
    thresholds = calibrate(scores, examples, ["rumor"], false_alarm_budget=0.05, already_flagged=already)
    assert thresholds[0] > 1.0  # off: the tier flags nothing


# --- file format and reproducibility ---


def _tiny_examples() -> list[Example]:
    rows = [
        ("違法な賭博をしよう", {"illegal"}),
        ("賭博で稼ごう", {"illegal"}),
        ("図書館は休館です", set()),
        ("花火大会のお知らせ", set()),
        ("賭けごとで儲けよう", {"illegal"}),
        ("ごみ収集日の変更", set()),
    ]
    return [Example(str(i), f"w{i % 2}", t, frozenset(c)) for i, (t, c) in enumerate(rows)]


def _tiny_model() -> LearnedModel:
    config = TrainConfig(features=FeatureConfig(words=False), min_df=1)
    return fit(_tiny_examples(), ["illegal", "rumor"], config)


def test_training_twice_gives_the_same_bytes(tmp_path) -> None:
    first, second = _tiny_model().to_bytes(), _tiny_model().to_bytes()
    assert first == second


def test_a_saved_model_loads_back_as_the_same_model(tmp_path) -> None:
    model = _tiny_model()
    model.save(tmp_path / "m.model")
    loaded = LearnedModel.load(tmp_path / "m.model")
    assert same_model(LearnedModel.load(tmp_path / "m.model"), loaded) == []
    assert loaded.scores("賭博") == pytest.approx(model.scores("賭博"), abs=1e-3)


def test_a_damaged_model_file_is_refused_clearly(tmp_path) -> None:
    path = tmp_path / "m.model"
    path.write_bytes(b"not a zip")
    with pytest.raises(ModelFileError, match="cannot read the learned model"):
        LearnedModel.load(path)


def test_same_model_names_what_differs() -> None:
    a, b = _tiny_model(), _tiny_model()
    b.weights = b.weights + 0.5
    assert same_model(a, b) == ["weights differ"]


def test_training_vectors_equal_the_vectors_scoring_computes() -> None:
    from collections import Counter

    from koshiki.checks.learned.vectorize import CountMatrix, sparse_row

    docs = [Counter({"a": 3, "b": 1}), Counter({"b": 2, "c": 1}), Counter({"a": 1, "c": 4, "d": 1})]
    matrix = CountMatrix(docs)
    columns, idf = matrix.vocabulary([0, 1, 2], min_df=2, max_features=10)
    assert [matrix.names[c] for c in columns] == ["a", "b", "c"]
    x = matrix.tfidf([0, 1, 2], columns, idf).toarray()
    index = {matrix.names[c]: i for i, c in enumerate(columns)}
    for row, doc in enumerate(docs):
        cols, vals = sparse_row(doc, index, idf)
        expected = np.zeros(len(columns))
        expected[cols] = vals
        assert x[row] == pytest.approx(expected, abs=1e-6)
