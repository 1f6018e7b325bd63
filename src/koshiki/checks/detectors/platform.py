"""Platform length limits: X's weighted count, Bluesky graphemes, Instagram hashtags, LINE, Facebook,
Threads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from ..findings import Hit
from .links import find_links

_HASHTAG = re.compile(r"(?:^|(?<=[\s　]))[#＃][^\s#＃　]+")
# twitter-text v3: these ranges weigh 1 (of 2 units per 'character'); everything else weighs 2.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_X_URL_WEIGHT = 23


@dataclass(frozen=True)
class Limit:
    name: str
    maximum: int
    unit_ja: str
    unit_en: str


LIMITS = {
    "x": Limit("X", 280, "（全角は2として）文字", "weighted characters"),
    "bluesky": Limit("Bluesky", 300, "文字（書記素）", "graphemes"),
    "instagram": Limit("Instagram", 2200, "文字", "characters"),
    "facebook": Limit("Facebook", 63206, "文字", "characters"),
    "line": Limit("LINE", 5000, "文字", "characters"),
    "threads": Limit("Threads", 500, "文字", "characters"),
}
INSTAGRAM_MAX_HASHTAGS = 30


def _x_char_weight(ch: str) -> int:
    code = ord(ch)
    return 1 if any(lo <= code <= hi for lo, hi in _X_LIGHT_RANGES) else 2


def x_weighted_length(text: str) -> int:
    """twitter-text's weighted length: URLs count 23, CJK and emoji 2, Latin 1."""
    total = 0
    position = 0
    for link in find_links(text):
        total += sum(_x_char_weight(ch) for ch in _graphemes_as_chars(text[position : link.start]))
        total += _X_URL_WEIGHT
        position = link.end
    total += sum(_x_char_weight(ch) for ch in _graphemes_as_chars(text[position:]))
    return total


def _graphemes_as_chars(text: str) -> list[str]:
    """Emoji sequences (ZWJ, skin tones, flags) count once, by their first code point."""
    return [cluster[0] for cluster in regex.findall(r"\X", text)]


def grapheme_length(text: str) -> int:
    return len(regex.findall(r"\X", text))


def measure(text: str, platform: str) -> int:
    if platform == "x":
        return x_weighted_length(text)
    if platform == "bluesky":
        return grapheme_length(text)
    return len(text)


def find_platform_hits(text: str, platform: str) -> Iterator[Hit]:
    limit = LIMITS.get(platform)
    if limit is None:
        return
    length = measure(text, platform)
    if length > limit.maximum:
        yield Hit(
            "platform_limit",
            0,
            len(text),
            f"{limit.name} の上限 {limit.maximum} {limit.unit_ja}を超えています（{length}）。",
            f"Over {limit.name}'s limit of {limit.maximum} {limit.unit_en} ({length}).",
            "文章を短くするか、分割してください。",
            "Shorten or split the post.",
            detector="platform",
        )
    if platform == "instagram":
        tags = _HASHTAG.findall(text)
        if len(tags) > INSTAGRAM_MAX_HASHTAGS:
            yield Hit(
                "platform_limit",
                0,
                len(text),
                f"Instagram のハッシュタグは {INSTAGRAM_MAX_HASHTAGS} 個までです（{len(tags)} 個）。",
                f"Instagram allows {INSTAGRAM_MAX_HASHTAGS} hashtags ({len(tags)}).",
                detector="platform",
            )
