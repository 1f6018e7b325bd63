"""Who must sign in with two steps: staff who approve (a role in an approval chain or the post approver)
or who hold an account's credentials, in an organization whose setting requires it (on by default)."""

from __future__ import annotations

from typing import Any

from koshiki.guidelines import Profile
from koshiki.guidelines.workflows import effective_steps
from koshiki.orgs.models import RoleAssignment
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of


def approver_roles(profile: Profile) -> frozenset[str]:
    roles = {profile.account.manager_role}
    for name in ("open_account", "change_account", "close_account"):
        roles.update(step.role for step in effective_steps(profile, name))
    for role_id in (profile.posting.approval.approver_role, profile.credentials.devices.approver_role):
        if role_id:
            roles.add(role_id)
    return frozenset(roles)


def two_step_required(user: Any) -> bool:
    staff = staff_of(user)
    if staff is None or not staff.organization.require_two_step:
        return False
    from koshiki.security.models import CredentialHolder

    if CredentialHolder.objects.filter(staff=staff, removed_at__isnull=True).exists():
        return True
    roles = approver_roles(profile_for(staff.organization))
    return RoleAssignment.objects.current().filter(staff=staff, role_id__in=roles).exists()
