"""Who may read which audit entries, in one place."""

from __future__ import annotations

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
