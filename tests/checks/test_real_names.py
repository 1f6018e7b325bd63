"""Name detection on real text nobody here wrote: the stockmark NER corpus (Wikipedia, CC BY-SA 3.0)."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pytest

from koshiki.checks import CheckContext, check

from ..conftest import SEEDS_DIR

NER = SEEDS_DIR.parent / "data" / "stockmark_ner_wikipedia.json"
KANJI_NAME = re.compile(r"[\u4e00-\u9fff々]{2,6}")


@lru_cache(maxsize=1)
def _corpus() -> list[dict]:
    if not NER.exists():
        pytest.skip("shared NER corpus not present")
    return json.loads(NER.read_text(encoding="utf-8"))


def _kanji_person_names() -> list[str]:
    return sorted(
        {
            d["text"][e["span"][0] : e["span"][1]]
            for d in _corpus()
            for e in d["entities"]
            if e["type"] == "人名" and KANJI_NAME.fullmatch(d["text"][e["span"][0] : e["span"][1]])
        }
    )


@pytest.mark.parametrize(
    "template",
    ["{}さんから落とし物の届け出がありました。", "受賞者：{}様（市内在住）", "{}氏が来庁されました。"],
)
def test_real_names_in_a_notice_are_found(template: str) -> None:
    context = CheckContext.from_profile(None)
    names = _kanji_person_names()
    found = sum(
        any(f.category == "personal_info" for f in check(template.format(n), context=context)) for n in names
    )
    assert len(names) > 1000
    assert found / len(names) >= 0.90


def test_kanji_names_in_wikipedia_sentences_are_mostly_found() -> None:
    """Bare names without honorifics, as an encyclopedia writes them: the hard case, for the
    thorough mode (bulk and approval checks), which analyses every sentence."""
    context = CheckContext.from_profile(None)
    total = hit = 0
    for item in _corpus()[:2500]:
        spans = [
            e["span"]
            for e in item["entities"]
            if e["type"] == "人名" and KANJI_NAME.fullmatch(item["text"][e["span"][0] : e["span"][1]])
        ]
        if not spans:
            continue
        findings = [
            f
            for f in check(item["text"], context=context, platform="facebook", thorough=True)
            if f.category == "personal_info"
        ]
        for start, end in spans:
            total += 1
            hit += any(f.start < end and start < f.end for f in findings)
    assert hit / total >= 0.55
