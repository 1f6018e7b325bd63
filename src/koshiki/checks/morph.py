"""Sudachi, loaded once per thread (its tokenizer is not thread-safe), with its dictionary shipped
by the sudachidict-core package: nothing downloads at run time."""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass
from typing import Any

_local = threading.local()


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    start: int
    end: int
    pos: tuple[str, ...]

    @property
    def is_person_name(self) -> bool:
        return self.pos[:3] == ("名詞", "固有名詞", "人名")

    @property
    def is_surname(self) -> bool:
        return self.is_person_name and self.pos[3] == "姓"

    @property
    def is_given_name(self) -> bool:
        return self.is_person_name and self.pos[3] == "名"


def _tokenizer() -> Any:
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary, SplitMode

        dictionary = Dictionary(dict="core")
        _local.mode = SplitMode.C
        _local.pos = {}
        _local.dictionary = dictionary
        tokenizer = dictionary.tokenizer()
        _local.tokenizer = tokenizer
    return tokenizer


def _pos(pos_id: int) -> tuple[str, ...]:
    """Part-of-speech tuples by id, cached: asking Sudachi for each morpheme's strings is slow."""
    cache: dict[int, tuple[str, ...]] = _local.pos
    pos = cache.get(pos_id)
    if pos is None:
        pos = tuple(_local.dictionary.pos_of(pos_id)[:4])
        cache[pos_id] = pos
    return pos


_CHUNK = 4000  # Sudachi refuses very long inputs; split on line breaks near this size
_SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?\n]?")


class LazyTokens:
    """Morphemes of the sentences that need them, tokenized on first request and kept.

    The fast pass decides which sentences need Sudachi (a name cue, a word-list hit);
    ``thorough`` tokenizes the whole text at once (bulk checks, approval screens)."""

    def __init__(self, text: str, *, thorough: bool = False) -> None:
        self.text = text
        self._spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]
        self._starts = [s for s, _ in self._spans]
        self._done: set[int] = set()
        self._tokens: dict[int, list[Token]] = {}
        if thorough:
            self._tokens[-1] = tokenize(text)
            self._done = set(range(len(self._spans)))

    def _sentence_indexes(self, start: int, end: int) -> list[int]:
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        last = bisect.bisect_left(self._starts, max(end, start + 1))
        return [
            i
            for i in range(first, last)
            if self._spans[i][0] < max(end, start + 1) and start < self._spans[i][1]
        ]

    def ensure(self, start: int, end: int) -> None:
        for index in self._sentence_indexes(start, end):
            if index not in self._done:
                s, e = self._spans[index]
                self._tokens[index] = [
                    Token(t.surface, t.start + s, t.end + s, t.pos) for t in tokenize(self.text[s:e])
                ]
                self._done.add(index)

    def by_sentence(self) -> dict[int, list[Token]]:
        return self._tokens

    def all(self) -> list[Token]:
        """Every token tokenized so far, in text order."""
        return sorted((t for tokens in self._tokens.values() for t in tokens), key=lambda t: t.start)


def tokenize(text: str) -> list[Token]:
    tokenizer = _tokenizer()
    mode = _local.mode
    tokens: list[Token] = []
    offset = 0
    while offset < len(text):
        end = min(len(text), offset + _CHUNK)
        if end < len(text):
            cut = text.rfind("\n", offset, end)
            end = cut + 1 if cut > offset else end
        chunk = text[offset:end]
        for m in tokenizer.tokenize(chunk, mode):
            begin, end_ = m.begin(), m.end()
            tokens.append(
                Token(chunk[begin:end_], offset + begin, offset + end_, _pos(m.part_of_speech_id()))
            )
        offset = end
    return tokens


_SKIP_POS = frozenset({"補助記号", "空白"})


def lemmas(text: str) -> list[str]:
    """Normalized forms of the short-unit words (Sudachi mode A), punctuation and spaces left out.

    The learned tier's word features: 行なう and 行う, 出来る and できる count as one word."""
    tokenizer = _tokenizer()
    from sudachipy import SplitMode

    out: list[str] = []
    for offset in range(0, len(text), _CHUNK):
        for m in tokenizer.tokenize(text[offset : offset + _CHUNK], SplitMode.A):
            if _pos(m.part_of_speech_id())[0] not in _SKIP_POS:
                out.append(m.normalized_form())
    return out
