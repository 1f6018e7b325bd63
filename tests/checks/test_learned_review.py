"""Review of the learned tier (issue #14 V): hostile text, damaged or swapped model files, offsets."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from koshiki.checks import CheckContext, check
from koshiki.checks.learned import ModelFileError, default_model
from koshiki.checks.learned import model as model_module
from koshiki.checks.learned.corpus import Example
from koshiki.checks.learned.features import FeatureConfig
from koshiki.checks.learned.model import LearnedModel
from koshiki.checks.learned.tier import find_learned_hits
from koshiki.checks.learned.training import TrainConfig, fit


def _tiny_model(categories: tuple[str, ...] = ("illegal", "rumor")) -> LearnedModel:
    rows = [
        ("違法な賭博をしよう", {"illegal"}),
        ("賭博で稼ごう", {"illegal"}),
        ("図書館は休館です", set()),
        ("噂では閉鎖らしい", {"rumor"}),
        ("賭けごとで儲けよう", {"illegal"}),
        ("ごみ収集日の変更", set()),
    ]
    examples = [Example(str(i), f"w{i % 2}", t, frozenset(c)) for i, (t, c) in enumerate(rows)]
    return fit(examples, list(categories), TrainConfig(features=FeatureConfig(words=False), min_df=1))


# --- the save path's time: the span search ---


def test_the_span_search_scores_each_sentence_once_however_many_categories_flag(monkeypatch) -> None:
    model = _tiny_model()
    model.thresholds[:] = 0.0  # every category flags: the worst case for the span search
    text = "違法な賭博をしよう。" * 40
    calls: list[str] = []
    real = model_module.features

    def counting(piece: str, config: FeatureConfig):  # type: ignore[no-untyped-def]
        calls.append(piece)
        return real(piece, config)

    monkeypatch.setattr(model_module, "features", counting)
    hits = find_learned_hits(text, model)
    assert len(hits) == 2
    assert len(calls) <= 1 + 40  # the whole post once, then each sentence once (not once per category)


# --- offsets index the text as given ---


def test_a_split_surrogate_pair_keeps_every_offset(iwaki_context: CheckContext) -> None:
    text = "\ud83d\ude00連絡は 090-1234-5678 まで"  # two lone surrogates that together would make one emoji
    (finding,) = check(text, context=iwaki_context)
    assert text[finding.start : finding.end] == "090-1234-5678"


# --- a damaged or swapped model file ---


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rewrite(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return out.getvalue()


def _weights_of_wrong_shape(m: dict[str, bytes]) -> None:
    m["weights.npy"] = _npy(np.zeros((2, 3), np.float16))


def _nan_weights(m: dict[str, bytes]) -> None:
    weights = np.load(io.BytesIO(m["weights.npy"]))
    weights[0, 0] = np.nan
    m["weights.npy"] = _npy(weights)


def _nan_threshold(m: dict[str, bytes]) -> None:
    m["thresholds.npy"] = _npy(np.array([np.nan, 0.5], np.float32))


def _text_array(m: dict[str, bytes]) -> None:
    m["bias.npy"] = _npy(np.array(["a", "b"]))


def _garbage_array(m: dict[str, bytes]) -> None:
    m["idf.npy"] = b"\x93NUMPY garbage"


def _vocabulary_not_utf8(m: dict[str, bytes]) -> None:
    m["vocabulary.txt"] = b"\xff\xfe\x00"


def _header_not_an_object(m: dict[str, bytes]) -> None:
    m["header.json"] = b"[]"


def _feature_config_out_of_range(m: dict[str, bytes]) -> None:
    header = json.loads(m["header.json"])
    header["config"]["char_max"] = 10_000  # every text would cost millions of n-grams
    m["header.json"] = json.dumps(header).encode()


def _categories_repeated(m: dict[str, bytes]) -> None:
    header = json.loads(m["header.json"])
    header["categories"] = ["illegal", "illegal"]
    m["header.json"] = json.dumps(header).encode()


DAMAGE: dict[str, Callable[[dict[str, bytes]], None]] = {
    "weights of the wrong shape": _weights_of_wrong_shape,
    "NaN weights": _nan_weights,
    "NaN threshold": _nan_threshold,
    "an array of text": _text_array,
    "an array that is not NumPy": _garbage_array,
    "vocabulary not UTF-8": _vocabulary_not_utf8,
    "header not an object": _header_not_an_object,
    "n-grams out of range": _feature_config_out_of_range,
    "a category twice": _categories_repeated,
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_model_file_is_refused_as_a_model_file_error(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "m.model"
    _tiny_model().save(path)
    members = _members(path)
    DAMAGE[damage](members)
    _rewrite(path, members)
    with pytest.raises(ModelFileError):
        LearnedModel.load(path)


def test_a_model_file_member_that_would_inflate_past_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "m.model"
    _tiny_model().save(path)
    members = _members(path)
    members["vocabulary.txt"] += b"\n" + b"x" * 5_000  # compresses to almost nothing
    _rewrite(path, members)
    monkeypatch.setattr(model_module, "MAX_MEMBER_BYTES", 4_000)
    with pytest.raises(ModelFileError, match="vocabulary.txt"):
        LearnedModel.load(path)


def test_a_model_file_compressed_other_than_by_deflate_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.model"
    _tiny_model().save(path)
    _rewrite(path, _members(path), compression=zipfile.ZIP_BZIP2)  # no bound on what one read inflates to
    with pytest.raises(ModelFileError):
        LearnedModel.load(path)


def test_a_swapped_model_whose_categories_the_checker_does_not_know_is_refused(tmp_path: Path) -> None:
    from koshiki.checks.learned import load_post_model

    path = tmp_path / "m.model"
    _tiny_model(("illegal", "gossip")).save(path)
    assert LearnedModel.load(path).categories == ("illegal", "gossip")  # a valid model, of another task
    with pytest.raises(ModelFileError, match="gossip"):
        load_post_model(path)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00\x01\x02\x03\x1b[31m",
        "a\ud800b\udfff",
        "👩🏽‍💻👨‍👩‍👧" * 30,
        "\u202eabc\u202c",
        "\u200b" * 50,
        "\n" * 1000,
        "\ufdfa" * 500,  # NFKC makes each 18 characters
        "あ" * 20_000,  # no sentence end at all
    ],
)
def test_odd_input_gets_learned_spans_inside_the_text_as_given(
    text: str, iwaki_context: CheckContext
) -> None:
    for finding in check(text, context=iwaki_context, learned=default_model()):
        assert 0 <= finding.start <= finding.end <= len(text)
