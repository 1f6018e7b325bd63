"""Recording a password change. The new password, if given, is scored and fingerprinted in memory only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import acting_staff
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import is_manager

from ..fingerprint import fingerprint
from ..lifecycle import move_task
from ..models import Rotation, RotationTask
from ..permissions import is_holder, require_manager_or_holder
from ..rules import credential_rules
from ..strength import score
from .holders import CLOSED_STATES


def _with_citation(message: str, citation: str) -> str:
    return _("%(message)s (%(clause)s)") % {"message": message, "clause": citation} if citation else message


def _reuse_message(actor: Any, account: OfficialAccount, earlier: Rotation) -> str:
    """Name the other account (and when) only to someone who manages or holds that account's login too."""
    other = earlier.account
    if other.pk == account.pk:
        where = _("this account")
    elif is_manager(actor, other) or is_holder(actor, other):
        where = other.account_name
    else:
        return _(
            "This password was already used for another account of this organization. Change it again to one never used."  # noqa: E501
        )
    return _("This password was used before (%(where)s, %(date)s). Change it again to one never used.") % {
        "where": where,
        "date": earlier.rotated_on.isoformat(),
    }


@transaction.atomic
def record_rotation(
    *,
    actor: Any,
    account: OfficialAccount,
    rotated_on: dt.date,
    reason: str,
    new_password: str = "",
    sessions_reviewed: bool = False,
    note: str = "",
) -> Rotation:
    """Staff changed the password on the platform; record when and why. Closes the open 'rotate now' tasks."""
    account = (
        OfficialAccount.objects.select_for_update(of=("self",), no_key=True)
        .select_related("organization")
        .get(pk=account.pk)
    )
    require_manager_or_holder(actor, account)
    if account.state in CLOSED_STATES:
        raise InvalidInput(_("The account is closed."))
    if reason not in Rotation.Reason.values:
        raise InvalidInput(_("Choose a reason."), field="reason")
    today = timezone.localdate()
    if rotated_on > today:
        raise InvalidInput(_("The date cannot be in the future."), field="rotated_on")
    if rotated_on < today - dt.timedelta(days=30):
        raise InvalidInput(_("Record a change within 30 days of making it."), field="rotated_on")
    rules = credential_rules(profile_for(account.organization))
    open_tasks = list(
        RotationTask.objects.select_for_update(of=("self",), no_key=True).filter(
            account=account, state=RotationTask.State.OPEN
        )
    )
    if any(t.review_sessions for t in open_tasks) and not sessions_reviewed:
        raise InvalidInput(
            _(
                "A device that logged in was lost: sign out every other session on the platform, then tick the box."  # noqa: E501
            ),
            field="sessions_reviewed",
        )
    strength_score: int | None = None
    mark = ""
    if new_password:
        organization = account.organization
        strength = score(new_password, related=[account.account_name, account.handle, organization.name])
        if not strength.acceptable:
            raise InvalidInput(
                _with_citation(
                    _(
                        "This password is easy to guess (score %(score)d of 4). Choose a longer, less predictable one."  # noqa: E501
                    )
                    % {"score": strength.score},
                    rules.strong_passwords_citation,
                ),
                field="new_password",
            )
        mark = fingerprint(organization, new_password)
        earlier = (
            Rotation.objects.filter(account__organization=organization, fingerprint=mark)
            .select_related("account")
            .first()
        )
        if earlier is not None:
            raise InvalidInput(
                _with_citation(_reuse_message(actor, account, earlier), rules.no_reuse_citation),
                field="new_password",
            )
        strength_score = strength.score
    rotation = Rotation.objects.create(
        account=account,
        rotated_on=rotated_on,
        reason=reason,
        recorded_by=acting_staff(actor),
        fingerprint=mark,
        strength_score=strength_score,
        sessions_reviewed=sessions_reviewed,
        note=note.strip()[:300],
    )
    for task in open_tasks:  # locked above, so each guarded move succeeds or the whole rotation rolls back
        move_task(task, RotationTask.State.DONE, closed_by=rotation)
    log_action(
        "security.rotation.recorded",
        actor=actor,
        obj=account,
        after={
            "rotation": rotation.pk,
            "rotated_on": rotated_on.isoformat(),
            "reason": reason,
            "strength_checked": strength_score is not None,
            "strength_score": strength_score,
            "reuse_checked": bool(mark),
            "sessions_reviewed": sessions_reviewed,
            "closed_tasks": [t.pk for t in open_tasks],
        },
        clause=rules.max_age_citation or rules.staff_change_citation,
    )
    return rotation
