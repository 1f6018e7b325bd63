"""How a post will look on each platform: its length by the platform's own rule, where the platform cuts it,
the link card of the first URL, and the hashtags, mentions and URLs to highlight (issue #13).

The limits are the checker's (detectors/platform.py LIMITS: one source of truth). Nothing here fetches a URL:
the card shows the domain and path only, because the platform takes the title when the post goes out, and a
server-side fetch of an address a user typed would let anyone make the server call any host.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import regex

from .detectors.links import find_links
from .detectors.platform import _HASHTAG, _X_URL_WEIGHT, LIMITS, _x_char_weight

#: The order of the preview tabs.
PREVIEW_PLATFORMS = ("x", "bluesky", "threads", "instagram", "facebook", "line")
INSTAGRAM_FOLD = 125  # the feed shows about this many characters before 「…続きを読む」
LINE_BUBBLE = LIMITS["line"].maximum  # characters per message bubble
_MENTION = re.compile(r"(?:^|(?<=[\s　(（「]))[@＠][A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?")


@dataclass(frozen=True)
class Span:
    kind: str  # hashtag | mention | url
    start: int
    end: int


@dataclass(frozen=True)
class Card:
    domain: str
    path: str


@dataclass(frozen=True)
class Preview:
    platform: str
    name: str
    length: int
    limit: int
    over: bool
    cut_at: int  # index in the text where the platform stops showing it (len(text) when nothing is cut)
    visible: str
    cut: str
    fold: int | None  # Instagram: the index of 「…続きを読む」, None when the whole caption shows
    card: Card | None
    spans: list[Span] = field(default_factory=list)
    bubbles: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _units(text: str, platform: str) -> list[tuple[int, int, int]]:
    """(start, end, weight) of each counted unit: a grapheme, or a whole URL on X (which counts 23)."""
    links = list(find_links(text)) if platform == "x" else []
    units: list[tuple[int, int, int]] = []
    position = 0
    for link in [*links, None]:
        stop = link.start if link is not None else len(text)
        for match in regex.finditer(r"\X", text[position:stop]):
            start, end = position + match.start(), position + match.end()
            if platform == "x":
                weight = _x_char_weight(text[start])
            elif platform == "bluesky":
                weight = 1
            else:
                weight = end - start  # code points, as the checker counts them
            units.append((start, end, weight))
        if link is not None:
            units.append((link.start, link.end, _X_URL_WEIGHT))
            position = link.end
    return units


def _card(text: str) -> Card | None:
    for link in find_links(text):
        raw = text[link.start : link.end]
        parts = urlsplit(raw if link.scheme else "https://" + raw)
        return Card(domain=link.host, path=parts.path or "/")
    return None


def _spans(text: str) -> list[Span]:
    found = [Span("url", link.start, link.end) for link in find_links(text)]
    taken = [(s.start, s.end) for s in found]

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for kind, pattern in (("hashtag", _HASHTAG), ("mention", _MENTION)):
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                found.append(Span(kind, match.start(), match.end()))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda s: s.start)


def preview(text: str, platform: str) -> Preview:
    """The preview of ``text`` on ``platform`` (one of PREVIEW_PLATFORMS)."""
    limit = LIMITS[platform]
    units = _units(text, platform)
    length = sum(weight for _, _, weight in units)
    cut_at, total = len(text), 0
    for start, _end, weight in units:
        if total + weight > limit.maximum:
            cut_at = start
            break
        total += weight
    fold = INSTAGRAM_FOLD if platform == "instagram" and len(text) > INSTAGRAM_FOLD else None
    bubbles = (
        [text[i : i + LINE_BUBBLE] for i in range(0, len(text), LINE_BUBBLE)] if platform == "line" else []
    )
    return Preview(
        platform=platform,
        name=limit.name,
        length=length,
        limit=limit.maximum,
        over=length > limit.maximum,
        cut_at=cut_at,
        visible=text[:cut_at],
        cut=text[cut_at:],
        fold=fold,
        card=_card(text),
        spans=_spans(text),
        bubbles=bubbles,
    )


def previews(text: str) -> list[Preview]:
    return [preview(text, platform) for platform in PREVIEW_PLATFORMS]
