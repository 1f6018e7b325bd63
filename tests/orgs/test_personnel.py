"""異動: moves and leaves take effect on their date, once, and tell the other domains."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.orgs import services
from koshiki.orgs.models import PersonnelChange, RoleAssignment, Staff
from koshiki.orgs.services import personnel
from koshiki.orgs.signals import personnel_change_applied

TODAY = timezone.localdate


def test_move_today_changes_department_and_ends_department_roles(iwaki: Any) -> None:
    services.record_personnel_change(
        actor=iwaki.kacho.user,
        staff=iwaki.shozokucho,
        kind="move",
        effective_date=TODAY(),
        to_department=iwaki.departments["somu"],
    )
    iwaki.shozokucho.refresh_from_db()
    assert iwaki.shozokucho.department == iwaki.departments["somu"]
    assert (
        not RoleAssignment.objects.current()
        .filter(staff=iwaki.shozokucho, role_id="account_manager")
        .exists()
    )


def test_move_keeps_body_wide_roles(iwaki: Any) -> None:
    services.record_personnel_change(
        actor=iwaki.kacho.user,
        staff=iwaki.ciso,
        kind="move",
        effective_date=TODAY(),
        to_department=iwaki.departments["kiki"],
    )
    assert RoleAssignment.objects.current().filter(staff=iwaki.ciso, role_id="ciso").exists()


def test_leave_deactivates_the_login_and_ends_every_role(iwaki: Any) -> None:
    services.record_personnel_change(
        actor=iwaki.kacho.user, staff=iwaki.tanto, kind="leave", effective_date=TODAY()
    )
    iwaki.tanto.refresh_from_db()
    assert iwaki.tanto.status == Staff.Status.LEFT
    assert not iwaki.tanto.user.is_active
    assert not RoleAssignment.objects.current().filter(staff=iwaki.tanto).exists()


def test_applied_change_is_announced_to_listeners(iwaki: Any) -> None:
    seen: list[PersonnelChange] = []

    def listener(sender: Any, change: PersonnelChange, **kwargs: Any) -> None:
        seen.append(change)

    personnel_change_applied.connect(listener)
    try:
        services.record_personnel_change(
            actor=iwaki.kacho.user, staff=iwaki.tanto, kind="leave", effective_date=TODAY()
        )
    finally:
        personnel_change_applied.disconnect(listener)
    assert [c.staff_id for c in seen] == [iwaki.tanto.pk]


def test_future_change_waits_for_its_date(iwaki: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = services.record_personnel_change(
            actor=iwaki.kacho.user,
            staff=iwaki.tanto,
            kind="leave",
            effective_date=TODAY() + dt.timedelta(days=10),
        )
    assert change.state == PersonnelChange.State.SCHEDULED
    assert callbacks == []  # nothing is parked: the sweeper applies it on its date (issue #12)
    assert services.apply_due_personnel_changes(TODAY()) == 0
    assert services.apply_due_personnel_changes(TODAY() + dt.timedelta(days=10)) == 1
    change.refresh_from_db()
    assert change.state == PersonnelChange.State.APPLIED


def test_due_changes_apply_only_once(iwaki: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        services.record_personnel_change(
            actor=iwaki.kacho.user,
            staff=iwaki.tanto,
            kind="leave",
            effective_date=TODAY() + dt.timedelta(days=1),
        )
    later = TODAY() + dt.timedelta(days=1)
    assert services.apply_due_personnel_changes(later) == 1
    assert services.apply_due_personnel_changes(later) == 0
    assert AuditEntry.objects.filter(action="orgs.staff.left").count() == 1


def test_applying_a_cancelled_change_is_an_invalid_transition(
    iwaki: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        change = services.record_personnel_change(
            actor=iwaki.kacho.user,
            staff=iwaki.tanto,
            kind="leave",
            effective_date=TODAY() + dt.timedelta(days=5),
        )
    services.cancel_personnel_change(actor=iwaki.kacho.user, change=change)
    with pytest.raises(InvalidTransition):
        personnel.apply_personnel_change_unchecked(change)


def test_stale_copy_loses_the_compare_and_set(iwaki: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        change = services.record_personnel_change(
            actor=iwaki.kacho.user,
            staff=iwaki.tanto,
            kind="leave",
            effective_date=TODAY() + dt.timedelta(days=5),
        )
    stale = PersonnelChange.objects.get(pk=change.pk)
    services.cancel_personnel_change(actor=iwaki.kacho.user, change=change)
    with pytest.raises(InvalidTransition):
        personnel.apply_personnel_change_unchecked(stale)
    assert not Staff.objects.filter(pk=iwaki.tanto.pk, status=Staff.Status.LEFT).exists()


def test_move_into_another_bodys_department_is_refused(iwaki: Any, shinshiro: Any) -> None:
    before = PersonnelChange.objects.count()
    with pytest.raises(InvalidInput):
        services.record_personnel_change(
            actor=iwaki.kacho.user,
            staff=iwaki.tanto,
            kind="move",
            effective_date=TODAY(),
            to_department=shinshiro.departments["kiki"],
        )
    assert PersonnelChange.objects.count() == before


def test_shozokucho_cannot_record_personnel_changes(iwaki: Any) -> None:
    with pytest.raises(NotPermitted):
        services.record_personnel_change(
            actor=iwaki.shozokucho.user, staff=iwaki.tanto, kind="leave", effective_date=TODAY()
        )


def test_worker_task_applies_due_changes(iwaki: Any) -> None:
    from koshiki.orgs.tasks import apply_due_personnel_changes_task

    PersonnelChange.objects.create(
        organization=iwaki.organization, staff=iwaki.tanto, kind="leave", effective_date=TODAY()
    )
    assert apply_due_personnel_changes_task.call() == 1


def test_a_due_change_whose_task_was_lost_is_applied_once_by_the_sweeper(iwaki: Any) -> None:
    from koshiki.core import jobs

    change = PersonnelChange.objects.create(
        organization=iwaki.organization,
        staff=iwaki.tanto,
        kind="leave",
        effective_date=TODAY() + dt.timedelta(days=2),
    )  # no task queued for it (lost)
    assert jobs.run_sweeps()["orgs.personnel_changes"] == 0
    later = timezone.now() + dt.timedelta(days=2)
    assert jobs.run_sweeps(later)["orgs.personnel_changes"] == 1
    assert jobs.run_sweeps(later)["orgs.personnel_changes"] == 0  # a second sweeper applies nothing twice
    change.refresh_from_db()
    assert change.state == PersonnelChange.State.APPLIED


def test_a_future_change_parks_no_task_and_the_sweeper_applies_it_on_its_date(
    iwaki: Any, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue #12: no task row waits with a future run time (every worker's claim walks past those)."""
    from django_tasks_db.models import DBTaskResult

    from koshiki.core import jobs
    from koshiki.orgs.tasks import apply_due_personnel_changes_task

    with django_capture_on_commit_callbacks(execute=True):
        change = services.record_personnel_change(
            actor=iwaki.kacho.user,
            staff=iwaki.tanto,
            kind="leave",
            effective_date=TODAY() + dt.timedelta(days=3),
        )
    assert not DBTaskResult.objects.filter(task_path=apply_due_personnel_changes_task.module_path).exists()
    jobs.run_sweeps(timezone.now())
    change.refresh_from_db()
    assert change.state == PersonnelChange.State.SCHEDULED
    clock.move_to(timezone.localtime().replace(hour=0, minute=0, second=30) + dt.timedelta(days=3))
    jobs.run_sweeps(timezone.now())  # the first sweeper pass of the day
    change.refresh_from_db()
    assert change.state == PersonnelChange.State.APPLIED
