"""Accessibility helpers for templates (issue #13): an error summary that links each error to its field.

Django (5.x) already marks an invalid widget ``aria-invalid`` and points its ``aria-describedby`` at the
field's error list (``<id>_error``); the summary at the top of the form is what takes the focus after a
refused submit (static/koshiki/a11y.js), so a screen-reader user hears what went wrong and can jump to it."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("koshiki/_error_summary.html")
def error_summary(form: Any) -> dict[str, Any]:
    """The fields with errors (label and the widget's id; each message stays beside its field, which the
    field's aria-describedby points at) and the number of form-wide errors (the form shows those itself)."""
    fields: list[dict[str, Any]] = []
    general: list[str] = []
    if getattr(form, "is_bound", False) and form.errors:
        for field in form:
            if field.errors and not field.is_hidden:
                fields.append(
                    {
                        "id": field.id_for_label or field.auto_id,
                        "label": field.label,
                        "errors": list(field.errors),
                    }
                )
        general = list(form.non_field_errors())
    return {"fields": fields, "general": general, "count": len(fields) + len(general)}
