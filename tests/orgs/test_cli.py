"""`koshiki org create|list` and the worker running a queued job."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from koshiki.cli import main
from koshiki.orgs.models import Organization, PersonnelChange


def test_org_create_registers_a_body(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "org",
                "create",
                "--lgcode",
                "012165",
                "--name",
                "芦別市",
                "--profile",
                "ashibetsu",
                "--domain",
                "city.ashibetsu.hokkaido.jp",
            ]
        )
        == 0
    )
    assert Organization.objects.get(code="012165").web_domains == ["city.ashibetsu.hokkaido.jp"]
    assert main(["org", "list"]) == 0
    assert "012165\t芦別市\tashibetsu" in capsys.readouterr().out


def test_org_create_duplicate_code_exits_1_with_a_clear_error(
    iwaki: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    before = Organization.objects.count()
    assert main(["org", "create", "--lgcode", "072044", "--name", "いわき市", "--profile", "iwaki"]) == 1
    assert "072044" in capsys.readouterr().err
    assert Organization.objects.count() == before


def test_worker_runs_the_queued_job(
    transactional_db: Any, iwaki: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The real database backend and db_worker, one batch (it closes connections: transactional)."""
    from koshiki.orgs import services
    from koshiki.orgs.tasks import apply_due_personnel_changes_task

    with django_capture_on_commit_callbacks(execute=False):
        change = services.record_personnel_change(
            actor=iwaki.kacho.user,
            staff=iwaki.tanto,
            kind="leave",
            effective_date=timezone.localdate() + dt.timedelta(days=3),
        )
    PersonnelChange.objects.filter(pk=change.pk).update(
        effective_date=timezone.localdate()
    )  # the date has come
    apply_due_personnel_changes_task.enqueue()
    call_command("db_worker", batch=True, interval=0)
    change.refresh_from_db()
    assert change.state == PersonnelChange.State.APPLIED
