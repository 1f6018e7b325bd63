"""Naming an account's manager again, e.g. after the named one moved (異動) or left (issue #10)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs.models import Staff
from koshiki.orgs.permissions import can_manage_org, holds_role
from koshiki.orgs.profiles import profile_for

from ..models import OfficialAccount


def can_reassign_manager(user: Any, account: OfficialAccount) -> bool:
    """The organization's administrators and holders of its public relations role (広報主管課)."""
    if can_manage_org(user, account.organization):
        return True
    profile = profile_for(account.organization)
    pr_roles = {role.id for role in profile.roles if role.kind == "public_relations"}
    return bool(pr_roles) and holds_role(user, account.organization, pr_roles)


@transaction.atomic
def reassign_manager(*, actor: Any, account: OfficialAccount, manager: Staff) -> OfficialAccount:
    """Name ``manager`` the account's manager: they must be active staff of its department or one above it,
    the same test by which a named manager counts at all (registry.roles.current_manager)."""
    account = (
        OfficialAccount.objects.select_for_update(of=("self",), no_key=True)
        .select_related("department")
        .get(pk=account.pk)
    )
    if not can_reassign_manager(actor, account):
        raise NotPermitted(_("Only an administrator or the public relations division can name the manager."))
    manager = Staff.objects.get(pk=manager.pk)
    if (
        manager.organization_id != account.organization_id
        or manager.status != Staff.Status.ACTIVE
        or manager.department_id not in account.department.lineage_ids()
    ):
        raise InvalidInput(
            _("The manager must be active staff of %(dept)s.") % {"dept": account.department.name},
            field="manager",
        )
    if manager.pk == account.manager_id:
        raise InvalidInput(_("%(name)s is already the manager.") % {"name": manager}, field="manager")
    before = {"manager": account.manager_id}
    account.manager = manager
    account.save(update_fields=["manager"])
    log_action(
        "registry.account.manager_reassigned",
        actor=actor,
        obj=account,
        before=before,
        after={"manager": manager.pk},
    )
    return account
