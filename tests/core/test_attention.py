"""core/attention.py: item kinds with closing conditions, providers registered by the apps, and a test that
every registered kind clears (by name in CLEARED_BY: the test that makes it disappear)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from koshiki.core import attention, jobs
from koshiki.core.models import JobRun
from koshiki.orgs.tasks import apply_due_personnel_changes_task

from ..attention_helpers import kinds

TESTS = Path(__file__).resolve().parents[1]

#: Each kind → the test that shows it clear once its work is done.
CLEARED_BY = {
    "orgs.personnel_change": "orgs/test_attention.py::test_a_personnel_change_coming_up_clears_once_applied",
    "orgs.profile_drift": "orgs/test_attention.py::test_profile_drift_clears_once_the_new_version_is_adopted",
    "orgs.self_granted_role": (
        "orgs/test_attention.py::test_a_self_granted_role_clears_once_another_admin_decides"
    ),
    "registry.approval_waiting": (
        "registry/test_notice_attention.py::test_an_approval_waiting_clears_once_decided"
    ),
    "registry.no_current_manager": (
        "registry/test_manager_after_move.py::"
        "test_org_admin_sees_an_account_without_a_current_manager_until_one_is_named"
    ),
    "registry.unassignable_step": (
        "registry/test_unassignable_steps.py::"
        "test_admins_see_a_request_stuck_on_a_step_nobody_holds_until_someone_does"
    ),
    "registry.notice_due": (
        "registry/test_notice_attention.py::test_a_notice_coming_due_clears_once_carried_out"
    ),
    "registry.notice_take_down": (
        "registry/test_notice_attention.py::test_change_notice_may_come_down_item_clears_once_taken_down"
    ),
    "registry.policy_review": (
        "registry/test_notice_attention.py::test_a_policy_review_clears_once_the_policy_is_revised"
    ),
    "registry.continuation_review": (
        "registry/test_notice_attention.py::test_a_continuation_review_clears_once_recorded"
    ),
    "registry.dormant": (
        "registry/test_notice_attention.py::test_a_dormant_account_clears_once_its_closure_is_announced"
    ),
    "posts.approval_waiting": "posts/test_attention.py::test_a_post_waiting_for_approval_clears_once_decided",
    "posts.after_report": "posts/test_attention.py::test_an_after_the_fact_report_clears_once_acknowledged",
    "posts.publish_failed": "posts/test_attention.py::test_a_failed_publication_clears_once_retried",
    "posts.not_yet_published": "posts/test_attention.py::test_a_post_not_yet_published_clears_once_withdrawn",
    "security.rotate_now": "security/test_attention.py::test_rotate_now_clears_once_the_rotation_is_recorded",
    "security.overdue_rotation": (
        "security/test_attention.py::test_an_overdue_rotation_clears_once_the_rotation_is_recorded"
    ),
    "security.too_many_holders": (
        "security/test_attention.py::test_too_many_holders_clears_once_people_are_removed"
    ),
    "security.missing_two_step": "security/test_attention.py::test_missing_two_step_clears_once_recorded",
    "security.personal_device": (
        "security/test_attention.py::test_a_personal_device_clears_once_its_access_is_decided"
    ),
    "security.stale_device": "security/test_attention.py::test_a_stale_device_clears_once_attested_again",
    "security.unhealthy_device": (
        "security/test_attention.py::test_an_unhealthy_device_clears_once_attested_with_current_patches"
    ),
    "core.sweeper_stale": "core/test_attention.py::test_a_stale_sweeper_clears_once_it_runs",
    "core.tasks_held": "core/test_attention.py::test_held_tasks_clear_once_the_sweeper_requeues_them",
    "core.job_failed": "core/test_attention.py::test_a_failed_job_clears_once_its_next_run_succeeds",
    "core.task_failed": "core/test_attention.py::test_a_failed_task_clears_a_day_later",
}


def _test_names(path: Path) -> set[str]:
    return {
        n.name
        for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(n, ast.FunctionDef)
    }


def test_every_kind_has_a_closing_condition_and_a_test_that_it_clears() -> None:
    assert sorted(attention.KINDS) == sorted(CLEARED_BY)
    for name, spec in attention.KINDS.items():
        assert str(spec.closes_when).strip(), name
        file, test = CLEARED_BY[name].split("::")
        assert test in _test_names(TESTS / file), CLEARED_BY[name]
        assert name in (TESTS / file).read_text(encoding="utf-8"), f"{CLEARED_BY[name]} never names {name}"


def test_a_kind_without_a_closing_condition_is_refused() -> None:
    with pytest.raises(ValueError, match="closing condition"):
        attention.kind("tests.never_clears", closes_when=" ")
    assert "tests.never_clears" not in attention.KINDS


def test_items_carry_their_kind_role_and_closing_condition_and_sort_by_due(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = attention.Kind("tests.sample", "It is done.", role="org_admin")
    later, sooner = dt.date(2030, 1, 2), dt.date(2030, 1, 1)

    def sample(viewer: attention.Viewer) -> Any:
        yield spec.item("B later", "", "/b", due=later)
        yield spec.item("Z undated", "", "/z")
        yield spec.item("A sooner", "", "/a", due=sooner, severity="danger")

    monkeypatch.setattr(attention, "PROVIDERS", {"sample": sample})
    items = attention.items_for(None, None, now=timezone.now())
    assert [i.title for i in items] == ["A sooner", "B later", "Z undated"]
    assert (
        items[0].kind == "tests.sample"
        and items[0].role == "org_admin"
        and items[0].closes_when == "It is done."
    )
    with pytest.raises(ValueError):
        spec.item("x", "", "/", severity="loud")


def test_the_viewer_clock_is_an_input() -> None:
    moment = dt.datetime(2031, 5, 6, 23, 30, tzinfo=dt.UTC)
    assert attention.Viewer(None, None, moment).today == timezone.localdate(moment)  # 2031-05-07 in Tokyo


def test_a_stale_sweeper_clears_once_it_runs(iwaki: Any) -> None:
    assert "core.sweeper_stale" in kinds(iwaki.kacho)
    assert "core.sweeper_stale" not in kinds(iwaki.tanto)  # administrators only
    jobs.run_sweeps()
    assert "core.sweeper_stale" not in kinds(iwaki.kacho)


def test_held_tasks_clear_once_the_sweeper_requeues_them(iwaki: Any) -> None:
    result = apply_due_personnel_changes_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - dt.timedelta(minutes=11)
    )
    assert "core.tasks_held" in kinds(iwaki.kacho)
    jobs.run_sweeps()
    assert "core.tasks_held" not in kinds(iwaki.kacho)


def test_a_failed_job_clears_once_its_next_run_succeeds(iwaki: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}

    def flaky(now: dt.datetime) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return 0

    monkeypatch.setitem(jobs.SWEEPS, "tests.flaky", flaky)
    jobs.run_sweeps()
    assert "core.job_failed" in kinds(iwaki.kacho)
    jobs.run_sweeps()
    assert JobRun.objects.get(name="tests.flaky").last_error == ""
    assert "core.job_failed" not in kinds(iwaki.kacho)


def test_a_failed_task_clears_a_day_later(iwaki: Any) -> None:
    jobs.run_sweeps()
    result = apply_due_personnel_changes_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=jobs.LEASE_EXPIRED,
        traceback="LeaseExpired: held past the lease",
    )
    assert "core.task_failed" in kinds(iwaki.kacho)
    assert "core.task_failed" not in kinds(iwaki.kacho, now=timezone.now() + dt.timedelta(days=1, minutes=1))
