"""How a post will look on each platform: its length by the platform's own rule, where the platform cuts it,
the link card of the first URL, and the hashtags, mentions and URLs to highlight (issue #13).

The limits are the checker's (detectors/platform.py LIMITS: one source of truth). Nothing here fetches a URL:
the card shows the domain and path only, because the platform takes the title when the post goes out, and a
server-side fetch of an address a user typed would let anyone make the server call any host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import regex

from .detectors.links import Link, find_links
from .detectors.platform import _HASHTAG, _X_URL_WEIGHT, LIMITS, _x_char_weight, measure

#: The order of the preview tabs.
PREVIEW_PLATFORMS = ("x", "bluesky", "threads", "instagram", "facebook", "line")
MAX_PREVIEW_CHARS = 10_000  # the composer's own limit (web ComposeForm); keeps each call in milliseconds
INSTAGRAM_FOLD = 125  # the feed shows about this many characters before 「…続きを読む」
LINE_BUBBLE = LIMITS["line"].maximum  # characters per message bubble
_GRAPHEME = regex.compile(r"\X")
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


def _units(text: str, platform: str, links: list[Link]) -> Iterator[tuple[int, int]]:
    """(start, weight) of each counted unit in order: a grapheme, or a whole URL on X (which counts 23).
    A generator, so finding the cut stops at the limit whatever the text's length."""
    position = 0
    for link in [*(links if platform == "x" else []), None]:
        stop = link.start if link is not None else len(text)
        for match in _GRAPHEME.finditer(text, position, stop):
            start, end = match.start(), match.end()
            if platform == "x":
                yield start, _x_char_weight(text[start])
            elif platform == "bluesky":
                yield start, 1
            else:
                yield start, end - start  # code points, as the checker counts them
        if link is not None:
            yield link.start, _X_URL_WEIGHT
            position = link.end


def _card(text: str, links: list[Link]) -> Card | None:
    for link in links[:1]:
        raw = text[link.start : link.end]
        parts = urlsplit(raw if link.scheme else "https://" + raw)
        return Card(domain=link.host, path=parts.path or "/")
    return None


def _spans(text: str, links: list[Link]) -> list[Span]:
    found = [Span("url", link.start, link.end) for link in links]
    taken = bytearray(len(text) + 1)
    for span in found:
        taken[span.start : span.end] = b"\x01" * (span.end - span.start)
    for kind, pattern in (("hashtag", _HASHTAG), ("mention", _MENTION)):
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if not any(taken[start:end]):
                found.append(Span(kind, start, end))
                taken[start:end] = b"\x01" * (end - start)
    return sorted(found, key=lambda s: s.start)


@dataclass(frozen=True)
class _Shared:
    """What every platform's preview of one text shares (found once for all tabs)."""

    links: list[Link]
    card: Card | None
    spans: list[Span]


def _shared(text: str) -> _Shared:
    links = list(find_links(text))
    return _Shared(links, _card(text, links), _spans(text, links))


def preview(text: str, platform: str, shared: _Shared | None = None) -> Preview:
    """The preview of ``text`` on ``platform`` (one of PREVIEW_PLATFORMS)."""
    shared = shared or _shared(text)
    limit = LIMITS[platform]
    length = measure(text, platform)
    cut_at = len(text)
    if length > limit.maximum:
        total = 0
        for start, weight in _units(text, platform, shared.links):
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
        card=shared.card,
        spans=shared.spans,
        bubbles=bubbles,
    )


def previews(text: str) -> list[Preview]:
    """Every tab's preview; links, spans and the card are found once."""
    shared = _shared(text)
    return [preview(text, platform, shared) for platform in PREVIEW_PLATFORMS]
