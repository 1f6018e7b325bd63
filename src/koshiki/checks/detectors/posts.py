"""Checks about the post as a whole: corrections must say so; images need alt text."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..findings import Hit

CORRECTION_MARK = re.compile(
    r"訂正|お詫び|おわび|誤り|誤りがありました|正しくは|修正|更新しました|差し替え|誤記|誤って|correction",
    re.I,
)


def find_correction_hits(text: str, is_correction: bool) -> Iterator[Hit]:
    if is_correction and not CORRECTION_MARK.search(text):
        yield Hit(
            "correction_unmarked",
            0,
            len(text),
            "訂正の投稿であることが明記されていません。",
            "The post corrects an earlier one but does not say so.",
            "冒頭に【訂正】と書き、何をどう訂正したかを明記してください。",
            "Start with 【訂正】 and say what was corrected.",
            detector="posts",
        )


def find_alt_text_hits(text: str, alt_texts: Sequence[str | None]) -> Iterator[Hit]:
    for number, alt in enumerate(alt_texts, 1):
        if not (alt or "").strip():
            yield Hit(
                "missing_alt_text",
                len(text),
                len(text),
                f"画像{number}に代替テキストがありません。",
                f"Image {number} has no alt text.",
                "画像の内容を説明する代替テキストを入力してください。",
                "Describe the image in its alt text.",
                detector="posts",
            )
