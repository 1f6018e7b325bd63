"""'Rotate now' tasks: opened at once by a personnel change, a new holder or a lost device."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.orgs.models import PersonnelChange
from koshiki.orgs.profiles import profile_for
from koshiki.registry.models import OfficialAccount

from ..models import CredentialHolder, DeviceLossReport, RotationTask
from ..rules import credential_rules


def open_rotation_task(
    account: OfficialAccount, *, cause: str, detail: str, actor: Any, clause: str = "",
    personnel_change: PersonnelChange | None = None, device_report: DeviceLossReport | None = None,
    review_sessions: bool = False,
) -> RotationTask:
    """Inside the caller's transaction. Due today: the guidelines say 'at once' (守谷市議会 6(1))."""
    task = RotationTask.objects.create(
        account=account, cause=cause, detail=detail[:300], personnel_change=personnel_change,
        device_report=device_report, review_sessions=review_sessions, due_on=timezone.localdate(),
    )
    log_action("security.rotation_task.opened", actor=actor, obj=account,
               after={"task": task.pk, "cause": cause, "detail": task.detail, "review_sessions": review_sessions},
               clause=clause)
    return task


def rotate_for_personnel_change(change: PersonnelChange, *, actor: Any = None) -> list[RotationTask]:
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
            "kind": kind, "name": change.staff.display_name, "date": change.effective_date.isoformat()}
        CredentialHolder.objects.filter(pk=holding.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_reason=reason[:300])
        log_action("security.holder.removed", actor=actor, obj=holding.account,
                   before={"holder": holding.staff_id}, after={"reason": reason, "personnel_change": change.pk},
                   clause=rules.staff_change_citation)
        if rules.rotate_on_staff_change:
            tasks.append(open_rotation_task(
                holding.account, cause=RotationTask.Cause.PERSONNEL, detail=reason, actor=actor,
                clause=rules.staff_change_citation, personnel_change=change,
            ))
    _revoke_devices(change, actor)
    return tasks


def _revoke_devices(change: PersonnelChange, actor: Any) -> None:
    """The person's devices stop logging in to the accounts they no longer work on; on leaving, all of them."""
    from ..models import Device, DeviceAccess

    live = DeviceAccess.objects.filter(device__owner=change.staff,
                                       state__in=[DeviceAccess.State.PENDING, DeviceAccess.State.APPROVED])
    revoked = list(live.values_list("pk", flat=True))
    if revoked:
        live.update(state=DeviceAccess.State.REVOKED)
        log_action("security.device.access_revoked", actor=actor, obj=change.staff,
                   after={"accesses": revoked, "personnel_change": change.pk})
    if change.kind == PersonnelChange.Kind.LEAVE:
        Device.objects.filter(owner=change.staff, state=Device.State.IN_USE).update(state=Device.State.RETIRED)
