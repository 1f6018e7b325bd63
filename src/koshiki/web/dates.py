"""The days a filter or a calendar accepts: 2000–2100. A tired user's 9999 or a crafted 0001 would otherwise
overflow ``day + 1`` (Python dates end at 9999-12-31) into a 500; no record of Koshiki falls outside."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
OUT_OF_RANGE = _("Enter a date from the year 2000 to 2100.")
DATE_ERROR = _("Enter the date as YYYY-MM-DD (e.g. 2026-04-01).")


def in_range(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def validate_day(day: dt.date | None) -> None:
    """A form field validator (empty passes: the field's own ``required`` decides)."""
    if day is not None and not in_range(day):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


def day_field(label: Any) -> forms.DateField:
    """An optional filter day typed as YYYY-MM-DD (a date picker where the browser has one), 2000–2100."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_ERROR},
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_day],
    )


class TiedErrorsForm(forms.Form):
    """A filter form whose errors are tied to their fields for screen readers: the template gives each
    field's error text the id ``<error_prefix>-<name>-error``."""

    error_prefix = "filter"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self.error_prefix}-{name}-error"}
                )
