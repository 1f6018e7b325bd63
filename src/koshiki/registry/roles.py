"""Who holds a profile role for an account: department roles count for the 課 and the 部 above it."""

from __future__ import annotations

from typing import Any

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
    return holds(user, account, profile_for(account.organization).account.manager_role)


def is_account_manager(user: Any, account: OfficialAccount) -> bool:
    """The account's manager or a holder of the profile's manager role for it: no administrator bypass
    (for what only the responsible person should touch, such as the platform credentials)."""
    staff = staff_of(user)
    if staff is None or staff.organization_id != account.organization_id:
        return False
    return account.manager_id == staff.pk or holds(user, account, profile_for(account.organization).account.manager_role)


def can_edit(user: Any, account: OfficialAccount) -> bool:
    staff = staff_of(user)
    return is_manager(user, account) or (staff is not None and account.operators.filter(pk=staff.pk).exists())
