"""The platform preview's tab list for templates (issue #13 R): names from the checker's LIMITS."""

from __future__ import annotations

from django import template

from koshiki.checks.detectors.platform import LIMITS
from koshiki.checks.preview import PREVIEW_PLATFORMS

register = template.Library()


@register.simple_tag
def preview_platforms() -> list[tuple[str, str]]:
    return [(p, LIMITS[p].name) for p in PREVIEW_PLATFORMS]
