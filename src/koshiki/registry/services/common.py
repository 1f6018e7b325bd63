"""Shared pieces of registry services: snapshots, guarded moves, notifications after commit."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.catalog import ACCOUNT_FIELDS  # the fields an account entry records: declared once
from koshiki.audit.services import log_action, snapshot
from koshiki.core.errors import InvalidInput
from koshiki.core.statemachine import check_transition, compare_and_set
from koshiki.notify.service import tell

from ..lifecycle import TRANSITIONS, labels
from ..models import OfficialAccount


def account_snapshot(account: OfficialAccount) -> dict[str, Any]:
    return snapshot(account, ACCOUNT_FIELDS)


def move(
    account: OfficialAccount,
    target: str,
    *,
    actor: Any,
    action: str,
    clause: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """Guarded, compare-and-set state change with its audit entry (inside the caller's transaction)."""
    check_transition(TRANSITIONS, account.state, target, labels=labels())
    before = {"state": account.state}
    compare_and_set(account, "state", account.state, target, state_changed_at=timezone.now())
    log_action(
        action,
        actor=actor,
        obj=account,
        before=before,
        after={"state": target, **(extra or {})},
        clause=clause,
    )


def notify_after_commit(
    account: OfficialAccount, role_ids: list[str], event: str, params: dict[str, str]
) -> None:
    """Tell the holders of these roles (for the account's department) once the change is committed."""
    if not role_ids:
        return
    tell(
        message=f"registry.{event}",
        context=params,
        role=role_ids,
        organization=account.organization,
        department=account.department,
        link=reverse("account-detail", args=[account.pk]),
    )


def apply_url_unchecked(account: OfficialAccount, url: str, handle: str, *, actor: Any, reason: str) -> bool:
    """Set the account's URL and handle (already checked against the platform, permission checked by the
    caller) with its audit entry; False when nothing changes."""
    handle = handle or account.handle
    if (account.url, account.handle) == (url, handle):
        return False
    before = snapshot(account, ("url", "handle"))
    account.url, account.handle = url, handle
    try:
        with transaction.atomic():
            account.save(update_fields=["url", "handle"])
    except IntegrityError as exc:
        raise InvalidInput(_("This ID is already registered."), field="handle") from exc
    log_action(
        "registry.account.url_corrected",
        actor=actor,
        obj=account,
        before=before,
        after={**snapshot(account, ("url", "handle")), "reason": reason},
    )
    return True
