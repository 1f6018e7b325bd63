"""Who may read which audit entries, in one place."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from .models import AuditEntry


def entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    from koshiki.orgs.permissions import can_read_audit
    from koshiki.orgs.scoping import organization_of

    if not user.is_authenticated:
        return AuditEntry.objects.none()
    if user.is_superuser:
        return AuditEntry.objects.all()
    organization = organization_of(user)
    if organization is None or not can_read_audit(user, organization):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(organization_id=organization.pk)


def history_for(user: Any, obj: Any) -> tuple[QuerySet[AuditEntry], bool]:
    """One object's history panel (account, post pages) and whether it is complete.

    Those who may read the audit log see every entry on the object; everyone else sees only the
    entries they wrote themselves, so a page they may open does not tell them who else did what
    (issue #11). Always limited to the user's own organization.
    """
    from koshiki.orgs.permissions import can_read_audit
    from koshiki.orgs.scoping import organization_of

    on_object = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
        "seq"
    )
    if not user.is_authenticated:
        return AuditEntry.objects.none(), False
    if user.is_superuser:
        return on_object, True
    organization = organization_of(user)
    if organization is None:
        return AuditEntry.objects.none(), False
    on_object = on_object.filter(organization_id=organization.pk)
    if can_read_audit(user, organization):
        return on_object, True
    return on_object.filter(actor_id=user.pk), False


def filtered(
    entries: QuerySet[AuditEntry],
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    actor_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    action: str = "",
) -> QuerySet[AuditEntry]:
    """The audit log's filters: ``start <= created_at < end``, one actor, one object, and an action
    (an exact code, or a family when it ends with a dot). Each is a plain column filter, so paging stays a
    keyset walk on the (organization_id, -seq) index."""
    if start is not None:
        entries = entries.filter(created_at__gte=start)
    if end is not None:
        entries = entries.filter(created_at__lt=end)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if object_type:
        entries = entries.filter(object_type=object_type, object_id=object_id)
    if action.endswith("."):
        entries = entries.filter(action__startswith=action)
    elif action:
        entries = entries.filter(action=action)
    return entries
