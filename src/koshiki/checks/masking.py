"""Masking personal data before a text leaves the system (issue #14: feedback exported to grow the corpus).

The rule detectors that find personal data (``pii``: phones, e-mails, マイナンバー, addresses, birth dates;
``names``: people's names) give the spans; each is replaced by a dummy of the same kind, so a corpus line
still shows *what sort of thing* stood there, and every other span of the text is moved to the masked text.
Public numbers and names the body's context lists are never findings, so they stay as written.
Reusable by anything that exports drafts (the reply triage too); Django-free.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .findings import Finding

#: The detectors whose personal_info findings are personal data to mask (the learned tier's sentence-long
#: spans are judgments about a situation, not data to replace).
MASKED_DETECTORS = frozenset({"pii", "names"})

PLACEHOLDERS = {
    "phone": "090-0000-0000",
    "email": "user@example.jp",
    "mynumber": "0000 0000 0000",
    "address": "〒000-0000 〇〇市〇〇町0-0",
    "birth": "0000年0月0日",
    "name": "〇〇",
}

#: Kept after a masked name (山田太郎さん → 〇〇さん): the honorific is no personal data and shows the role.
HONORIFICS = ("さん", "様", "さま", "氏", "くん", "君", "ちゃん", "殿")


def person_names(text: str, within: Sequence[tuple[int, int]] | None = None) -> list[Finding]:
    """Every run of tokens Sudachi tags as a person's name (姓/名), as name findings to mask. For words a
    person has said are personal data (``within``: a missed personal_info phrase) and for free notes
    (``within`` None: all of it), where the name detector's caution about false alarms does not apply."""
    from .morph import tokenize

    if within is not None and not within:
        return []
    runs: list[tuple[int, int]] = []
    for token in tokenize(text):
        if not token.is_person_name:
            continue
        if within is not None and not any(s <= token.start and token.end <= e for s, e in within):
            continue
        if runs and runs[-1][1] == token.start:
            runs[-1] = (runs[-1][0], token.end)
        else:
            runs.append((token.start, token.end))
    return [
        Finding(
            "personal_info", "block", s, e, "", "A person's name (morphological analysis).", detector="names"
        )
        for s, e in runs
    ]


def kind_of(finding: Finding) -> str:
    """Which placeholder a personal-data finding gets, from its detector and its (fixed) English message."""
    if finding.detector == "names":
        return "name"
    message = finding.message_en.lower()
    for word, kind in (
        ("e-mail", "email"),
        ("individual number", "mynumber"),
        ("phone", "phone"),
        ("birth", "birth"),
        ("address", "address"),
    ):
        if word in message:
            return kind
    return "name"


def personal_spans(findings: Iterable[Finding]) -> list[tuple[int, int, str]]:
    """The spans to mask, in order and without overlaps (the first, longest span wins)."""
    spans = sorted(
        (
            (f.start, f.end, kind_of(f))
            for f in findings
            if f.category == "personal_info" and f.detector in MASKED_DETECTORS and f.end > f.start
        ),
        key=lambda span: (span[0], -span[1]),  # at one start the longest first: its kind names the mask
    )
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if kept and start < kept[-1][1]:
            if end > kept[-1][1]:
                kept[-1] = (kept[-1][0], end, kept[-1][2])
            continue
        kept.append((start, end, kind))
    return kept


@dataclass(frozen=True)
class Masked:
    """The masked text and the replaced spans: (original start, original end, new start, new end)."""

    text: str
    replaced: tuple[tuple[int, int, int, int], ...]

    def position(self, offset: int, *, end: bool) -> int:
        """An offset of the original text in the masked one; inside a replaced span, that span's edge."""
        shift = 0
        for o_start, o_end, n_start, n_end in self.replaced:
            if offset < o_start or (end and offset == o_start):
                break
            if offset < o_end or (end and offset == o_end):
                return n_end if end else n_start
            shift = n_end - o_end
        return offset + shift

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the original text, moved to the masked text (a span touching a mask takes it whole)."""
        return self.position(start, end=False), self.position(end, end=True)


def mask(text: str, findings: Sequence[Finding]) -> Masked:
    """``text`` with each personal-data span replaced by its kind's placeholder."""
    parts: list[str] = []
    replaced: list[tuple[int, int, int, int]] = []
    cursor = 0
    length = 0
    for start, end, kind in personal_spans(findings):
        if kind == "name":
            end -= next(
                (len(h) for h in HONORIFICS if text.endswith(h, start, end) and end - len(h) > start), 0
            )
        parts.append(text[cursor:start])
        length += start - cursor
        placeholder = PLACEHOLDERS[kind]
        replaced.append((start, end, length, length + len(placeholder)))
        parts.append(placeholder)
        length += len(placeholder)
        cursor = end
    parts.append(text[cursor:])
    return Masked("".join(parts), tuple(replaced))


def occurrence(text: str, span: str, start: int) -> int:
    """The 1-based index of the match of ``span`` at ``start`` among its non-overlapping matches (the corpus
    format's ``occurrence``), counting only those that begin at or before ``start``."""
    count, at = 0, 0
    while span:
        found = text.find(span, at)
        if found == -1 or found > start:
            break
        count += 1
        at = found + len(span)
    return max(count, 1)
