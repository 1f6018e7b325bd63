"""The one way to cite a rule to staff or in the audit log.

A rule the guideline is silent on (``silent: true``) runs on Koshiki's documented default and is
never shown with a clause, even if the profile noted one; callers that must say so pass ``default``.
"""

from __future__ import annotations

from .schema import Cited, Profile


def cite(profile: Profile, rule: Cited | None, default: str = "") -> str:
    """「<body> <clause>」 for a cited rule; ``default`` where the rule is missing or silent."""
    if rule is None or rule.silent or not rule.clause:
        return default
    return profile.cite(rule.clause)


def citations(profile: Profile, rule: Cited | None) -> tuple[str, ...]:
    """The rule's clause and every further clause it carries out; none where the guideline is silent."""
    if rule is None or rule.silent:
        return ()
    return tuple(profile.cite(c) for c in (rule.clause, *rule.also) if c)
