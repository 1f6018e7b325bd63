"""Separation of duties (four-eyes): the rule cited when a guideline says nothing about it.

Nobody approves their own post or account request, overrides a finding on their own post, or confirms a
role they granted themselves. Where a profile cites a clause for this, that clause is cited instead.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def default_rule() -> str:
    """The citation shown with a four-eyes refusal when the guideline is silent."""
    return _("four-eyes principle (Koshiki's default where the guideline is silent)")
