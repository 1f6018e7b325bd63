"""Sentences: where a learned finding points, the sentence that drives it.

The shipped model scores and is trained on whole posts (a sentence-level model measured worse,
docs/CHECKER.md); sentences only place the span, on the text as given (no offsets move)."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
_MIN_CHARS = 4  # shorter pieces (「！」, a lone hashtag) join the sentence before them


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, white space trimmed; short pieces merged into the previous."""
    spans: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if spans and end - start < _MIN_CHARS:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans or ([(0, len(text))] if text.strip() else [])
