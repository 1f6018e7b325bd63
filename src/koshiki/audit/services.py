"""``log_action``: the one way to write to the audit trail (after pretix's log_action)."""

from __future__ import annotations

from typing import Any

from django.db import models

from koshiki.core.request_id import current_request_id

from . import catalog
from .canonical import mask_secrets
from .chain import append, append_many
from .models import AuditEntry
from .retention import retain_free_text


def actor_name(user: Any) -> str:
    if user is None:
        return "system"
    staff = getattr(user, "staff", None)
    if staff is not None:
        return f"{staff.display_name} ({user.get_username()})"
    return str(user.get_username())


def _repr(obj: models.Model | None) -> str:
    """How the chain names the object: ``audit_repr()`` where ``str()`` would
    carry free text (a post's text)."""
    if obj is None:
        return ""
    audit_repr = getattr(obj, "audit_repr", None)
    return str(audit_repr() if callable(audit_repr) else obj)[:300]


def log_action(
    action: str,
    *,
    actor: Any,
    obj: models.Model | None = None,
    organization: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    clause: str = "",
) -> AuditEntry:
    """Record ``action`` (a dotted event code) inside the caller's transaction.

    Secret values are masked; free text that may hold personal data goes to RetainedText and the
    chain keeps a salted digest (see retention.py). The code and its fields must be declared in
    catalog.py: refused in tests and local runs, logged as an error in production (the entry is kept).
    """
    return append(
        **_entry_fields(
            action, actor=actor, obj=obj, organization=organization, before=before, after=after, clause=clause
        )
    )


def log_actions(
    action: str,
    *,
    actor: Any,
    objects: list[tuple[models.Model, dict[str, Any]]],
    befores: list[dict[str, Any]] | None = None,
) -> list[AuditEntry]:
    """One ``action`` entry per (object, after), in order, under one chain-head lock (bulk imports);
    ``befores``, when given, holds each entry's before, in the same order."""
    before_list: list[dict[str, Any] | None] = list(befores) if befores is not None else [None] * len(objects)
    return append_many(
        [
            _entry_fields(action, actor=actor, obj=obj, after=after, before=before)
            for (obj, after), before in zip(objects, before_list, strict=True)
        ]
    )


def _entry_fields(
    action: str,
    *,
    actor: Any,
    obj: models.Model | None = None,
    organization: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    clause: str = "",
) -> dict[str, Any]:
    catalog.check(action, before, after)
    if organization is None and obj is not None:
        # An entry about the body itself (its settings, its archive) belongs to that body's log.
        itself = getattr(obj, "scope_path", None) == "pk"
        organization = obj if itself else getattr(obj, "organization", None)
    organization_id = getattr(organization, "pk", None)
    return dict(
        action=action,
        organization_id=organization_id,
        organization_code=getattr(organization, "code", "") or "",
        actor_id=getattr(actor, "pk", None),
        actor_name=actor_name(actor),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_repr(obj),
        before=retain_free_text(mask_secrets(before), organization_id),
        after=retain_free_text(mask_secrets(after), organization_id),
        clause=clause,
        request_id=current_request_id(),
    )


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """Plain-JSON values of the named fields, for before/after."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[name] = value
    return out
