"""``log_action``: the one way to write to the audit trail (after pretix's log_action)."""

from __future__ import annotations

from typing import Any

from django.db import models

from koshiki.core.request_id import current_request_id

from .canonical import mask_secrets
from .chain import append, append_many
from .models import AuditEntry


def actor_name(user: Any) -> str:
    if user is None:
        return "system"
    staff = getattr(user, "staff", None)
    if staff is not None:
        return f"{staff.display_name} ({user.get_username()})"
    return str(user.get_username())


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
    """Record ``action`` (a dotted event code) inside the caller's transaction."""
    return append(**_entry_fields(action, actor=actor, obj=obj, organization=organization, before=before,
                                  after=after, clause=clause))


def log_actions(action: str, *, actor: Any, objects: list[tuple[models.Model, dict[str, Any]]]) -> list[AuditEntry]:
    """One ``action`` entry per (object, after), in order, under one chain-head lock (bulk imports)."""
    return append_many([_entry_fields(action, actor=actor, obj=obj, after=after) for obj, after in objects])


def _entry_fields(action: str, *, actor: Any, obj: models.Model | None = None, organization: Any = None,
                  before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                  clause: str = "") -> dict[str, Any]:
    if organization is None and obj is not None:
        organization = getattr(obj, "organization", None)
    return dict(
        action=action,
        organization_id=getattr(organization, "pk", None),
        organization_code=getattr(organization, "code", "") or "",
        actor_id=getattr(actor, "pk", None),
        actor_name=actor_name(actor),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=mask_secrets(before),
        after=mask_secrets(after),
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
