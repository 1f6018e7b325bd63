"""Koshiki's pre-publication checker for Japanese posts (Django-free).

    context = CheckContext.from_profile(get_profile("iwaki"), own_domains=["city.iwaki.lg.jp"])
    findings = check("…", platform="x", context=context)

Each finding has its category, the profile's severity, the span in the original text, a
message in Japanese and English, and the clauses of the body's guideline it applies.
"""

from .context import DEFAULT_SEVERITY, CheckContext
from .engine import MAX_CHARS, PLATFORMS, check, worst_severity
from .findings import CheckInputError, Finding

__all__ = [
    "DEFAULT_SEVERITY",
    "MAX_CHARS",
    "PLATFORMS",
    "CheckContext",
    "CheckInputError",
    "Finding",
    "check",
    "worst_severity",
]
