"""Normalization with an offset map back to the original text.

Detectors work on normalized text (NFKC, full-width → ASCII, one dash between digits, kanji
numerals in digit runs → ASCII digits), but findings must highlight the ORIGINAL characters,
so every normalized character remembers the original span it came from.

A second view, ``squeezed``, also drops white space, zero-width characters and the
separators people use to dodge word lists (「ば　か」, 「ば・か」), with its own map.

Speed: only characters that NFKC changes are handled one by one; runs of stable characters
(most Japanese text) are copied whole, with their offsets as ranges.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_JOINERS = "\uff9e\uff9f\u3099\u309a"  # half-width and combining (semi-)voiced marks
_DASHES = "-‐‑‒–—―−ｰー─━➖⁃﹣－"
_DASH_SET = frozenset(_DASHES)
_KANJI_DIGITS = {
    "〇": "0",
    "○": "0",
    "零": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
_INVISIBLE = frozenset(
    {
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u00ad",
    }
)
_SQUEEZE = re.compile(
    r"[ \t\u3000・･.,、，*＊_＿~～/／|｜]+"
)  # keeps 。 and line breaks: sentences stay apart
_KANJI_DIGIT_RUN = re.compile(
    r"[〇○零一二三四五六七八九][〇○零一二三四五六七八九" + re.escape(_DASHES) + r"・･ ]*"
)
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[" + re.escape(_DASHES) + r"](?=[0-9])")


_SCANNED = [(0x80, 0x10000), (0x1D400, 0x1D800), (0x1F100, 0x1F300), (0x2F800, 0x2FA20)]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], re.Pattern[str]]:
    """One-to-one NFKC folds (full-width ASCII, half-width katakana...) as a str.translate table,
    and a pattern of the few characters that change length or compose (㈱, ｶﾞ, combining marks)."""
    table: dict[int, str] = {}
    slow: list[int] = []
    for low, high in _SCANNED:
        for cp in range(low, high):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            ch = chr(cp)
            if ch in _INVISIBLE or unicodedata.combining(ch) or ch in _JOINERS:
                slow.append(cp)
                continue
            folded = unicodedata.normalize("NFKC", ch)
            if folded == ch:
                continue
            if len(folded) == 1:
                table[cp] = folded
            else:
                slow.append(cp)
    ranges: list[str] = []
    runs: list[list[int]] = []  # consecutive code points as [first, last]
    for cp in slow:
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    for first, last in runs:
        ranges.append(re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last != first else ""))
    marks = "[" + _JOINERS + "\u0300-\u036f]"
    return table, re.compile(r"[^\n]" + marks + "+|[" + "".join(ranges) + "]")


@dataclass(frozen=True)
class View:
    """A transformed text; ``starts[i]``/``ends[i]`` give the original span of character i."""

    text: str
    starts: list[int]
    ends: list[int]

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


def _nfkc_view(text: str) -> View:
    table, slow = _tables()
    if not slow.search(text):  # the common case: every fold is one character for one
        return View(text.translate(table), list(range(len(text))), list(range(1, len(text) + 1)))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in slow.finditer(text):
        if match.start() > position:
            pieces.append(text[position : match.start()].translate(table))
            starts.extend(range(position, match.start()))
            ends.extend(range(position + 1, match.start() + 1))
        piece = match.group()
        if piece not in _INVISIBLE:
            folded = unicodedata.normalize("NFKC", piece)
            pieces.append(folded)
            starts.extend([match.start()] * len(folded))
            ends.extend([match.end()] * len(folded))
        position = match.end()
    if position < len(text):
        pieces.append(text[position:].translate(table))
        starts.extend(range(position, len(text)))
        ends.extend(range(position + 1, len(text) + 1))
    return View("".join(pieces), starts, ends)


def _fix_digits(view: View) -> View:
    """Kanji numerals in digit runs become digits; dashes between digits become '-' (same length)."""
    text = view.text
    if not any(ch in text for ch in _KANJI_DIGITS) and not _DASH_BETWEEN_DIGITS.search(text):
        return view
    chars = list(text)
    n = len(chars)
    for match in _KANJI_DIGIT_RUN.finditer(text):
        i, j = match.start(), match.end()
        run = [c for c in chars[i:j] if c in _KANJI_DIGITS]
        touches_digit = (i > 0 and chars[i - 1].isascii() and chars[i - 1].isdigit()) or (
            j < n and chars[j].isascii() and chars[j].isdigit()
        )
        if len(run) >= 4 or touches_digit:
            for k in range(i, j):
                if chars[k] in _KANJI_DIGITS:
                    chars[k] = _KANJI_DIGITS[chars[k]]
    fixed = "".join(chars)
    fixed = _DASH_BETWEEN_DIGITS.sub("-", fixed)
    return View(fixed, view.starts, view.ends)


def _squeeze(view: View) -> View:
    text = view.text
    if not _SQUEEZE.search(text):
        return view
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in _SQUEEZE.finditer(text):
        pieces.append(text[position : match.start()])
        starts.extend(view.starts[position : match.start()])
        ends.extend(view.ends[position : match.start()])
        position = match.end()
    pieces.append(text[position:])
    starts.extend(view.starts[position:])
    ends.extend(view.ends[position:])
    return View("".join(pieces), starts, ends)


def normalize(text: str) -> Normalized:
    norm = _fix_digits(_nfkc_view(text))
    return Normalized(text, norm, _squeeze(norm))
