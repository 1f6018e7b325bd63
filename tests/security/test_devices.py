"""Device register: personal devices need prior approval, stale attestations, lost-device reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.security import services
from koshiki.security.models import DeviceAccess, RotationTask
from koshiki.security.rules import credential_rules
from koshiki.security.status import board_lines, organization_security

from .conftest import SeedBody


def _device(body: SeedBody, kind: str = "personal", owner: Any = None) -> Any:
    for account in (body.account, body.other_account):
        services.add_holder(
            actor=body.manager.user, account=account, staff=owner or body.operator, reason="担当"
        )
    return services.register_device(
        actor=(owner or body.operator).user,
        label="私物スマートフォン",
        kind=kind,
        os_name="iOS 18.1",
        os_patched_on=timezone.localdate(),
        antivirus="active",
    )


def _lines(body: SeedBody, kind: str, **kwargs: Any) -> list[Any]:
    return [
        line for line in board_lines(organization_security(body.organization, **kwargs)) if line.kind == kind
    ]


def test_a_personal_device_without_approval_is_flagged(seed_body: SeedBody) -> None:
    device = _device(seed_body)
    access = services.request_device_access(
        actor=seed_body.operator.user,
        device=device,
        account=seed_body.account,
        reason="災害時に庁外から投稿するため",
    )
    assert access.state == DeviceAccess.State.PENDING
    (line,) = _lines(seed_body, "personal_device")
    assert line.clause == credential_rules(seed_body.profile).devices_citation
    if seed_body.profile.id == "moriya-council":
        assert line.clause == "「守谷市議会 6(2)」"


def test_the_responsible_person_approves_and_the_flag_goes(seed_body: SeedBody) -> None:
    access = services.request_device_access(
        actor=seed_body.operator.user, device=_device(seed_body), account=seed_body.account, reason="災害対応"
    )
    services.decide_device_access(actor=seed_body.manager.user, access=access, approve=True)
    assert DeviceAccess.objects.get(pk=access.pk).state == DeviceAccess.State.APPROVED
    assert _lines(seed_body, "personal_device") == []


def test_an_operator_cannot_approve_a_personal_device(iwaki_body: SeedBody) -> None:
    access = services.request_device_access(
        actor=iwaki_body.operator.user,
        device=_device(iwaki_body),
        account=iwaki_body.account,
        reason="災害対応",
    )
    with pytest.raises(NotPermitted):
        services.decide_device_access(actor=iwaki_body.second_operator.user, access=access, approve=True)


def test_a_personal_device_request_needs_a_reason(iwaki_body: SeedBody) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.request_device_access(
            actor=iwaki_body.operator.user, device=_device(iwaki_body), account=iwaki_body.account
        )
    assert refused.value.field == "reason"


def test_an_official_device_needs_no_approval(iwaki_body: SeedBody) -> None:
    access = services.request_device_access(
        actor=iwaki_body.operator.user, device=_device(iwaki_body, "official"), account=iwaki_body.account
    )
    assert access.state == DeviceAccess.State.APPROVED


def test_a_stale_attestation_is_flagged_and_attesting_clears_it(iwaki_body: SeedBody) -> None:
    device = _device(iwaki_body, "official")
    later = timezone.localdate() + dt.timedelta(days=32)
    assert [line.device_id for line in _lines(iwaki_body, "stale_device", today=later)] == [device.pk]
    assert _lines(iwaki_body, "stale_device") == []


def test_a_lost_device_opens_rotate_and_review_sessions_on_every_account(iwaki_body: SeedBody) -> None:
    device = _device(iwaki_body, "official")
    for account in (iwaki_body.account, iwaki_body.other_account):
        services.request_device_access(actor=iwaki_body.operator.user, device=device, account=account)
    services.report_lost_device(
        actor=iwaki_body.operator.user,
        device=device,
        happened_on=timezone.localdate(),
        circumstances="電車内に置き忘れ",
    )
    tasks = RotationTask.objects.filter(state="open", cause="lost_device")
    assert {t.account_id for t in tasks} == {iwaki_body.account.pk, iwaki_body.other_account.pk}
    assert all(t.review_sessions for t in tasks)
    assert set(DeviceAccess.objects.filter(device=device).values_list("state", flat=True)) == {"revoked"}


def test_after_a_loss_the_rotation_must_confirm_sessions_were_reviewed(iwaki_body: SeedBody) -> None:
    device = _device(iwaki_body, "official")
    services.request_device_access(actor=iwaki_body.operator.user, device=device, account=iwaki_body.account)
    services.report_lost_device(
        actor=iwaki_body.operator.user, device=device, happened_on=timezone.localdate(), circumstances="盗難"
    )
    with pytest.raises(InvalidInput) as refused:
        services.record_rotation(
            actor=iwaki_body.manager.user,
            account=iwaki_body.account,
            rotated_on=timezone.localdate(),
            reason="lost_device",
        )
    assert refused.value.field == "sessions_reviewed"
    services.record_rotation(
        actor=iwaki_body.manager.user,
        account=iwaki_body.account,
        rotated_on=timezone.localdate(),
        reason="lost_device",
        sessions_reviewed=True,
    )
    assert not RotationTask.objects.filter(state="open").exists()


def test_another_staff_member_cannot_report_my_device(iwaki_body: SeedBody) -> None:
    device = _device(iwaki_body, "official")
    with pytest.raises(NotPermitted):
        services.report_lost_device(
            actor=iwaki_body.second_operator.user,
            device=device,
            happened_on=timezone.localdate(),
            circumstances="?",
        )


def test_a_leaver_s_devices_stop_logging_in(iwaki_body: SeedBody) -> None:
    from koshiki.orgs import services as org_services

    device = _device(iwaki_body, "official")
    services.request_device_access(actor=iwaki_body.operator.user, device=device, account=iwaki_body.account)
    org_services.record_personnel_change(
        actor=iwaki_body.admin.user,
        staff=iwaki_body.operator,
        kind="leave",
        effective_date=timezone.localdate(),
    )
    device.refresh_from_db()
    assert device.state == "retired"
    assert set(DeviceAccess.objects.filter(device=device).values_list("state", flat=True)) == {"revoked"}


def test_a_device_label_never_reaches_the_audit_chain(seed_body: SeedBody) -> None:
    from koshiki.audit.models import AuditEntry

    label = "担当次郎 私用iPhone 090-1234-5678"
    device = services.register_device(
        actor=seed_body.operator.user,
        label=label,
        kind="personal",
        os_name="iOS 18.1",
        os_patched_on=timezone.localdate(),
        antivirus="active",
    )
    rows = list(AuditEntry.objects.values_list("object_repr", "before", "after"))
    assert rows and "090-1234-5678" not in repr(rows)
    assert f"device #{device.pk}" in [row[0] for row in rows]
