"""Who must sign in with two steps: staff who approve (a role in any step or the escalation of an approval
chain, account or post, or the named current manager of an account) or who hold an account's credentials, in
an organization whose setting requires it (on by default)."""

from __future__ import annotations

from typing import Any

from koshiki.guidelines import Profile
from koshiki.guidelines.workflows import effective_steps, post_steps, workflow
from koshiki.orgs.models import RoleAssignment
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of


def approver_roles(profile: Profile) -> frozenset[str]:
    roles = {profile.account.manager_role}
    for name in ("open_account", "change_account", "close_account"):
        roles.update(step.role for step in effective_steps(profile, name))
        roles.add(workflow(profile, name).escalate_to or "")
    roles.update(step.role for step in post_steps(profile))
    approval = profile.posting.approval
    roles.update((approval.approver_role or "", approval.escalate_to or ""))
    roles.add(profile.credentials.devices.approver_role or "")
    roles.discard("")
    return frozenset(roles)


def _names_current_manager(staff: Any) -> bool:
    """Whether an account names this person its manager while they still count as such (registry.roles)."""
    from koshiki.registry.models import OfficialAccount
    from koshiki.registry.roles import current_manager

    accounts = OfficialAccount.objects.filter(manager=staff).select_related("manager", "department")
    return any(current_manager(account) is not None for account in accounts)


def two_step_required(user: Any) -> bool:
    staff = staff_of(user)
    if staff is None or not staff.organization.require_two_step:
        return False
    from koshiki.security.models import CredentialHolder

    if CredentialHolder.objects.filter(staff=staff, removed_at__isnull=True).exists():
        return True
    roles = approver_roles(profile_for(staff.organization))
    if RoleAssignment.objects.current().filter(staff=staff, role_id__in=roles).exists():
        return True
    return _names_current_manager(staff)
