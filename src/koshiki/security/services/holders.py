"""Credential holders: named staff who know an account's password, each added or removed with a reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput
from koshiki.orgs.models import Staff
from koshiki.orgs.profiles import profile_for
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import moved_out_of

from ..models import CredentialHolder, RotationTask
from ..permissions import require_manager
from ..rules import credential_rules
from .tasks_open import open_rotation_task_unchecked

CLOSED_STATES = frozenset({AccountState.CLOSED, AccountState.REJECTED})


def _reason(reason: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        raise InvalidInput(_("Give a reason."), field="reason")
    if len(cleaned) > 300:
        raise InvalidInput(_("At most 300 characters."), field="reason")
    return cleaned


@transaction.atomic
def add_holder(
    *, actor: Any, account: OfficialAccount, staff: Staff, reason: str, confirm_moved: bool = False
) -> CredentialHolder:
    """A new person learns the password. If others held it before, that is a change of staff: rotate.

    Someone who moved out of the account's department (異動) lost the login then; naming them again is
    refused with a warning until ``confirm_moved`` says it is meant (issue #13 item 3)."""
    account = OfficialAccount.objects.select_for_update(of=("self",), no_key=True).get(pk=account.pk)
    require_manager(actor, account)
    reason = _reason(reason)
    if account.state in CLOSED_STATES:
        raise InvalidInput(_("The account is closed."))
    if staff.organization_id != account.organization_id or staff.status != Staff.Status.ACTIVE:
        raise InvalidInput(_("Choose active staff of this organization."), field="staff")
    if CredentialHolder.objects.filter(account=account, staff=staff, removed_at__isnull=True).exists():
        raise InvalidInput(_("%(name)s already holds this login.") % {"name": staff}, field="staff")
    moved = moved_out_of(staff, account)
    if moved is not None and not confirm_moved:
        raise InvalidInput(
            _(
                "%(name)s moved out of %(dept)s on %(date)s (異動) and lost this login then."
                " Add them again only if they still work on this account: tick the confirmation."
            )
            % {
                "name": staff.display_name,
                "dept": moved.from_department.name if moved.from_department else "",
                "date": moved.effective_date.isoformat(),
            },
            field="confirm_moved",
        )
    rules = credential_rules(profile_for(account.organization))
    had_holders = CredentialHolder.objects.filter(account=account).exists()
    holder = CredentialHolder.objects.create(account=account, staff=staff, added_reason=reason)
    current = CredentialHolder.objects.filter(account=account, removed_at__isnull=True).count()
    log_action(
        "security.holder.added",
        actor=actor,
        obj=account,
        after={"holder": staff.pk, "reason": reason, "holders": current, "moved_out": moved is not None},
        clause=rules.holders_citation,
    )
    if had_holders and rules.rotate_on_staff_change:
        open_rotation_task_unchecked(
            account,
            cause=RotationTask.Cause.NEW_HOLDER,
            actor=actor,
            detail=_("%(name)s now holds the login: %(reason)s")
            % {"name": staff.display_name, "reason": reason},
            clause=rules.staff_change_citation,
        )
    return holder


@transaction.atomic
def remove_holder(*, actor: Any, account: OfficialAccount, staff: Staff, reason: str) -> CredentialHolder:
    """Someone no longer needs the login; they still know the password, so it changes at once."""
    account = OfficialAccount.objects.select_for_update(of=("self",), no_key=True).get(pk=account.pk)
    require_manager(actor, account)
    reason = _reason(reason)
    holder = CredentialHolder.objects.filter(account=account, staff=staff, removed_at__isnull=True).first()
    if holder is None:
        raise InvalidInput(_("%(name)s does not hold this login.") % {"name": staff}, field="staff")
    rules = credential_rules(profile_for(account.organization))
    holder.removed_at = timezone.now()
    holder.removed_reason = reason
    holder.save(update_fields=["removed_at", "removed_reason"])
    log_action(
        "security.holder.removed",
        actor=actor,
        obj=account,
        before={"holder": staff.pk},
        after={"reason": reason},
        clause=rules.staff_change_citation,
    )
    if rules.rotate_on_staff_change:
        open_rotation_task_unchecked(
            account,
            cause=RotationTask.Cause.PERSONNEL,
            actor=actor,
            detail=_("%(name)s no longer holds the login: %(reason)s")
            % {"name": staff.display_name, "reason": reason},
            clause=rules.staff_change_citation,
        )
    return holder
