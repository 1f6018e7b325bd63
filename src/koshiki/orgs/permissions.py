"""What a user may do in an organization. Roles come from the body's profile."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from koshiki.core.errors import NotPermitted

from .models import Organization, RoleAssignment
from .scoping import staff_of

#: Profile roles that may read the organization's audit log besides its administrators.
AUDIT_READER_ROLES = frozenset({"ciso", "pr_division"})


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


def can_read_audit(user: Any, organization: Organization) -> bool:
    return can_manage_org(user, organization) or holds_role(user, organization, AUDIT_READER_ROLES)


def require_manage_org(user: Any, organization: Organization) -> None:
    if not can_manage_org(user, organization):
        raise NotPermitted(_("Only this organization's administrators can do this."))
