"""Sudachi, loaded once per thread (its tokenizer is not thread-safe), with its dictionary shipped
by the sudachidict-core package: nothing downloads at run time."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

_local = threading.local()


@dataclass(frozen=True)
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
        from sudachipy import Dictionary

        _local.mode = __import__("sudachipy").SplitMode.C
        tokenizer = Dictionary(dict="core").tokenizer()
        _local.tokenizer = tokenizer
    return tokenizer


_CHUNK = 4000  # Sudachi refuses very long inputs; split on line breaks near this size


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
            tokens.append(Token(m.surface(), offset + m.begin(), offset + m.end(), tuple(m.part_of_speech()[:4])))
        offset = end
    return tokens
