"""Daily security reminders fan out per body (issue #12): one job per organization, each once a day and
retried on failure, so one body's failure or a crash half-way stops no other body and sends nothing twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from koshiki.core import jobs
from koshiki.security import services
from koshiki.security import tasks as security_tasks

from .conftest import SEEDS, SeedBody, build_seed_body


def _hold(body: SeedBody) -> None:
    services.add_holder(actor=body.manager.user, account=body.account, staff=body.operator, reason="主担当")
    services.record_rotation(
        actor=body.manager.user, account=body.account, rotated_on=timezone.localdate(), reason="scheduled"
    )


@pytest.fixture
def bodies(transactional_db: Any, system_admin: Any, clock: Any) -> list[SeedBody]:
    """Two bodies whose passwords come due within the week, on the morning their reminders go out.
    (transactional_db: on PostgreSQL the in-process worker closes a connection inside a test transaction.)"""
    made = [build_seed_body(system_admin, *SEEDS[0]), build_seed_body(system_admin, *SEEDS[3])]
    for body in made:
        _hold(body)
    morning = timezone.localtime().replace(hour=9, minute=0) + dt.timedelta(days=85)
    clock.move_to(morning)
    mail.outbox.clear()
    return made


def _worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def _sweep_and_work(minutes: int = 0) -> None:
    jobs.run_sweeps(timezone.now() + dt.timedelta(minutes=minutes))
    _worker()


def _received(body: SeedBody) -> Counter[str]:
    domain = body.operator.email.split("@")[1]
    return Counter(m.to[0] for m in mail.outbox if m.to[0].endswith(domain) and "Koshiki" in m.subject)


def _failing_for(monkeypatch: pytest.MonkeyPatch, body: SeedBody, times: int) -> list[int]:
    """The body's reminder lines raise ``times`` times (a broken row, a lost connection), then work."""
    real = security_tasks._reminder_lines
    failures: list[int] = []

    def lines(organization: Any, today: dt.date) -> Any:
        if organization.pk == body.organization.pk and len(failures) < times:
            failures.append(organization.pk)
            raise RuntimeError("broken for this body")
        return real(organization, today)

    monkeypatch.setattr(security_tasks, "_reminder_lines", lines)
    return failures


def test_one_bodys_failing_job_does_not_stop_the_others(
    bodies: list[SeedBody], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken, other = bodies
    _failing_for(monkeypatch, broken, times=100)
    _sweep_and_work()
    assert _received(other)[other.operator.email] == 1
    assert not _received(broken)


def test_a_crash_half_way_reruns_only_the_missing_body_on_a_later_pass(
    bodies: list[SeedBody], monkeypatch: pytest.MonkeyPatch
) -> None:
    other, broken = bodies  # the second body breaks: the first was already done when the run crashed
    failures = _failing_for(monkeypatch, broken, times=1)
    _sweep_and_work()
    _sweep_and_work(minutes=1)
    assert failures == [broken.organization.pk]
    assert set(_received(broken).values()) == {1} and broken.operator.email in _received(broken)
    assert set(_received(other).values()) == {1} and other.operator.email in _received(other)


def test_running_the_fan_out_twice_sends_nothing_twice(bodies: list[SeedBody]) -> None:
    jobs.run_sweeps(timezone.now())
    jobs.run_sweeps(timezone.now())
    _worker()
    _sweep_and_work(minutes=1)
    for body in bodies:
        assert set(_received(body).values()) == {1}
        assert {body.operator.email, body.manager.email} <= set(_received(body))


def test_a_body_that_keeps_failing_is_given_up_for_the_day_after_the_attempt_limit(
    bodies: list[SeedBody], monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.KOSHIKI_TASK_MAX_ATTEMPTS = 2
    broken, _other = bodies
    failures = _failing_for(monkeypatch, broken, times=100)
    for minute in range(5):
        _sweep_and_work(minutes=minute)
    assert len(failures) == 2
    from koshiki.core.models import JobRun

    run = JobRun.objects.get(name=f"security.daily_reminders:{broken.organization.pk}")
    assert "broken for this body" in run.last_error  # shown on the worker-health panel
