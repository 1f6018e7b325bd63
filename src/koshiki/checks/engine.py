"""``check()``: run every detector on a post and give each hit the profile's severity and clauses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .context import CheckContext
from .detectors.lexicon import Boundaries, find_lexicon_hits
from .detectors.links import find_link_hits
from .detectors.names import NAME_CUE, find_names
from .detectors.pii import find_pii
from .detectors.platform import LIMITS, find_platform_hits
from .detectors.posts import find_alt_text_hits, find_correction_hits
from .findings import SEVERITY_ORDER, CheckInputError, Finding, Hit
from .morph import LazyTokens
from .normalize import normalize

if TYPE_CHECKING:
    from .learned.model import LearnedModel

MAX_CHARS = 100_000  # well above any platform's limit (Facebook 63,206)
PLATFORMS = frozenset(LIMITS)


def _clean(text: str) -> str:
    """Lone surrogates cannot be encoded or shown: replace each by U+FFFD, keeping every offset.

    (A round trip through UTF-16 would join a high and a low surrogate into one character and
    shift every span after them.)"""
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _finding(hit: Hit, context: CheckContext) -> Finding:
    rule = context.rules[hit.category]
    severity = rule.severity
    if hit.severity is not None and SEVERITY_ORDER[hit.severity] < SEVERITY_ORDER[severity]:
        severity = hit.severity
    return Finding(
        category=hit.category,
        severity=severity,
        start=hit.start,
        end=hit.end,
        message_ja=hit.message_ja,
        message_en=hit.message_en,
        suggestion_ja=hit.suggestion_ja,
        suggestion_en=hit.suggestion_en,
        clauses=rule.clauses,
        detector=hit.detector,
    )


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One finding per category and span; a span inside another of the same category goes."""
    hits = sorted(hits, key=lambda h: (h.category, h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for hit in hits:
        if (
            kept
            and kept[-1].category == hit.category
            and hit.start >= kept[-1].start
            and hit.end <= kept[-1].end
            and (hit.end > hit.start or kept[-1].start == hit.start)
        ):
            continue
        kept.append(hit)
    return kept


def check(
    text: str,
    *,
    context: CheckContext,
    platform: str = "x",
    alt_texts: Sequence[str | None] = (),
    is_correction: bool = False,
    thorough: bool = False,
    learned: LearnedModel | None = None,
) -> list[Finding]:
    """Findings for one post, ordered by position; spans index the text as given.

    ``thorough`` runs morphological analysis on every sentence (bare full names without any
    cue); by default only sentences the fast pass flags are analysed, so it keeps up with typing.
    ``learned`` adds the learned tier's findings for categories the rules did not find (on save,
    submission and in bulk; the live check leaves it out to stay fast)."""
    if not isinstance(text, str):
        raise CheckInputError("本文は文字列で指定してください。 / text must be a string")
    if len(text) > MAX_CHARS:
        raise CheckInputError(
            f"本文が長すぎます（{len(text):,} 文字、上限 {MAX_CHARS:,} 文字）。 / text too long"
        )
    if platform not in PLATFORMS:
        raise CheckInputError(f"未対応のプラットフォームです: {platform} / unknown platform")
    text = _clean(text)
    normalized = normalize(text)
    lazy = LazyTokens(normalized.norm.text, thorough=thorough)
    for cue in NAME_CUE.finditer(normalized.norm.text):
        lazy.ensure(cue.start(), cue.end())
    hits: list[Hit] = []
    hits += find_pii(normalized, context)
    hits += find_names(normalized, lazy.all(), context)
    hits += find_link_hits(normalized, context)
    hits += find_lexicon_hits(normalized, Boundaries(lazy, normalized.norm))
    hits += find_platform_hits(text, platform)
    hits += find_correction_hits(normalized.norm.text, is_correction)
    hits += find_alt_text_hits(text, alt_texts)
    if learned is not None:
        from .learned.tier import find_learned_hits

        hits += find_learned_hits(text, learned, skip={h.category for h in hits})
    findings = [_finding(hit, context) for hit in _dedupe(hits)]
    return sorted(findings, key=lambda f: (f.start, f.end, f.category))


def worst_severity(findings: Sequence[Finding]) -> str | None:
    return max((f.severity for f in findings), key=SEVERITY_ORDER.__getitem__, default=None)
