"""Who hears about each board line: holders and the manager; the profile's escalation role once overdue;
device owners for their own devices; the responsible person for personal-device requests."""

from __future__ import annotations

from koshiki.orgs.models import Staff
from koshiki.registry.roles import HolderIndex
from koshiki.registry.roles import holders as role_holders

from .status import BoardLine, OrganizationSecurity


def line_key(line: BoardLine) -> tuple[str, int | None, int | None]:
    return (line.kind, line.account_id, line.device_id)


def recipients(state: OrganizationSecurity, line: BoardLine, index: HolderIndex | None = None) -> set[Staff]:
    """``index`` (one per page or job run) reads the organization's role holders once for all lines."""
    people: set[Staff] = set()
    status = state.status_of(line.account_id)
    if line.kind == "personal_device" and status is not None:
        people.update(role_holders(status.account, state.rules.device_approver_role, index))
        if status.account.manager is not None:
            people.add(status.account.manager)
        return people
    if status is not None:
        account = status.account
        if account.manager is not None:
            people.add(account.manager)
        people.update(role_holders(account, state.organization_manager_role, index))
        people.update(h.staff for h in status.holders)
        overdue = line.level == "danger"
        if overdue and state.rules.escalate_to:
            people.update(role_holders(account, state.rules.escalate_to, index))
    elif line.device_id is not None:
        device = state.device_of(line.device_id)
        if device is not None:
            people.add(device.owner)
    return {p for p in people if p.status == Staff.Status.ACTIVE}
