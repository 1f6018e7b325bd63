"""The learned tier's findings: categories the rules missed, pointed at the sentence that drives them."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..findings import Hit
from .model import LearnedModel
from .sentences import sentence_spans
from .vectorize import FloatArray

LABELS: dict[str, tuple[str, str]] = {
    "personal_info": ("個人の事情・個人情報", "personal information"),
    "confidential": ("秘密・未公表の情報", "confidential or unannounced information"),
    "security_risk": ("セキュリティ上の情報", "security-sensitive information"),
    "illegal": ("法令違反", "something unlawful"),
    "defamation": ("誹謗中傷", "defamation"),
    "discrimination": ("差別的な表現", "discriminatory wording"),
    "political": ("政治的な内容", "political content"),
    "religious": ("宗教的な内容", "religious content"),
    "commercial": ("営利目的の宣伝", "commercial promotion"),
    "obscene": ("わいせつな表現", "obscene wording"),
    "rumor": ("噂・未確認の情報", "rumour or unconfirmed information"),
    "personal_opinion": ("個人的な意見・私生活", "personal opinion or private life"),
}


#: Below this score a learned finding asks for acknowledgement (warn) even where the profile
#: blocks the category: a model's guess alone does not stop a post. At or above, the profile decides.
FIRM_SCORE = 0.9
_SUGGESTION_JA = "この文がガイドラインに反しないか確認してください。問題がなければ理由を記録して進めます。"
_SUGGESTION_EN = "Check this sentence against the guideline; if it is fine, record why and go on."


class SentenceScores:
    """Each sentence's scores for every category, computed once on first need and shared by every
    flagged category: placing the spans costs one scoring per sentence, not one per sentence and
    category (a long post of thousands of sentences flagged in many categories stays linear)."""

    def __init__(self, model: LearnedModel, text: str) -> None:
        self.model = model
        self.text = text
        self.spans = sentence_spans(text)
        self._scores: FloatArray | None = None

    def best(self, category: str) -> tuple[int, int]:
        """The sentence whose own score for ``category`` is highest: the span shown to staff."""
        if len(self.spans) <= 1:
            return self.spans[0] if self.spans else (0, len(self.text))
        if self._scores is None:
            self._scores = np.vstack([self.model.scores(self.text[s:e]) for s, e in self.spans])
        column = self.model.categories.index(category)
        return self.spans[int(np.argmax(self._scores[:, column]))]


def best_sentence(model: LearnedModel, text: str, category: str) -> tuple[int, int]:
    """The sentence whose own score for ``category`` is highest: the span shown to staff."""
    return SentenceScores(model, text).best(category)


def find_learned_hits(text: str, model: LearnedModel, *, skip: Iterable[str] = ()) -> list[Hit]:
    """A hit per category the model flags, except those in ``skip`` (the rules found them already)."""
    skipped = set(skip)
    hits: list[Hit] = []
    sentences = SentenceScores(model, text)
    for category, score in model.flagged(text).items():
        if category in skipped:
            continue
        start, end = sentences.best(category)
        label_ja, label_en = LABELS.get(category, (category, category))
        percent = round(score * 100)
        hits.append(
            Hit(
                category=category,
                start=start,
                end=end,
                message_ja=(
                    f"文脈から{label_ja}にあたる可能性があります（学習モデルの判定、スコア {percent}%）。"
                ),
                message_en=f"In context this may be {label_en} (learned model, score {percent}%).",
                suggestion_ja=_SUGGESTION_JA,
                suggestion_en=_SUGGESTION_EN,
                detector="learned",
                severity=None if score >= FIRM_SCORE else "warn",
            )
        )
    return hits
