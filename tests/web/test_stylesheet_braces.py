"""koshiki.css is well formed: every block closes (issue #14 A found an @media (max-width: 720px) block of the
calendar left open, so every rule appended after it, the accessibility and bulk-approve styles too, applied
only on narrow screens)."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "src" / "koshiki" / "web" / "static" / "koshiki" / "koshiki.css"


def test_every_block_of_the_stylesheet_closes_and_comments_sit_at_the_top_level() -> None:
    text = CSS.read_text(encoding="utf-8")
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        code = re.sub(r"/\*.*?\*/", "", line)
        if "/*" in line and depth:
            raise AssertionError(f"line {number}: a section comment inside an open block (depth {depth})")
        depth += code.count("{") - code.count("}")
        assert depth >= 0, f"line {number}: a brace closes nothing"
    assert depth == 0, f"{depth} block(s) left open at the end"
