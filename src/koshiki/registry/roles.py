"""Who holds a profile role for an account: department roles count for the 課 and the 部 above it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from koshiki.guidelines.permissions import roles_with
from koshiki.orgs.models import RoleAssignment, Staff
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of

from .models import OfficialAccount


def holders(account: OfficialAccount, role_id: str) -> list[Staff]:
    """Current holders of ``role_id`` who act for this account's department."""
    profile = profile_for(account.organization)
    try:
        role = profile.role(role_id)
    except KeyError:
        return []
    current = RoleAssignment.objects.current().filter(
        organization=account.organization, role_id=role_id, staff__status=Staff.Status.ACTIVE
    ).select_related("staff")
    if role.scope == "department":
        current = current.filter(department_id__in=account.department.lineage_ids())
    return list(dict.fromkeys(a.staff for a in current))


def capability_holders(account: OfficialAccount, capability: str) -> list[Staff]:
    """Current holders of any role the profile lets do ``capability`` for this account (kind or may, never an id)."""
    profile = profile_for(account.organization)
    role_ids = roles_with(profile, capability)
    if not role_ids:
        return []
    body_wide = [r for r in role_ids if profile.role(r).scope != "department"]
    per_department = [r for r in role_ids if profile.role(r).scope == "department"]
    current = RoleAssignment.objects.current().filter(
        Q(role_id__in=body_wide) | Q(role_id__in=per_department, department_id__in=account.department.lineage_ids()),
        organization=account.organization, staff__status=Staff.Status.ACTIVE,
    ).select_related("staff").order_by("pk")
    return list(dict.fromkeys(a.staff for a in current))


def has_capability(user: Any, capability: str, *, account: OfficialAccount) -> bool:
    """Whether the user holds, for this account, a role the profile lets do ``capability``."""
    staff = staff_of(user)
    if staff is None or staff.organization_id != account.organization_id:
        return False
    return staff in capability_holders(account, capability)


def holds(user: Any, account: OfficialAccount, role_id: str) -> bool:
    staff = staff_of(user)
    return staff is not None and staff in holders(account, role_id)


def is_manager(user: Any, account: OfficialAccount) -> bool:
    """The account's manager, a holder of the manager role for its department, or an administrator."""
    staff = staff_of(user)
    if staff is None or staff.organization_id != account.organization_id:
        return bool(getattr(user, "is_superuser", False))
    if staff.is_org_admin or account.manager_id == staff.pk:
        return True
    return has_capability(user, "manage_accounts", account=account)


def is_account_manager(user: Any, account: OfficialAccount) -> bool:
    """The account's manager or a holder of a role that may manage credentials for it: no administrator bypass
    (for what only the responsible person should touch, such as the platform credentials)."""
    staff = staff_of(user)
    if staff is None or staff.organization_id != account.organization_id:
        return False
    return account.manager_id == staff.pk or has_capability(user, "manage_credentials", account=account)


def can_edit(user: Any, account: OfficialAccount) -> bool:
    staff = staff_of(user)
    return is_manager(user, account) or (staff is not None and account.operators.filter(pk=staff.pk).exists())
