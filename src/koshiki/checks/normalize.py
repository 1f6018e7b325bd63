"""Normalization with an offset map back to the original text.

Detectors work on normalized text (NFKC, full-width → ASCII, one dash between digits, kanji
numerals in digit runs → ASCII digits), but findings must highlight the ORIGINAL characters,
so every normalized character remembers the original span it came from.

A second view, ``squeezed``, also drops white space, zero-width characters and the
separators people use to dodge word lists (「ば　か」, 「ば・か」), with its own map.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_JOINERS = {"\uff9e", "\uff9f", "\u3099", "\u309a"}  # half-width and combining (semi-)voiced marks
_DASHES = set("-‐‑‒–—―−ｰー─━➖⁃﹣－")
_KANJI_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                 "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202b",
              "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u00ad"}
_SQUEEZE_SEPARATORS = set("・･.,、，。*＊_＿~～/／|｜") | {"\u3000"}


@dataclass(frozen=True)
class View:
    """A transformed text; ``starts[i]``/``ends[i]`` give the original span of character i."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return position, position
        return self.starts[start], self.ends[end - 1]


@dataclass(frozen=True)
class Normalized:
    original: str
    norm: View
    squeezed: View


def _clusters(text: str) -> list[tuple[int, int]]:
    """Code point groups that NFKC may fold together: a base and its following marks."""
    spans: list[tuple[int, int]] = []
    i = 0
    length = len(text)
    while i < length:
        j = i + 1
        while j < length and (text[j] in _JOINERS or unicodedata.combining(text[j])):
            j += 1
        spans.append((i, j))
        i = j
    return spans


def _nfkc_view(text: str) -> View:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        piece = text[start:end]
        if piece in _INVISIBLE:
            continue
        folded = unicodedata.normalize("NFKC", piece)
        for ch in folded:
            chars.append(ch)
            starts.append(start)
            ends.append(end)
    return View("".join(chars), tuple(starts), tuple(ends))


def _is_digitish(ch: str) -> bool:
    return ch.isascii() and ch.isdigit()


def _fix_digits(view: View) -> View:
    """Kanji numerals inside digit runs become digits; dashes between digits become '-'."""
    chars = list(view.text)
    n = len(chars)
    # Kanji numeral runs of 2+ (〇九〇…), or next to ASCII digits/dashes, are digits.
    i = 0
    while i < n:
        if chars[i] in _KANJI_DIGITS:
            j = i
            while j < n and (chars[j] in _KANJI_DIGITS or chars[j] in _DASHES or chars[j] in "・･ "):
                j += 1
            run = [c for c in chars[i:j] if c in _KANJI_DIGITS]
            touches_digit = (i > 0 and _is_digitish(chars[i - 1])) or (j < n and _is_digitish(chars[j]))
            if len(run) >= 4 or touches_digit:
                for k in range(i, j):
                    if chars[k] in _KANJI_DIGITS:
                        chars[k] = _KANJI_DIGITS[chars[k]]
            i = j
        else:
            i += 1
    for k in range(1, n - 1):
        if chars[k] in _DASHES and _is_digitish(chars[k - 1]) and _is_digitish(chars[k + 1]):
            chars[k] = "-"
    return View("".join(chars), view.starts, view.ends)


def _squeeze(view: View) -> View:
    keep = [i for i, ch in enumerate(view.text) if not (ch.isspace() or ch in _SQUEEZE_SEPARATORS)]
    return View(
        "".join(view.text[i] for i in keep),
        tuple(view.starts[i] for i in keep),
        tuple(view.ends[i] for i in keep),
    )


def normalize(text: str) -> Normalized:
    norm = _fix_digits(_nfkc_view(text))
    return Normalized(text, norm, _squeeze(norm))
