"""Each security dashboard item (a board line the person hears of) clears once what it asks for is done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from koshiki.orgs import services as org_services
from koshiki.security import services
from koshiki.security.models import Device, Rotation

from ..attention_helpers import kinds
from .conftest import SeedBody
from .test_credentials import _holders
from .test_devices import _device

TODAY = timezone.localdate


def test_rotate_now_clears_once_the_rotation_is_recorded(iwaki_body: SeedBody) -> None:
    _holders(iwaki_body)
    services.remove_holder(
        actor=iwaki_body.manager.user,
        account=iwaki_body.account,
        staff=iwaki_body.operator,
        reason="担当替え",
    )
    assert "security.rotate_now" in kinds(iwaki_body.manager)
    services.record_rotation(
        actor=iwaki_body.manager.user,
        account=iwaki_body.account,
        rotated_on=TODAY(),
        reason=Rotation.Reason.STAFF_CHANGE,
    )
    assert "security.rotate_now" not in kinds(iwaki_body.manager)


def test_an_overdue_rotation_clears_once_the_rotation_is_recorded(iwaki_body: SeedBody) -> None:
    _holders(iwaki_body)
    Rotation.objects.filter(account=iwaki_body.account).update(rotated_on=TODAY() - dt.timedelta(days=100))
    assert "security.overdue_rotation" in kinds(iwaki_body.manager)
    services.record_rotation(
        actor=iwaki_body.manager.user, account=iwaki_body.account, rotated_on=TODAY(), reason="scheduled"
    )
    assert "security.overdue_rotation" not in kinds(iwaki_body.manager)


def test_too_many_holders_clears_once_people_are_removed(iwaki_body: SeedBody, system_admin: Any) -> None:
    _holders(iwaki_body)
    extras = [
        org_services.add_staff(
            actor=system_admin,
            organization=iwaki_body.organization,
            username=f"extra{n}",
            display_name=f"応援 {n}",
            department=iwaki_body.account.department,
        )
        for n in range(2)
    ]
    for extra in extras:
        services.add_holder(
            actor=iwaki_body.manager.user, account=iwaki_body.account, staff=extra, reason="応援"
        )
    assert "security.too_many_holders" in kinds(iwaki_body.manager)
    for extra in extras:
        services.remove_holder(
            actor=iwaki_body.manager.user, account=iwaki_body.account, staff=extra, reason="応援終了"
        )
    assert "security.too_many_holders" not in kinds(iwaki_body.manager)


def test_missing_two_step_clears_once_recorded(iwaki_body: SeedBody) -> None:
    page = reverse("account-security", args=[iwaki_body.account.pk])
    assert "security.missing_two_step" in kinds(iwaki_body.manager, link=page)
    services.set_two_step(
        actor=iwaki_body.manager.user,
        account=iwaki_body.account,
        method="app",
        recovery_contact="koho@city.072044.lg.jp",
    )
    assert "security.missing_two_step" not in kinds(iwaki_body.manager, link=page)


def test_a_personal_device_clears_once_its_access_is_decided(iwaki_body: SeedBody) -> None:
    access = services.request_device_access(
        actor=iwaki_body.operator.user,
        device=_device(iwaki_body),
        account=iwaki_body.account,
        reason="災害時の発信",
    )
    assert "security.personal_device" in kinds(iwaki_body.manager)
    services.decide_device_access(actor=iwaki_body.manager.user, access=access, approve=True)
    assert "security.personal_device" not in kinds(iwaki_body.manager)


def test_a_stale_device_clears_once_attested_again(iwaki_body: SeedBody) -> None:
    device = _device(iwaki_body, "official")
    Device.objects.filter(pk=device.pk).update(attested_on=TODAY() - dt.timedelta(days=40))
    assert "security.stale_device" in kinds(iwaki_body.operator)
    services.attest_device(
        actor=iwaki_body.operator.user, device=device, os_patched_on=TODAY(), antivirus="active"
    )
    assert "security.stale_device" not in kinds(iwaki_body.operator)


def test_an_unhealthy_device_clears_once_attested_with_current_patches(iwaki_body: SeedBody) -> None:
    device = _device(iwaki_body, "official")
    Device.objects.filter(pk=device.pk).update(os_patched_on=TODAY() - dt.timedelta(days=200))
    assert "security.unhealthy_device" in kinds(iwaki_body.operator)
    services.attest_device(
        actor=iwaki_body.operator.user, device=device, os_patched_on=TODAY(), antivirus="active"
    )
    assert "security.unhealthy_device" not in kinds(iwaki_body.operator)
