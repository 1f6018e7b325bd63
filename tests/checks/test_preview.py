"""The platform preview counts by each platform's own rule (issue #13 R): one table of texts per platform."""

from __future__ import annotations

import pytest

from koshiki.checks.detectors.platform import LIMITS
from koshiki.checks.preview import PREVIEW_PLATFORMS, preview, previews

FAMILY = "👨‍👩‍👧‍👦"  # one grapheme of seven code points (ZWJ sequence)
URL = "https://www.city.iwaki.lg.jp/www/bousai/index.html"


@pytest.mark.parametrize(
    ("platform", "text", "length"),
    [
        ("x", "hello", 5),
        ("x", "あいう", 6),  # kana count 2
        ("x", "ＡＢＣ", 6),  # full-width Latin counts 2
        ("x", FAMILY, 2),  # an emoji ZWJ sequence counts once, as 2
        ("x", f"詳細 {URL}", 2 * 2 + 1 + 23),  # any URL counts 23
        ("bluesky", "あいう", 3),
        ("bluesky", FAMILY, 1),  # graphemes
        ("bluesky", f"a{FAMILY}b", 3),
        ("threads", "あいう", 3),
        ("instagram", "abc", 3),
        ("line", "あいう", 3),
        ("facebook", "ＡＢＣ", 3),
    ],
)
def test_the_length_is_counted_by_the_platforms_rule(platform: str, text: str, length: int) -> None:
    assert preview(text, platform).length == length


def test_limits_come_from_the_checker_one_source_of_truth() -> None:
    for platform in PREVIEW_PLATFORMS:
        assert preview("a", platform).limit == LIMITS[platform].maximum
    assert LIMITS["threads"].maximum == 500


def test_x_cut_off_falls_where_the_weighted_length_passes_280() -> None:
    text = "あ" * 150  # 300 weighted
    shown = preview(text, "x")
    assert shown.over
    assert shown.visible == "あ" * 140 and shown.cut == "あ" * 10


def test_bluesky_counts_graphemes_and_never_cuts_inside_one() -> None:
    text = "a" * 299 + FAMILY + "b"
    shown = preview(text, "bluesky")
    assert shown.length == 301
    assert shown.visible == "a" * 299 + FAMILY and shown.cut == "b"


def test_a_text_within_the_limit_has_nothing_cut() -> None:
    shown = preview("本日は防災訓練です。", "x")
    assert not shown.over and shown.cut == ""


def test_instagram_folds_after_about_125_characters() -> None:
    text = "あ" * 200
    shown = preview(text, "instagram")
    assert shown.fold == 125
    assert preview("short", "instagram").fold is None


def test_line_splits_into_bubbles_of_5000_characters() -> None:
    shown = preview("あ" * 12000, "line")
    assert [len(b) for b in shown.bubbles] == [5000, 5000, 2000]
    assert shown.over and shown.cut == "あ" * 7000  # the checker flags it too: one message holds 5,000


def test_the_first_url_becomes_a_link_card_with_domain_and_path_only() -> None:
    shown = preview(f"詳細は {URL}?q=secret#top と https://example.jp/b", "x")
    assert shown.card is not None
    assert shown.card.domain == "www.city.iwaki.lg.jp"
    assert shown.card.path == "/www/bousai/index.html"


def test_hashtags_mentions_and_urls_are_marked() -> None:
    text = "#防災 訓練 @iwaki_city 詳細 https://example.jp/a"
    kinds = [(s.kind, text[s.start : s.end]) for s in preview(text, "x").spans]
    assert ("hashtag", "#防災") in kinds
    assert ("mention", "@iwaki_city") in kinds
    assert ("url", "https://example.jp/a") in kinds


def test_previews_cover_every_platform_with_its_name() -> None:
    shown = previews("テスト")
    assert [p.platform for p in shown] == list(PREVIEW_PLATFORMS)
    assert {p.name for p in shown} >= {"X", "Bluesky", "Instagram", "Facebook", "LINE", "Threads"}


def test_as_dict_is_plain_json() -> None:
    import json

    data = preview(f"#a {URL}", "x").as_dict()
    assert json.loads(json.dumps(data))["card"]["domain"] == "www.city.iwaki.lg.jp"
