"""The writers' training corpus (issue #14) stays well-formed: every span is in its text, every label is a
checker category, ids are unique, and each file is its writer's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from koshiki.checks.context import DEFAULT_SEVERITY

WRITERS = Path(__file__).parent / "corpus" / "writers"
PLATFORMS = {"x", "bluesky", "instagram", "facebook", "line", "threads", "youtube"}


def _posts(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


FOLDERS = sorted(p for p in WRITERS.iterdir() if p.is_dir())
BLIND = Path(__file__).parent / "corpus" / "blind"


def test_at_least_six_writers_and_five_thousand_posts() -> None:
    assert len(FOLDERS) >= 6
    assert sum(len(_posts(f)) for f in FOLDERS) >= 5000


@pytest.mark.parametrize("folder", [*FOLDERS, BLIND], ids=[*(f.name for f in FOLDERS), "blind"])
def test_each_post_is_well_formed(folder: Path) -> None:
    categories = set(DEFAULT_SEVERITY)
    json.loads((folder / "context.json").read_text(encoding="utf-8"))
    problems = []
    for post in _posts(folder):
        where = post.get("id", "?")
        if post.get("writer") != folder.name or not str(where).startswith(f"{folder.name}-"):
            problems.append(f"{where}: not {folder.name}'s")
        if post.get("platform") not in PLATFORMS:
            problems.append(f"{where}: platform {post.get('platform')}")
        for label in post.get("labels", []):
            if label["category"] not in categories:
                problems.append(f"{where}: category {label['category']}")
            if label["category"] == "missing_alt_text":
                continue
            if post["text"].count(label["span"]) < label.get("occurrence", 1) or not label["span"]:
                problems.append(f"{where}: span {label['span']!r} not in the text")
    assert problems == []


def test_ids_are_unique_across_writers() -> None:
    ids = [post["id"] for folder in [*FOLDERS, BLIND] for post in _posts(folder)]
    assert len(ids) == len(set(ids))
