"""Labelled corpora as the learned tier trains on them: texts, label sets and their writers.

The same shape serves any multi-label task (post categories here, reply triage later): a
JSON Lines file per writer with ``text``, ``writer`` and ``labels`` [{``category``}]."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Example:
    id: str
    writer: str
    text: str
    categories: frozenset[str]
    platform: str = ""

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
            )
        )
    return examples
