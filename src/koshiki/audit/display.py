"""Before/after values of an entry as labelled rows for people (history panels, the audit log).

Why: an auditor reads 「アカウント名: いわき防災X」, not ``account_name``. A key's label is the model field's
verbose name when the entry's object type has that field, else the catalog's FIELD_LABELS, else the key
itself (kept in a title attribute for whoever needs the code).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from .catalog import FIELD_LABELS


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str


def field_label(object_type: str, key: str) -> str:
    """The label of ``key`` on an ``object_type`` (``app_label.modelname``) entry, in the active language."""
    if object_type:
        try:
            model = apps.get_model(object_type)
            verbose = model._meta.get_field(key).verbose_name
        except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
            verbose = None
        # Django's default verbose name is the field name with spaces: only an explicit one is a label.
        if verbose is not None and str(verbose) != key.replace("_", " "):
            return str(verbose)
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    return key


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def labelled(object_type: str, values: Any) -> list[Field]:
    """The rows of one before/after dictionary, in its own order; anything else is one unnamed row."""
    if not values:
        return []
    if not isinstance(values, dict):
        return [Field("", "", _shown(values))]
    return [Field(str(k), field_label(object_type, str(k)), _shown(v)) for k, v in values.items()]
