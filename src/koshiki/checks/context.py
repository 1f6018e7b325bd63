"""The organization's context: its profile's content rules, its own domains, its public names.

Built once per organization and reused for every check: the profile decides each
category's severity and the clauses cited beside it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from koshiki.guidelines import Profile, citations

from .findings import Severity

#: Koshiki's own severities where a guideline says nothing about a category (docs/PROFILES.md).
DEFAULT_SEVERITY: dict[str, Severity] = {
    "personal_info": "block",
    "confidential": "block",
    "security_risk": "block",
    "illegal": "block",
    "defamation": "block",
    "discrimination": "block",
    "obscene": "block",
    "political": "warn",
    "religious": "warn",
    "commercial": "warn",
    "rumor": "warn",
    "personal_opinion": "warn",
    "url_shortener": "warn",
    "third_party_link": "info",
    "platform_limit": "block",
    "correction_unmarked": "warn",
    "missing_alt_text": "warn",
}


@dataclass(frozen=True)
class CategoryRule:
    severity: Severity
    clauses: tuple[str, ...]


def _digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


@dataclass(frozen=True)
class CheckContext:
    rules: dict[str, CategoryRule]
    own_domains: tuple[str, ...] = ()
    public_texts: frozenset[str] = field(default_factory=frozenset)
    public_numbers: frozenset[str] = field(default_factory=frozenset)
    body_name: str = ""

    @classmethod
    def from_profile(
        cls, profile: Profile | None, *, own_domains: Iterable[str] = (), public: Iterable[str] = ()
    ) -> CheckContext:
        rules = {name: CategoryRule(sev, ()) for name, sev in DEFAULT_SEVERITY.items()}
        if profile is not None:
            for rule in profile.content.rules:
                rules[rule.category] = CategoryRule(rule.severity, citations(profile, rule))
            content = profile.content
            rules["url_shortener"] = CategoryRule(
                content.url_shortener.severity, citations(profile, content.url_shortener)
            )
            rules["third_party_link"] = CategoryRule(
                content.third_party_link.severity, citations(profile, content.third_party_link)
            )
            corrections = content.corrections
            if corrections.must_mark:
                rules["correction_unmarked"] = CategoryRule(
                    corrections.severity, citations(profile, corrections)
                )
        entries = [entry.strip() for entry in public if entry.strip()]
        texts: set[str] = set()
        numbers: set[str] = set()
        for entry in entries:
            for part in entry.replace("\t", " ").split(" ") + [entry]:
                folded = _fold(part)
                if folded:
                    texts.add(folded)
                digits = _digits(part)
                if len(digits) >= 7:
                    numbers.add(digits)
        return cls(
            rules=rules,
            own_domains=tuple(sorted({d.strip().lower().rstrip(".") for d in own_domains if d.strip()})),
            public_texts=frozenset(texts),
            public_numbers=frozenset(numbers),
            body_name=profile.body.name if profile else "",
        )

    def is_public_text(self, text: str) -> bool:
        return _fold(text) in self.public_texts

    def is_public_number(self, text: str) -> bool:
        return _digits(text) in self.public_numbers
