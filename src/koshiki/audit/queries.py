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
