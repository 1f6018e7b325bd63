"""Plain-text rendering of findings for the terminal: the post with spans marked, then the list."""

from __future__ import annotations

from collections.abc import Sequence

from .findings import Finding

SEVERITY_LABEL = {"block": "禁止 BLOCK", "warn": "注意 WARN", "info": "参考 INFO"}


def marked_text(text: str, findings: Sequence[Finding]) -> str:
    """⟦…⟧ around every span, with the finding's number; overlapping spans are nested in order."""
    inserts: list[tuple[int, int, str]] = []
    for number, finding in enumerate(findings, 1):
        if finding.end > finding.start and not (finding.start == 0 and finding.end == len(text)):
            inserts.append((finding.start, 1, "⟦"))
            inserts.append((finding.end, 0, f"⟧{number}"))
    out = text
    for position, _, mark in sorted(inserts, key=lambda item: (item[0], item[1]), reverse=True):
        out = out[:position] + mark + out[position:]
    return out


def render_text(text: str, findings: Sequence[Finding]) -> str:
    lines = [marked_text(text, findings), ""]
    if not findings:
        lines.append("問題は見つかりませんでした。 / No findings.")
    for number, finding in enumerate(findings, 1):
        span = text[finding.start : finding.end]
        shown = span if len(span) <= 40 else span[:37] + "…"
        citation = " ".join(finding.clauses) or "（ガイドラインに定めなし・Koshiki 既定）"
        lines.append(f"{number}. [{SEVERITY_LABEL[finding.severity]}] {finding.category} {citation}")
        lines.append(f"   「{shown}」 ({finding.start}-{finding.end}) {finding.message_ja}")
        if finding.suggestion_ja:
            lines.append(f"   → {finding.suggestion_ja}")
    return "\n".join(lines)
