"""Issue #11 item 7 for credential records: guarded lifecycles, one audit row per row
changed, no-op calls log nothing,
helpers that skip permission checks are private and named *_unchecked."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidTransition
from koshiki.security import services
from koshiki.security.models import Device, DeviceAccess, RotationTask

from .conftest import SeedBody


def _official_device(body: SeedBody, label: str = "広報課 iPad") -> Device:
    return services.register_device(
        actor=body.operator.user,
        label=label,
        kind="official",
        os_name="iPadOS 18",
        os_patched_on=timezone.localdate(),
        antivirus="active",
    )


def _working_on_both(body: SeedBody) -> None:
    for account in (body.account, body.other_account):
        services.add_holder(actor=body.manager.user, account=account, staff=body.operator, reason="担当")


def _rows(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- transition tables ------------------------------------------------------------------------


def test_a_retired_device_cannot_be_reported_lost(iwaki_body: SeedBody) -> None:
    from koshiki.security.lifecycle import DeviceState, move_device

    device = _official_device(iwaki_body)
    move_device(device, DeviceState.RETIRED)
    with pytest.raises(InvalidTransition, match="Retired|廃棄"):
        move_device(device, DeviceState.LOST)
    assert Device.objects.get(pk=device.pk).state == DeviceState.RETIRED


def test_a_stale_copy_of_a_device_loses_the_compare_and_set(iwaki_body: SeedBody) -> None:
    from koshiki.security.lifecycle import DeviceState, move_device

    device = _official_device(iwaki_body)
    stale = Device.objects.get(pk=device.pk)
    move_device(device, DeviceState.LOST)
    with pytest.raises(InvalidTransition):
        move_device(stale, DeviceState.RETIRED)
    assert Device.objects.get(pk=device.pk).state == DeviceState.LOST


def test_a_refused_access_cannot_be_revoked_and_an_approved_one_cannot_go_back_to_pending(
    iwaki_body: SeedBody,
) -> None:
    from koshiki.security.lifecycle import AccessState, move_access

    _working_on_both(iwaki_body)
    access = services.request_device_access(
        actor=iwaki_body.operator.user, device=_official_device(iwaki_body), account=iwaki_body.account
    )
    assert access.state == AccessState.APPROVED
    with pytest.raises(InvalidTransition):
        move_access(access, AccessState.PENDING)
    move_access(access, AccessState.REVOKED)
    with pytest.raises(InvalidTransition):
        move_access(access, AccessState.REFUSED)
    assert DeviceAccess.objects.get(pk=access.pk).state == AccessState.REVOKED


def test_a_done_rotation_task_cannot_be_closed_again(iwaki_body: SeedBody) -> None:
    from koshiki.security.lifecycle import TaskState, move_task

    services.add_holder(
        actor=iwaki_body.manager.user, account=iwaki_body.account, staff=iwaki_body.operator, reason="a"
    )
    services.remove_holder(
        actor=iwaki_body.manager.user, account=iwaki_body.account, staff=iwaki_body.operator, reason="b"
    )
    task = RotationTask.objects.get(account=iwaki_body.account, state=TaskState.OPEN)
    rotation = services.record_rotation(
        actor=iwaki_body.manager.user,
        account=iwaki_body.account,
        rotated_on=timezone.localdate(),
        reason="staff_change",
    )
    task.refresh_from_db()
    assert (task.state, task.closed_by_id) == (TaskState.DONE, rotation.pk)
    with pytest.raises(InvalidTransition):
        move_task(task, TaskState.DONE, closed_by=rotation)


# --- the bulk updates of a personnel change and of a loss, one audit row per row changed ---------


def test_a_leave_writes_one_audit_row_per_device_retired_and_per_access_revoked(iwaki_body: SeedBody) -> None:
    from koshiki.orgs import services as org_services

    _working_on_both(iwaki_body)
    devices = [_official_device(iwaki_body, "iPad 1"), _official_device(iwaki_body, "iPad 2")]
    accesses = [
        services.request_device_access(actor=iwaki_body.operator.user, device=d, account=a)
        for d in devices
        for a in (iwaki_body.account, iwaki_body.other_account)
    ]
    org_services.record_personnel_change(
        actor=iwaki_body.admin.user,
        staff=iwaki_body.operator,
        kind="leave",
        effective_date=timezone.localdate(),
    )
    retired = _rows("security.device.retired")
    assert sorted(int(e.object_id) for e in retired) == sorted(d.pk for d in devices)
    assert all(e.before == {"state": "in_use"} and e.after["state"] == "retired" for e in retired)
    revoked = _rows("security.device.access_revoked")
    assert sorted(e.after["access"] for e in revoked) == sorted(a.pk for a in accesses)
    assert all(e.before["state"] == "approved" and e.after["state"] == "revoked" for e in revoked)


def test_a_move_revokes_accesses_one_audit_row_each_but_keeps_the_device(iwaki_body: SeedBody) -> None:
    from koshiki.orgs import services as org_services

    _working_on_both(iwaki_body)
    device = _official_device(iwaki_body)
    for account in (iwaki_body.account, iwaki_body.other_account):
        services.request_device_access(actor=iwaki_body.operator.user, device=device, account=account)
    org_services.record_personnel_change(
        actor=iwaki_body.admin.user,
        staff=iwaki_body.operator,
        kind="move",
        effective_date=timezone.localdate(),
        to_department=iwaki_body.organization.departments.get(code="bu"),
    )
    assert len(_rows("security.device.access_revoked")) == 2
    assert _rows("security.device.retired") == []
    assert Device.objects.get(pk=device.pk).state == "in_use"


def test_a_lost_device_writes_one_audit_row_per_access_revoked(iwaki_body: SeedBody) -> None:
    _working_on_both(iwaki_body)
    device = _official_device(iwaki_body)
    accesses = [
        services.request_device_access(actor=iwaki_body.operator.user, device=device, account=a)
        for a in (iwaki_body.account, iwaki_body.other_account)
    ]
    services.report_lost_device(
        actor=iwaki_body.operator.user,
        device=device,
        happened_on=timezone.localdate(),
        circumstances="電車内に置き忘れ",
    )
    revoked = _rows("security.device.access_revoked")
    assert sorted(e.after["access"] for e in revoked) == sorted(a.pk for a in accesses)


# --- a call that changes nothing writes no audit row ---------------------------------------------


def test_setting_the_same_two_step_method_again_writes_no_audit_row(iwaki_body: SeedBody) -> None:
    contact = f"koho@{iwaki_body.organization.web_domains[0]}"
    for _ in range(2):
        services.set_two_step(
            actor=iwaki_body.manager.user, account=iwaki_body.account, method="app", recovery_contact=contact
        )
    assert len(_rows("security.account.two_step_set")) == 1
    services.set_two_step(
        actor=iwaki_body.manager.user,
        account=iwaki_body.account,
        method="security_key",
        recovery_contact=contact,
    )
    assert len(_rows("security.account.two_step_set")) == 2


def test_attesting_the_same_state_on_the_same_day_writes_no_audit_row(iwaki_body: SeedBody) -> None:
    device = _official_device(iwaki_body)
    services.attest_device(
        actor=iwaki_body.operator.user,
        device=device,
        os_patched_on=device.os_patched_on,
        antivirus=device.antivirus,
    )
    assert _rows("security.device.attested") == []
    services.attest_device(
        actor=iwaki_body.operator.user,
        device=device,
        os_patched_on=device.os_patched_on,
        antivirus="outdated",
    )
    assert len(_rows("security.device.attested")) == 1


# --- helpers that skip permission checks ----------------------------------------------------------


@pytest.mark.parametrize("name", ["open_rotation_task", "rotate_for_personnel_change"])
def test_unchecked_helpers_are_not_exported_as_services(name: str) -> None:
    from koshiki.security.services import tasks_open

    assert not hasattr(services, name)
    assert name not in services.__all__
    assert not any(n.endswith("_unchecked") for n in services.__all__)
    assert callable(getattr(tasks_open, f"{name}_unchecked"))


def test_the_personnel_signal_still_reaches_the_unchecked_helper(iwaki_body: Any) -> None:
    from koshiki.orgs import services as org_services

    services.add_holder(
        actor=iwaki_body.manager.user, account=iwaki_body.account, staff=iwaki_body.operator, reason="a"
    )
    org_services.record_personnel_change(
        actor=iwaki_body.admin.user,
        staff=iwaki_body.operator,
        kind="leave",
        effective_date=timezone.localdate(),
    )
    assert (
        RotationTask.objects.filter(account=iwaki_body.account, cause="personnel", state="open").count() == 1
    )


def test_a_decided_personal_device_request_cannot_be_decided_again(iwaki_body: SeedBody) -> None:
    _working_on_both(iwaki_body)
    device = services.register_device(
        actor=iwaki_body.operator.user,
        label="私物",
        kind="personal",
        os_name="iOS 18",
        os_patched_on=timezone.localdate(),
        antivirus="active",
    )
    access = services.request_device_access(
        actor=iwaki_body.operator.user, device=device, account=iwaki_body.account, reason="災害対応"
    )
    services.decide_device_access(actor=iwaki_body.manager.user, access=access, approve=False, comment="不要")
    with pytest.raises(InvalidTransition, match="すでに決定済み"):
        services.decide_device_access(actor=iwaki_body.manager.user, access=access, approve=True)
    assert DeviceAccess.objects.get(pk=access.pk).state == "refused"
