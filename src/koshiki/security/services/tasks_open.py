"""'Rotate now' tasks: opened at once by a personnel change, a new holder or a lost device.

These helpers check no permission: the service that calls them has (holders, devices), or the
personnel change was authorised and applied by koshiki.orgs (the personnel_change_applied signal).
They are therefore named *_unchecked and are not exported from koshiki.security.services.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.orgs.models import PersonnelChange
from koshiki.orgs.profiles import profile_for
from koshiki.registry.models import OfficialAccount

from ..lifecycle import LIVE_ACCESS, AccessState, DeviceState, move_access, move_device
from ..models import CredentialHolder, Device, DeviceAccess, DeviceLossReport, RotationTask
from ..rules import credential_rules


def open_rotation_task_unchecked(
    account: OfficialAccount,
    *,
    cause: str,
    detail: str,
    actor: Any,
    clause: str = "",
    personnel_change: PersonnelChange | None = None,
    device_report: DeviceLossReport | None = None,
    review_sessions: bool = False,
) -> RotationTask:
    """Inside the caller's transaction. Due today: the guidelines say 'at once' (守谷市議会 6(1))."""
    task = RotationTask.objects.create(
        account=account,
        cause=cause,
        detail=detail[:300],
        personnel_change=personnel_change,
        device_report=device_report,
        review_sessions=review_sessions,
        due_on=timezone.localdate(),
    )
    log_action(
        "security.rotation_task.opened",
        actor=actor,
        obj=account,
        after={"task": task.pk, "cause": cause, "detail": task.detail, "review_sessions": review_sessions},
        clause=clause,
    )
    return task


def rotate_for_personnel_change_unchecked(
    change: PersonnelChange, *, actor: Any = None
) -> list[RotationTask]:
    """A holder left or moved: end each holding and open a task on each account (called on the signal)."""
    if change.kind not in (PersonnelChange.Kind.MOVE, PersonnelChange.Kind.LEAVE):
        return []
    rules = credential_rules(profile_for(change.organization))
    holdings = CredentialHolder.objects.select_related("account", "staff").filter(
        staff=change.staff, removed_at__isnull=True
    )
    kind = change.get_kind_display()
    tasks = []
    for holding in holdings:
        reason = _("Personnel change (%(kind)s) of %(name)s on %(date)s") % {
            "kind": kind,
            "name": change.staff.display_name,
            "date": change.effective_date.isoformat(),
        }
        CredentialHolder.objects.filter(pk=holding.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_reason=reason[:300]
        )
        log_action(
            "security.holder.removed",
            actor=actor,
            obj=holding.account,
            before={"holder": holding.staff_id},
            after={"reason": reason, "personnel_change": change.pk},
            clause=rules.staff_change_citation,
        )
        if rules.rotate_on_staff_change:
            tasks.append(
                open_rotation_task_unchecked(
                    holding.account,
                    cause=RotationTask.Cause.PERSONNEL,
                    detail=reason,
                    actor=actor,
                    clause=rules.staff_change_citation,
                    personnel_change=change,
                )
            )
    _revoke_devices(change, actor)
    return tasks


def revoke_accesses_unchecked(
    accesses: Any, *, actor: Any, clause: str = "", **context: Any
) -> list[DeviceAccess]:
    """Revoke each live access by a guarded move, one audit row per access (on its account)."""
    revoked = []
    for access in accesses.filter(state__in=LIVE_ACCESS).select_related("account").order_by("pk"):
        before = move_access(access, AccessState.REVOKED)
        log_action(
            "security.device.access_revoked",
            actor=actor,
            obj=access.account,
            before={"state": before},
            after={"access": access.pk, "device": access.device_id, "state": access.state, **context},
            clause=clause,
        )
        revoked.append(access)
    return revoked


def _revoke_devices(change: PersonnelChange, actor: Any) -> None:
    """The person's devices stop logging in to the accounts they no longer
    work on; on leaving, all of them."""
    revoke_accesses_unchecked(
        DeviceAccess.objects.filter(device__owner=change.staff), actor=actor, personnel_change=change.pk
    )
    if change.kind != PersonnelChange.Kind.LEAVE:
        return
    for device in Device.objects.filter(owner=change.staff, state=DeviceState.IN_USE).order_by("pk"):
        before = move_device(device, DeviceState.RETIRED)
        log_action(
            "security.device.retired",
            actor=actor,
            obj=device,
            before={"state": before},
            after={"state": device.state, "personnel_change": change.pk},
        )
