"""The register of devices that log in to official accounts; personal devices need prior approval;
a lost device opens 'rotate now and review sessions' on every account it logged into."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action, snapshot
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import can_edit, has_capability, is_manager

from ..lifecycle import move_access, move_device
from ..models import CredentialHolder, Device, DeviceAccess, DeviceLossReport, RotationTask
from ..permissions import can_approve_devices
from ..rules import credential_rules
from .holders import CLOSED_STATES
from .tasks_open import open_rotation_task_unchecked, revoke_accesses_unchecked

DEVICE_FIELDS = ("owner", "label", "kind", "os_name", "os_patched_on", "antivirus", "attested_on", "state")


def _check_hygiene(os_patched_on: dt.date, attested_on: dt.date) -> None:
    today = timezone.localdate()
    if os_patched_on > today:
        raise InvalidInput(_("The date cannot be in the future."), field="os_patched_on")
    if attested_on > today:
        raise InvalidInput(_("The date cannot be in the future."), field="attested_on")


def _own_device(actor: Any, device: Device) -> None:
    staff = staff_of(actor)
    if staff is None or (staff.pk != device.owner_id and not can_manage_org(actor, device.organization)):
        raise NotPermitted(_("Only the device's owner can do this."))


@transaction.atomic
def register_device(
    *,
    actor: Any,
    label: str,
    kind: str,
    os_name: str,
    os_patched_on: dt.date,
    antivirus: str,
) -> Device:
    """Staff register a device they log in with; they attest its patch and anti-virus state today."""
    staff = staff_of(actor)
    if staff is None:
        raise NotPermitted(_("Only staff can register devices."))
    if kind not in Device.Kind.values:
        raise InvalidInput(_("Choose official or personal."), field="kind")
    if antivirus not in Device.Antivirus.values:
        raise InvalidInput(_("Choose the anti-virus status."), field="antivirus")
    if not label.strip() or not os_name.strip():
        raise InvalidInput(_("Name the device and its OS."), field="label")
    rules = credential_rules(profile_for(staff.organization))
    if kind == Device.Kind.PERSONAL and rules.personal_devices == "forbidden":
        raise InvalidInput(
            _("Your guideline does not allow personal devices (%(clause)s).")
            % {"clause": rules.devices_citation or _("default")},
            field="kind",
        )
    today = timezone.localdate()
    _check_hygiene(os_patched_on, today)
    device = Device.objects.create(
        organization=staff.organization,
        owner=staff,
        label=label.strip()[:100],
        kind=kind,
        os_name=os_name.strip()[:100],
        os_patched_on=os_patched_on,
        antivirus=antivirus,
        attested_on=today,
    )
    log_action(
        "security.device.registered",
        actor=actor,
        obj=device,
        after=snapshot(device, DEVICE_FIELDS),
        clause=rules.hygiene_citation,
    )
    return device


@transaction.atomic
def attest_device(*, actor: Any, device: Device, os_patched_on: dt.date, antivirus: str) -> Device:
    """The owner confirms, today, the OS patch date and the anti-virus status."""
    device = Device.objects.select_for_update(of=("self",), no_key=True).get(pk=device.pk)
    _own_device(actor, device)
    if device.state != Device.State.IN_USE:
        raise InvalidInput(_("This device is no longer in use."))
    if antivirus not in Device.Antivirus.values:
        raise InvalidInput(_("Choose the anti-virus status."), field="antivirus")
    today = timezone.localdate()
    _check_hygiene(os_patched_on, today)
    if (device.os_patched_on, device.antivirus, device.attested_on) == (os_patched_on, antivirus, today):
        return device  # already confirmed today with these values: nothing changes, nothing to audit
    before = snapshot(device, DEVICE_FIELDS)
    device.os_patched_on, device.antivirus, device.attested_on = os_patched_on, antivirus, today
    device.save(update_fields=["os_patched_on", "antivirus", "attested_on"])
    rules = credential_rules(profile_for(device.organization))
    log_action(
        "security.device.attested",
        actor=actor,
        obj=device,
        before=before,
        after=snapshot(device, DEVICE_FIELDS),
        clause=rules.hygiene_citation,
    )
    return device


@transaction.atomic
def request_device_access(
    *, actor: Any, device: Device, account: OfficialAccount, reason: str = ""
) -> DeviceAccess:
    """Use this device for this account. Official devices are in at once; personal ones wait for approval."""
    device = Device.objects.select_for_update(of=("self",), no_key=True).get(pk=device.pk)
    _own_device(actor, device)
    if account.organization_id != device.organization_id or account.state in CLOSED_STATES:
        raise InvalidInput(_("Choose a live account of your organization."), field="account")
    holds_login = CredentialHolder.objects.filter(
        account=account, staff=device.owner, removed_at__isnull=True
    ).exists()
    operates = has_capability(device.owner.user, "write_posts", account=account)
    if not (holds_login or operates or can_edit(device.owner.user, account)):
        raise InvalidInput(_("The device's owner does not work on this account."), field="account")
    if device.state != Device.State.IN_USE:
        raise InvalidInput(_("This device is no longer in use."))
    rules = credential_rules(profile_for(device.organization))
    personal = device.kind == Device.Kind.PERSONAL
    if personal and rules.personal_devices == "prior_approval" and not reason.strip():
        raise InvalidInput(
            _("Explain why a personal device is needed; the responsible person decides in advance."),
            field="reason",
        )
    existing = (
        DeviceAccess.objects.select_for_update(of=("self",), no_key=True)
        .filter(device=device, account=account)
        .order_by("pk")
        .first()
    )
    if existing is not None and existing.state in (DeviceAccess.State.PENDING, DeviceAccess.State.APPROVED):
        raise InvalidInput(_("This device is already registered for that account."), field="account")
    needs_approval = personal and rules.personal_devices == "prior_approval"
    state = DeviceAccess.State.PENDING if needs_approval else DeviceAccess.State.APPROVED
    values = {
        "state": state,
        "reason": reason.strip()[:300],
        "decided_by": None,
        "decided_at": None if needs_approval else timezone.now(),
    }
    if existing is None:
        access = DeviceAccess.objects.create(device=device, account=account, **values)
    else:  # asked again after a refusal or a revocation: the same row moves back along the table
        move_access(existing, state, **{k: v for k, v in values.items() if k != "state"})
        access = existing
    log_action(
        "security.device.access_requested",
        actor=actor,
        obj=account,
        after={"device": device.pk, "state": state, "reason": access.reason},
        clause=rules.devices_citation,
    )
    return access


@transaction.atomic
def decide_device_access(
    *, actor: Any, access: DeviceAccess, approve: bool, comment: str = ""
) -> DeviceAccess:
    access = (
        DeviceAccess.objects.select_for_update(of=("self",), no_key=True)
        .select_related("account", "device")
        .get(pk=access.pk)
    )
    account = access.account
    if not can_approve_devices(actor, account):
        raise NotPermitted(_("Only the responsible person for this account decides on personal devices."))
    if staff_of(actor) == access.device.owner:
        raise NotPermitted(_("You cannot approve your own device."))
    target = DeviceAccess.State.APPROVED if approve else DeviceAccess.State.REFUSED
    if access.state != DeviceAccess.State.PENDING:
        raise InvalidTransition(_("This request has already been decided."))
    move_access(access, target, decided_by=staff_of(actor), decided_at=timezone.now())
    rules = credential_rules(profile_for(account.organization))
    log_action(
        "security.device.access_decided",
        actor=actor,
        obj=account,
        after={"device": access.device_id, "state": target, "comment": comment.strip()},
        clause=rules.devices_citation,
    )
    return access


@transaction.atomic
def report_lost_device(
    *, actor: Any, device: Device, happened_on: dt.date, circumstances: str
) -> DeviceLossReport:
    """Lost or stolen: every account the device could log into gets 'rotate now and review sessions'."""
    device = (
        Device.objects.select_for_update(of=("self",), no_key=True)
        .select_related("organization")
        .get(pk=device.pk)
    )
    staff = staff_of(actor)
    accounts = [
        a.account for a in device.accesses.select_related("account").exclude(state=DeviceAccess.State.REFUSED)
    ]
    if staff is None or not (
        staff.pk == device.owner_id
        or can_manage_org(actor, device.organization)
        or any(is_manager(actor, a) for a in accounts)
    ):
        raise NotPermitted(
            _("Only the device's owner, an account manager or an administrator can report it.")
        )
    if not circumstances.strip():
        raise InvalidInput(_("Describe what happened."), field="circumstances")
    if happened_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field="happened_on")
    move_device(device, Device.State.LOST)
    report = DeviceLossReport.objects.create(
        device=device, reported_by=staff, happened_on=happened_on, circumstances=circumstances.strip()
    )
    rules = credential_rules(profile_for(device.organization))
    log_action(
        "security.device.lost",
        actor=actor,
        obj=device,
        after={
            "report": report.pk,
            "happened_on": happened_on.isoformat(),
            "accounts": [a.pk for a in accounts],
        },
        clause=rules.hygiene_citation,
    )
    revoke_accesses_unchecked(
        DeviceAccess.objects.filter(device=device),
        actor=actor,
        clause=rules.hygiene_citation,
        device_report=report.pk,
    )
    for account in accounts:
        if account.state in CLOSED_STATES:
            continue
        open_rotation_task_unchecked(
            account,
            cause=RotationTask.Cause.LOST_DEVICE,
            actor=actor,
            device_report=report,
            review_sessions=True,
            clause=rules.hygiene_citation,
            detail=_("%(device)s was lost on %(date)s: change the password and sign out other sessions.")
            % {"device": device.label, "date": happened_on.isoformat()},
        )
    return report
