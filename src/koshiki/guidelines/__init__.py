"""Guideline profiles: each body's social media guideline as data (Django-free)."""

from .catalog import UnknownProfile, get_profile, profile_paths
from .citing import citations, cite
from .coverage import CoverageReport, build_coverage
from .loader import ProfileError, ProfileIssue, check_quotes, load_profile, parse_profile
from .rules import iter_rules, rule_by_id
from .schema import CONTENT_CATEGORIES, Profile

__all__ = [
    "CONTENT_CATEGORIES",
    "CoverageReport",
    "Profile",
    "ProfileError",
    "ProfileIssue",
    "UnknownProfile",
    "build_coverage",
    "check_quotes",
    "cite",
    "citations",
    "get_profile",
    "iter_rules",
    "load_profile",
    "parse_profile",
    "profile_paths",
    "rule_by_id",
]
