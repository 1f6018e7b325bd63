"""Curated word lists per category (data/lexicon.yaml), matched with Aho-Corasick.

A hit must fall on morpheme boundaries, and the sentence around it decides: a warning
about rumours is not a rumour, a shrine festival as tourism is not proselytizing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick_rs
import yaml

from ..findings import Hit
from ..morph import LazyTokens
from ..normalize import Normalized, View

_SENTENCE_END = re.compile(r"[。！？!?\n]")


@dataclass(frozen=True)
class Entry:
    category: str
    term: str
    view: str
    token_boundary: bool
    unless: re.Pattern[str] | None
    requires: re.Pattern[str] | None
    pos: tuple[str, ...]
    message_ja: str
    message_en: str
    unless_post: bool = False  # look for `unless` in the whole post (awareness posts), not the sentence
    requires_post: bool = False


@dataclass(frozen=True)
class PatternRule:
    category: str
    regex: re.Pattern[str]
    message_ja: str
    message_en: str
    view: str = "norm"
    unless: re.Pattern[str] | None = None
    hint: re.Pattern[str] | None = None  # a cheap pre-check: skip the pattern when the hint is absent


@dataclass
class Lexicon:
    entries: list[Entry] = field(default_factory=list)
    patterns: list[PatternRule] = field(default_factory=list)
    matchers: dict[str, Any] = field(default_factory=dict)
    by_view: dict[str, list[Entry]] = field(default_factory=dict)


def _alternation(items: list[str] | None) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{item})" for item in items)) if items else None


def _read(name: str) -> str:
    return resources.files("koshiki.checks").joinpath(f"data/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    spec = yaml.safe_load(_read("lexicon.yaml"))
    lexicon = Lexicon()
    for rule in spec["rules"]:
        terms = list(rule.get("terms", []))
        if "terms_file" in rule:
            terms += [
                t.strip()
                for t in _read(rule["terms_file"]).splitlines()
                if t.strip() and not t.startswith("#")
            ]
        requires_for = rule.get("requires_for", {})
        pos_for = rule.get("pos_for", {})
        for term in dict.fromkeys(terms):
            lexicon.entries.append(
                Entry(
                    category=rule["category"],
                    term=term,
                    view=rule.get("view", "norm"),
                    token_boundary=rule.get("boundary", "token") == "token",
                    unless=_alternation(rule.get("unless")),
                    requires=_alternation(requires_for.get(term) or rule.get("requires")),
                    pos=tuple(pos_for.get(term, ())),
                    message_ja=rule["message_ja"],
                    message_en=rule["message_en"],
                    unless_post=rule.get("unless_scope") == "post",
                    requires_post=rule.get("requires_scope") == "post",
                )
            )
    for rule in [*spec.get("patterns", []), *spec.get("context_patterns", [])]:
        lexicon.patterns.append(
            PatternRule(
                rule["category"],
                re.compile(rule["regex"]),
                rule["message_ja"],
                rule["message_en"],
                view=rule.get("view", "norm"),
                unless=_alternation(rule.get("unless")),
                hint=re.compile(rule["hint"]) if "hint" in rule else None,
            )
        )
    masked = spec.get("masked", {})
    mask_class = "[" + re.escape(masked.get("mask_chars", "")) + "]"
    for rule in masked.get("rules", []):
        variants = [
            re.escape(term[:i]) + mask_class + re.escape(term[i + 1 :])
            for term in rule["terms"]
            for i in range(len(term))
        ]
        lexicon.patterns.append(
            PatternRule(
                rule["category"], re.compile("|".join(variants)), rule["message_ja"], rule["message_en"]
            )
        )
    for view in ("norm", "squeezed"):
        entries = [e for e in lexicon.entries if e.view == view]
        lexicon.by_view[view] = entries
        lexicon.matchers[view] = ahocorasick_rs.AhoCorasick(
            [e.term for e in entries], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
    return lexicon


@lru_cache(maxsize=16)
def _sentence_ends(text: str) -> list[int]:
    return [m.start() for m in _SENTENCE_END.finditer(text)]


def _sentence(text: str, start: int, end: int) -> str:
    ends = _sentence_ends(text)
    i = bisect.bisect_left(ends, start)
    left = ends[i - 1] + 1 if i > 0 else 0
    j = bisect.bisect_left(ends, end)
    right = ends[j] if j < len(ends) else len(text)
    return text[left:right]


class Boundaries:
    """Morpheme boundaries and the part of speech starting at each, in ORIGINAL offsets.

    Sentences are analysed on demand: most posts have no word-list hit and never need them."""

    def __init__(self, tokens: LazyTokens, view: View) -> None:
        self._lazy = tokens
        self._view = view
        self._starts: dict[int, str] = {}
        self._ends: set[int] = set()
        self._seen: set[int] = set()

    def around(self, norm_start: int, norm_end: int) -> Boundaries:
        """Make sure the sentences around this normalized span are analysed."""
        self._lazy.ensure(norm_start, norm_end)
        for key, tokens in self._lazy.by_sentence().items():
            if key in self._seen:
                continue
            self._seen.add(key)
            for token in tokens:
                if token.end > token.start:
                    o_start, o_end = self._view.original_span(token.start, token.end)
                    self._starts.setdefault(o_start, token.pos[0])
                    self._ends.add(o_end)
        return self

    @property
    def starts(self) -> dict[int, str]:
        return self._starts

    @property
    def ends(self) -> set[int]:
        return self._ends


def find_lexicon_hits(normalized: Normalized, boundaries: Boundaries) -> Iterator[Hit]:
    lexicon = load_lexicon()
    for view_name in ("norm", "squeezed"):
        view: View = getattr(normalized, view_name)
        entries = lexicon.by_view[view_name]
        if not entries or not view.text:
            continue
        for index, start, end in lexicon.matchers[view_name].find_matches_as_indexes(view.text):
            entry = entries[index]
            o_start, o_end = view.original_span(start, end)
            if entry.token_boundary or entry.pos:
                boundaries.around(*_norm_span(normalized, o_start, o_end))
            if entry.token_boundary and (o_start not in boundaries.starts or o_end not in boundaries.ends):
                continue
            if entry.pos and boundaries.starts.get(o_start) not in entry.pos:
                continue
            sentence = _sentence(normalized.norm.text, *_norm_span(normalized, o_start, o_end))
            post = normalized.norm.text
            if entry.unless is not None and entry.unless.search(post if entry.unless_post else sentence):
                continue
            if entry.requires is not None and not entry.requires.search(
                post if entry.requires_post else sentence
            ):
                continue
            yield Hit(entry.category, o_start, o_end, entry.message_ja, entry.message_en, detector="lexicon")
    for rule in lexicon.patterns:
        view = getattr(normalized, rule.view)
        if rule.hint is not None and not rule.hint.search(view.text):
            continue
        for match in rule.regex.finditer(view.text):
            if rule.unless is not None and rule.unless.search(
                _sentence(view.text, match.start(), match.end())
            ):
                continue
            o_start, o_end = view.original_span(match.start(), match.end())
            yield Hit(rule.category, o_start, o_end, rule.message_ja, rule.message_en, detector="lexicon")


def _norm_span(normalized: Normalized, o_start: int, o_end: int) -> tuple[int, int]:
    """A normalized-text span covering the original span (for sentence look-ups)."""
    starts = normalized.norm.starts
    lo = bisect.bisect_left(starts, o_start)
    hi = bisect.bisect_left(starts, o_end)
    return lo, max(lo, hi)
