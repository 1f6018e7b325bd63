"""Labelled corpora as the learned tier trains on them: texts, label sets and their writers.

The same shape serves any multi-label task (post categories here, reply triage later): a
JSON Lines file per writer with ``text``, ``writer`` and ``labels`` [{``category``}]."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Example:
    id: str
    writer: str
    text: str
    categories: frozenset[str]
    platform: str = ""
    spans: tuple[tuple[str, int, int], ...] = ()  # (category, start, end) in ``text``

    @property
    def clean(self) -> bool:
        return not self.categories


def read_jsonl(path: Path, *, writer: str | None = None) -> list[Example]:
    """Examples of one file; ``writer`` overrides the file's own field (older corpora lack it)."""
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        examples.append(
            Example(
                id=str(row.get("id", f"{path.name}:{number}")),
                writer=writer or str(row["writer"]),
                text=str(row["text"]),
                categories=frozenset(str(label["category"]) for label in row.get("labels", [])),
                platform=str(row.get("platform", "")),
                spans=tuple(_spans(str(row["text"]), row.get("labels", []))),
            )
        )
    return examples


def _spans(text: str, labels: list[dict[str, object]]) -> list[tuple[str, int, int]]:
    """Each label's span as offsets (the ``occurrence``-th match); a label without one covers the text."""
    out = []
    for label in labels:
        span = str(label.get("span") or "")
        start = -1
        if span:
            for _ in range(int(str(label.get("occurrence", 1)))):
                start = text.find(span, start + 1)
        if start < 0:
            out.append((str(label["category"]), 0, len(text)))
        else:
            out.append((str(label["category"]), start, start + len(span)))
    return out


def read_corpora(paths: Iterable[Path]) -> list[Example]:
    examples: list[Example] = []
    for path in sorted(paths):
        examples += read_jsonl(path)
    return examples


def label_matrix(examples: Sequence[Example], categories: Sequence[str]) -> list[list[int]]:
    """One row per example, one 0/1 column per category (categories outside the list are ignored)."""
    return [[int(c in e.categories) for c in categories] for e in examples]


def clean_for(example: Example, categories: Sequence[str]) -> bool:
    """No label among ``categories``: a flag from the learned tier on it is a false alarm."""
    return not (example.categories & set(categories))
