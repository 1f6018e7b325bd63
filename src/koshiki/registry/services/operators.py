"""運用に携わる職員 after a 異動: a person who moves out of an account's 課 (or leaves) stops being one of its
operators, so the old 課's posts are no longer theirs to write (issue #13 item 3); an account they were the
named manager of is noted as needing a new one."""

from __future__ import annotations

from typing import Any

from koshiki.audit.services import log_action
from koshiki.orgs.models import PersonnelChange

from ..models import OfficialAccount
from ..roles import current_manager


def drop_operator_after_move_unchecked(
    change: PersonnelChange, *, actor: Any = None
) -> list[OfficialAccount]:
    """Inside the transaction that applies ``change`` (the personnel_change_applied signal): take the person
    off every account they operate outside their new department (all of them on leaving), one audit entry
    per account. No permission check: the 異動 was authorised when it was recorded."""
    if change.kind not in (PersonnelChange.Kind.MOVE, PersonnelChange.Kind.LEAVE):
        return []
    accounts = OfficialAccount.objects.filter(operators=change.staff).order_by("pk")
    if change.kind == PersonnelChange.Kind.MOVE and change.to_department_id is not None:
        accounts = accounts.exclude(department_id=change.to_department_id)
    dropped = []
    for account in accounts:
        account.operators.remove(change.staff)
        log_action(
            "registry.account.operator_removed",
            actor=actor,
            obj=account,
            before={"staff": change.staff_id},
            after={"personnel_change": change.pk, "effective_date": change.effective_date.isoformat()},
        )
        dropped.append(account)
    _note_managers_moved_out(change, actor)
    return dropped


def _note_managers_moved_out(change: PersonnelChange, actor: Any) -> None:
    """Accounts whose named manager no longer counts after this 異動 (current_manager is None): on the
    trail, and so in the 異動's preview; the dashboard then asks for a new manager."""
    named = OfficialAccount.objects.filter(manager=change.staff).select_related("department").order_by("pk")
    for account in named:
        if current_manager(account) is None:
            log_action(
                "registry.account.manager_moved_out",
                actor=actor,
                obj=account,
                before={"manager": change.staff_id},
                after={"personnel_change": change.pk, "effective_date": change.effective_date.isoformat()},
            )
