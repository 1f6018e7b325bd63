"""Shared pieces of registry services: snapshots, guarded moves, notifications after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from koshiki.audit.services import log_action, snapshot
from koshiki.core.statemachine import check_transition, compare_and_set

from ..lifecycle import TRANSITIONS, labels
from ..models import OfficialAccount

ACCOUNT_FIELDS = (
    "department", "platform", "account_name", "handle", "url", "purpose", "audience", "manager",
    "verified", "login_email", "operating_hours", "reply_policy", "state",
)


def account_snapshot(account: OfficialAccount) -> dict[str, Any]:
    return snapshot(account, ACCOUNT_FIELDS)


def move(account: OfficialAccount, target: str, *, actor: Any, action: str, clause: str = "", extra: dict[str, Any] | None = None) -> None:
    """Guarded, compare-and-set state change with its audit entry (inside the caller's transaction)."""
    check_transition(TRANSITIONS, account.state, target, labels=labels())
    before = {"state": account.state}
    compare_and_set(account, "state", account.state, target, state_changed_at=timezone.now())
    log_action(action, actor=actor, obj=account, before=before, after={"state": target, **(extra or {})}, clause=clause)


def notify_after_commit(account: OfficialAccount, role_ids: list[str], event: str, params: dict[str, str]) -> None:
    """E-mail the holders of these roles once the change is committed (in each one's language)."""
    if not role_ids:
        return
    from koshiki.notify.tasks import notify_roles_task

    account_id = account.pk
    transaction.on_commit(lambda: notify_roles_task.enqueue(account_id, role_ids, event, params))
