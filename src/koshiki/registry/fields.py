"""The limits of an account's text fields, shared by the web form and the 台帳 import.

The model's max_length (and URLField's validator) for the short fields; for the two free-text fields,
which the database does not cap, the limits below. A value the form would refuse is refused by the
import too, with its row and column.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from .models import OfficialAccount

TEXT_LIMITS = {"purpose": 1000, "reply_policy": 1000}

# 台帳 column → OfficialAccount field, for the columns that are stored as text
IMPORT_FIELDS = {
    "アカウント名": "account_name",
    "ID": "handle",
    "URL": "url",
    "目的": "purpose",
    "対象者": "audience",
    "運用時間": "operating_hours",
    "返信の方針": "reply_policy",
}


def account_formfield(name: str) -> forms.Field:
    """The form field that validates ``name``: the model's own, with the
    free-text limit where there is one."""
    extra: dict[str, Any] = {"max_length": TEXT_LIMITS[name]} if name in TEXT_LIMITS else {}
    if name == "url":
        extra["assume_scheme"] = "https"
    model_field = OfficialAccount._meta.get_field(name)
    assert isinstance(model_field, models.Field)  # a column of the account, never a reverse relation
    field = model_field.formfield(**extra)
    assert field is not None
    field.required = False
    return field
