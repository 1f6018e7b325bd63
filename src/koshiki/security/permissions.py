"""Who may change an account's credential records, and who approves personal devices."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from koshiki.core.errors import NotPermitted
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import holds, is_account_manager, is_current_manager, is_manager

from .models import CredentialHolder
from .rules import credential_rules


def is_holder(user: Any, account: OfficialAccount) -> bool:
    staff = staff_of(user)
    return (
        staff is not None
        and CredentialHolder.objects.filter(account=account, staff=staff, removed_at__isnull=True).exists()
    )


def require_manager(user: Any, account: OfficialAccount) -> None:
    if not is_manager(user, account):
        raise NotPermitted(_("Only the account's manager can do this."))


def require_credential_manager(user: Any, account: OfficialAccount) -> None:
    """Platform credentials (server address, handle, app password) are the account manager's: the
    account's named manager or a holder of the profile's manager role for its department. Being an
    organization administrator (or a system administrator) is not enough."""
    if not is_account_manager(user, account):
        raise NotPermitted(
            _("Only the account's manager (the role that manages this account) can change its credentials.")
        )


def require_manager_or_holder(user: Any, account: OfficialAccount) -> None:
    if not (is_manager(user, account) or is_holder(user, account)):
        raise NotPermitted(_("Only the account's manager or someone who holds its login can do this."))


def can_approve_devices(user: Any, account: OfficialAccount) -> bool:
    """The responsible person the profile names (守谷市議会 6(2): 運用責任者), else the account manager."""
    role_id = credential_rules(profile_for(account.organization)).device_approver_role
    staff = staff_of(user)
    if (
        staff is not None
        and is_current_manager(staff, account)
        and role_id == profile_for(account.organization).account.manager_role
    ):
        return True
    return holds(user, account, role_id)
