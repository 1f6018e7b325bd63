"""What a user may do in an organization. Roles come from the body's profile."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from koshiki.core.errors import NotPermitted
from koshiki.guidelines.permissions import roles_with

from .models import Organization, RoleAssignment
from .profiles import profile_for
from .scoping import staff_of


def holds_role(user: Any, organization: Organization, role_ids: frozenset[str] | set[str]) -> bool:
    staff = staff_of(user)
    if staff is None or staff.organization_id != organization.pk:
        return False
    return RoleAssignment.objects.current().filter(staff=staff, role_id__in=role_ids).exists()


def can_manage_org(user: Any, organization: Organization) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    staff = staff_of(user)
    return staff is not None and staff.organization_id == organization.pk and staff.is_org_admin


def holds_capability(user: Any, organization: Organization, capability: str) -> bool:
    """Whether the user holds a role the organization's profile lets do
    ``capability`` (its kind or may list)."""
    return holds_role(user, organization, set(roles_with(profile_for(organization), capability)))


def can_read_audit(user: Any, organization: Organization) -> bool:
    return can_manage_org(user, organization) or holds_capability(user, organization, "read_audit_log")


def require_manage_org(user: Any, organization: Organization) -> None:
    if not can_manage_org(user, organization):
        raise NotPermitted(_("Only this organization's administrators can do this."))
