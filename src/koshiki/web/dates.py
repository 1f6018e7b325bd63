"""The days a filter or a calendar accepts: 2000–2100. A tired user's 9999 or a crafted 0001 would otherwise
overflow ``day + 1`` (Python dates end at 9999-12-31) into a 500; no record of Koshiki falls outside."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
OUT_OF_RANGE = _("Enter a date from the year 2000 to 2100.")


def in_range(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def validate_day(day: dt.date | None) -> None:
    """A form field validator (empty passes: the field's own ``required`` decides)."""
    if day is not None and not in_range(day):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")
