"""Features of a text for the learned tier: character n-grams and Sudachi lemmas.

Character n-grams generalize over spelling and unseen compounds; lemmas over inflection
(言わない, 言わず). Digits are folded to 0 so that every phone number or amount looks alike
to the model; the rules keep the exact detectors for them."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..morph import lemmas

_DIGITS = re.compile(r"[0-9]")
_SPACES = re.compile(r"\s+")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class FeatureConfig:
    """How a text becomes features; stored in the model file so scoring matches training."""

    char_min: int = 1
    char_max: int = 3
    words: bool = True
    word_bigrams: bool = True

    def as_dict(self) -> dict[str, object]:
        return {
            "char_min": self.char_min,
            "char_max": self.char_max,
            "words": self.words,
            "word_bigrams": self.word_bigrams,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FeatureConfig:
        return cls(
            char_min=int(str(data["char_min"])),
            char_max=int(str(data["char_max"])),
            words=bool(data["words"]),
            word_bigrams=bool(data["word_bigrams"]),
        )


def fold(text: str) -> str:
    """NFKC, lower case, links reduced to a marker, digits to 0, runs of space to one."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _URL.sub(" URL ", text)
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


def features(text: str, config: FeatureConfig) -> Counter[str]:
    """The feature counts of one text (a post, a sentence)."""
    folded = fold(text)
    counts: Counter[str] = Counter()
    padded = f"\x02{folded}\x03"
    for n in range(config.char_min, config.char_max + 1):
        for i in range(len(padded) - n + 1):
            gram = padded[i : i + n]
            if gram.strip():
                counts[gram] += 1
    if config.words and folded:
        words = lemmas(folded)
        for word in words:
            counts["\x01" + word] += 1
        if config.word_bigrams:
            for a, b in zip(words, words[1:], strict=False):
                counts[f"\x01{a}\x01{b}"] += 1
    return counts
