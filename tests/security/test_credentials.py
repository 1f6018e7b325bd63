"""Credential holders, rotations and the personnel-change link, under each seed profile."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs import services as org_services
from koshiki.security import services
from koshiki.security.models import CredentialHolder, Rotation, RotationTask
from koshiki.security.rules import credential_rules
from koshiki.security.status import board_lines, organization_security

from .conftest import SeedBody

STRONG = "Kawa-Sakura-Tonbo-8372!"
STRONG_2 = "Yama-Hotaru-Kumo-5519?"


def _holders(body: SeedBody) -> None:
    services.add_holder(actor=body.manager.user, account=body.account, staff=body.operator, reason="主担当")
    services.add_holder(
        actor=body.manager.user, account=body.account, staff=body.second_operator, reason="副担当"
    )
    services.record_rotation(
        actor=body.manager.user,
        account=body.account,
        rotated_on=timezone.localdate(),
        reason=Rotation.Reason.STAFF_CHANGE,
    )


def test_a_personnel_change_opens_a_rotate_now_task_at_once(seed_body: SeedBody) -> None:
    _holders(seed_body)
    org_services.record_personnel_change(
        actor=seed_body.admin.user,
        staff=seed_body.operator,
        kind="leave",
        effective_date=timezone.localdate(),
    )
    (task,) = RotationTask.objects.filter(account=seed_body.account, state=RotationTask.State.OPEN)
    assert task.cause == RotationTask.Cause.PERSONNEL and task.due_on == timezone.localdate()
    assert list(
        CredentialHolder.objects.filter(account=seed_body.account, removed_at__isnull=True).values_list(
            "staff_id", flat=True
        )
    ) == [seed_body.second_operator.pk]
    rules = credential_rules(seed_body.profile)
    opened = AuditEntry.objects.filter(action="security.rotation_task.opened").last()
    assert opened is not None and opened.clause == rules.staff_change_citation
    expected = {
        "iwaki": "「いわき市 第4 3(2)」",
        "moriya-council": "「守谷市議会 6(1)」",
        "shinshiro": "「新城市 3(7)」",
        "ashibetsu": "",
    }[seed_body.profile.id]
    assert rules.staff_change_citation == expected


def test_a_move_to_another_department_also_opens_the_task(iwaki_body: SeedBody) -> None:
    _holders(iwaki_body)
    other = org_services.create_department(
        actor=iwaki_body.admin.user, organization=iwaki_body.organization, code="x", name="税務課"
    )
    org_services.record_personnel_change(
        actor=iwaki_body.admin.user,
        staff=iwaki_body.second_operator,
        kind="move",
        effective_date=timezone.localdate(),
        to_department=other,
    )
    assert (
        RotationTask.objects.filter(account=iwaki_body.account, state="open", cause="personnel").count() == 1
    )


def test_a_scheduled_personnel_change_opens_nothing_until_its_day(iwaki_body: SeedBody) -> None:
    _holders(iwaki_body)
    org_services.record_personnel_change(
        actor=iwaki_body.admin.user,
        staff=iwaki_body.operator,
        kind="leave",
        effective_date=timezone.localdate() + dt.timedelta(days=10),
    )
    assert not RotationTask.objects.filter(account=iwaki_body.account, state="open").exists()


def test_recording_a_rotation_closes_the_open_tasks(seed_body: SeedBody) -> None:
    _holders(seed_body)
    services.remove_holder(
        actor=seed_body.manager.user, account=seed_body.account, staff=seed_body.operator, reason="担当替え"
    )
    assert RotationTask.objects.filter(account=seed_body.account, state="open").count() == 1
    rotation = services.record_rotation(
        actor=seed_body.second_operator.user,
        account=seed_body.account,
        rotated_on=timezone.localdate(),
        reason="staff_change",
    )
    assert not RotationTask.objects.filter(account=seed_body.account, state="open").exists()
    assert RotationTask.objects.filter(account=seed_body.account).latest("pk").closed_by == rotation


def test_a_rotation_older_than_the_profile_period_is_overdue(seed_body: SeedBody) -> None:
    _holders(seed_body)
    rules = credential_rules(seed_body.profile)
    assert rules.max_age_days == 90  # 新城市 3(7) 「3か月に1回以上」; the others cite it or take the default
    today = timezone.localdate()
    on_time = organization_security(seed_body.organization, today=today + dt.timedelta(days=90))
    late = organization_security(seed_body.organization, today=today + dt.timedelta(days=91))
    status = next(s for s in late.accounts if s.account.pk == seed_body.account.pk)
    assert not next(s for s in on_time.accounts if s.account.pk == seed_body.account.pk).overdue
    assert status.overdue and status.due_on == today + dt.timedelta(days=90)
    (line,) = [
        line
        for line in board_lines(late)
        if line.kind == "overdue_rotation" and line.account_id == seed_body.account.pk
    ]
    assert line.clause == rules.max_age_citation


def test_shinshiro_cites_its_three_month_rule() -> None:
    from koshiki.guidelines import get_profile

    rules = credential_rules(get_profile("shinshiro"))
    assert (rules.max_age_days, rules.max_age_citation) == (90, "「新城市 3(7)」")


def test_the_strictest_rule_wins_for_the_due_date(iwaki_body: SeedBody) -> None:
    _holders(iwaki_body)
    services.remove_holder(
        actor=iwaki_body.manager.user, account=iwaki_body.account, staff=iwaki_body.operator, reason="異動"
    )
    status = organization_security(iwaki_body.organization, account_ids=[iwaki_body.account.pk]).accounts[0]
    assert status.due_on == timezone.localdate()  # the task (today), not the 90-day limit


def test_a_reused_password_is_refused_across_the_organization(seed_body: SeedBody) -> None:
    _holders(seed_body)
    services.add_holder(
        actor=seed_body.manager.user, account=seed_body.other_account, staff=seed_body.operator, reason="兼務"
    )
    services.record_rotation(
        actor=seed_body.manager.user,
        account=seed_body.account,
        rotated_on=timezone.localdate(),
        reason="scheduled",
        new_password=STRONG,
    )
    with pytest.raises(InvalidInput) as refused:
        services.record_rotation(
            actor=seed_body.manager.user,
            account=seed_body.other_account,
            rotated_on=timezone.localdate(),
            reason="scheduled",
            new_password=STRONG,
        )
    assert "以前に使われています" in refused.value.message or "used before" in refused.value.message
    citation = credential_rules(seed_body.profile).no_reuse_citation
    assert citation in refused.value.message
    assert Rotation.objects.filter(account=seed_body.other_account).count() == 0
    services.record_rotation(
        actor=seed_body.manager.user,
        account=seed_body.other_account,
        rotated_on=timezone.localdate(),
        reason="scheduled",
        new_password=STRONG_2,
    )


def test_ashibetsu_cites_its_no_reuse_clause_on_refusal(db: Any, system_admin: Any) -> None:
    from .conftest import build_seed_body

    body = build_seed_body(system_admin, "ashibetsu", "012165", "executive")
    _holders(body)
    services.record_rotation(
        actor=body.manager.user,
        account=body.account,
        rotated_on=timezone.localdate(),
        reason="scheduled",
        new_password=STRONG,
    )
    with pytest.raises(InvalidInput) as refused:
        services.record_rotation(
            actor=body.manager.user,
            account=body.account,
            rotated_on=timezone.localdate(),
            reason="scheduled",
            new_password=STRONG,
        )
    assert "「芦別市 第3章 3(1)」" in refused.value.message


def test_a_weak_password_is_refused_with_the_clause(db: Any, system_admin: Any) -> None:
    from .conftest import build_seed_body

    body = build_seed_body(system_admin, "moriya-council", "082244", "council")
    _holders(body)
    with pytest.raises(InvalidInput) as refused:
        services.record_rotation(
            actor=body.manager.user,
            account=body.account,
            rotated_on=timezone.localdate(),
            reason="scheduled",
            new_password="password2026",
        )
    assert "「守谷市議会 6(1)」" in refused.value.message and refused.value.field == "new_password"


def test_the_same_password_in_another_body_is_not_a_reuse(db: Any, system_admin: Any) -> None:
    from .conftest import build_seed_body

    first = build_seed_body(system_admin, "iwaki", "072044", "executive")
    second = build_seed_body(system_admin, "shinshiro", "232211", "executive")
    for body in (first, second):
        _holders(body)
        services.record_rotation(
            actor=body.manager.user,
            account=body.account,
            rotated_on=timezone.localdate(),
            reason="scheduled",
            new_password=STRONG,
        )
    a, b = (
        Rotation.objects.filter(account=body.account).exclude(fingerprint="").get().fingerprint
        for body in (first, second)
    )
    assert a != b  # per-organization keys: fingerprints cannot be compared across bodies


def test_a_future_rotation_date_is_refused(iwaki_body: SeedBody) -> None:
    with pytest.raises(InvalidInput):
        services.record_rotation(
            actor=iwaki_body.manager.user,
            account=iwaki_body.account,
            rotated_on=timezone.localdate() + dt.timedelta(days=1),
            reason="scheduled",
        )


def test_an_operator_cannot_add_holders(iwaki_body: SeedBody) -> None:
    with pytest.raises(NotPermitted):
        services.add_holder(
            actor=iwaki_body.operator.user,
            account=iwaki_body.account,
            staff=iwaki_body.operator,
            reason="自分で",
        )


def test_an_outsider_cannot_record_a_rotation(iwaki_body: SeedBody, outsider: Any) -> None:
    with pytest.raises(NotPermitted):
        services.record_rotation(
            actor=outsider.user,
            account=iwaki_body.account,
            rotated_on=timezone.localdate(),
            reason="scheduled",
        )


def test_too_many_holders_are_flagged(iwaki_body: SeedBody, system_admin: Any) -> None:
    _holders(iwaki_body)
    for n in range(2):
        extra = org_services.add_staff(
            actor=system_admin,
            organization=iwaki_body.organization,
            username=f"extra{n}",
            display_name=f"応援 {n}",
            department=iwaki_body.account.department,
        )
        services.add_holder(
            actor=iwaki_body.manager.user, account=iwaki_body.account, staff=extra, reason="応援"
        )
    (line,) = [
        line
        for line in board_lines(organization_security(iwaki_body.organization))
        if line.kind == "too_many_holders"
    ]
    assert line.clause == "「いわき市 第4 3(1)」" and "4" in line.detail


def test_missing_two_step_is_flagged_until_recorded(iwaki_body: SeedBody) -> None:
    def kinds() -> list[str]:
        return [
            line.kind
            for line in board_lines(organization_security(iwaki_body.organization))
            if line.account_id == iwaki_body.account.pk
        ]

    assert "missing_two_step" in kinds()
    services.set_two_step(
        actor=iwaki_body.manager.user,
        account=iwaki_body.account,
        method="app",
        recovery_contact="koho@city.072044.lg.jp",
    )
    assert "missing_two_step" not in kinds()


def test_a_recovery_contact_off_the_own_domain_is_refused(iwaki_body: SeedBody) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.set_two_step(
            actor=iwaki_body.manager.user,
            account=iwaki_body.account,
            method="app",
            recovery_contact="someone@gmail.com",
        )
    assert refused.value.field == "recovery_contact"
