"""Change and closure with each body's notice periods; emergency stops."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.registry import services
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import Notice

from .conftest import full_policy

TODAY = timezone.localdate


def _live_account(body: Any) -> Any:
    """An account already through its chain: approved by whoever the chain names, then opened."""
    from koshiki.registry.services.requests import pending_step

    account = services.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform="x",
        account_name="公式",
        handle=f"{body.organization.code}_x",
        purpose="広報",
    )
    services.save_policy(actor=body.tanto.user, account=account, items=full_policy(account))
    while (step := pending_step(account)) is not None:
        services.decide(actor=step.waiting_for[0].user, account=account, approve=True)
    account.refresh_from_db()
    services.activate(actor=body.shozokucho.user, account=account, url="https://x.com/example")
    return account


def test_iwaki_closure_needs_a_month_of_notice(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    with pytest.raises(InvalidInput, match="「いわき市 第4 5\\(2\\)」"):
        services.announce(
            actor=iwaki.shozokucho.user,
            account=account,
            kind="closure",
            effective_on=TODAY() + dt.timedelta(days=20),
            description="統合のため",
        )
    assert account.notices.count() == 0


def test_iwaki_closure_keeps_the_notice_half_a_year(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    effective = TODAY() + dt.timedelta(days=40)
    notice = services.announce(
        actor=iwaki.shozokucho.user,
        account=account,
        kind="closure",
        effective_on=effective,
        description="統合のため",
    )
    assert notice.keep_until == effective + dt.timedelta(days=180)
    account.refresh_from_db()
    assert account.state == AccountState.CLOSURE_ANNOUNCED
    with pytest.raises(InvalidInput):
        services.complete_notice(actor=iwaki.shozokucho.user, account=account)
    services.complete_notice(actor=iwaki.shozokucho.user, account=account, on=effective)
    account.refresh_from_db()
    assert account.state == AccountState.CLOSED
    assert AuditEntry.objects.filter(action="registry.account.closure_completed").exists()


def test_iwaki_change_keeps_the_notice_a_year(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    notice = services.announce(
        actor=iwaki.shozokucho.user,
        account=account,
        kind="change",
        effective_on=TODAY() + dt.timedelta(days=31),
        description="アカウント名の変更",
    )
    assert notice.keep_until == notice.effective_on + dt.timedelta(days=365)


def test_iwaki_notifies_policy_director_before_and_ciso_after(
    iwaki: Any, iwaki_officers: Any, django_capture_on_commit_callbacks: Any
) -> None:
    account = _live_account(iwaki)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.announce(
            actor=iwaki.shozokucho.user,
            account=account,
            kind="closure",
            effective_on=TODAY() + dt.timedelta(days=31),
            description="終了",
        )
    assert len(callbacks) == 2
    entry = AuditEntry.objects.get(action="registry.notice.notified")
    assert (
        entry.after == {"before": ["policy_director"], "after": ["ciso"]}
        and entry.clause == "「いわき市 第4 5(1)」"
    )


def test_shinshiro_announces_closure_after_the_fact(shinshiro: Any) -> None:
    account = _live_account(shinshiro)
    notice = services.announce(
        actor=shinshiro.shozokucho.user,
        account=account,
        kind="closure",
        effective_on=TODAY(),
        description="運用困難のため",
    )
    assert notice.effective_on == TODAY()


def test_emergency_stop_skips_the_notice(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    notice = services.announce(
        actor=iwaki.shozokucho.user,
        account=account,
        kind="change",
        effective_on=TODAY() + dt.timedelta(days=40),
        description="名称変更",
    )
    services.emergency_stop(
        actor=iwaki.shozokucho.user, account=account, reason="乗っ取りの疑い", confirmed=True
    )
    account.refresh_from_db()
    notice.refresh_from_db()
    assert account.state == AccountState.SUSPENDED and notice.state == Notice.State.CANCELLED
    entry = AuditEntry.objects.get(action="registry.account.emergency_stopped")
    assert entry.after["cancelled_notices"] == [notice.pk]


def test_tanto_cannot_announce_a_closure(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    with pytest.raises(NotPermitted):
        services.announce(
            actor=iwaki.tanto.user,
            account=account,
            kind="closure",
            effective_on=TODAY() + dt.timedelta(days=60),
            description="x",
        )


def test_cancelled_notice_returns_to_active(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    services.announce(
        actor=iwaki.shozokucho.user,
        account=account,
        kind="change",
        effective_on=TODAY() + dt.timedelta(days=40),
        description="x",
    )
    services.cancel_notice(actor=iwaki.shozokucho.user, account=account, reason="取りやめ")
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE
    assert account.notices.get().state == Notice.State.CANCELLED


def test_daily_reminders_go_out_once_a_day_from_the_last_run_row(
    transactional_db: Any, iwaki: Any, iwaki_officers: Any, mailoutbox: Any
) -> None:
    """Due is read from the JobRun rows, not from a queued task: a lost task
    loses no day, two sweeps send once; the sweep queues one job per body with open notices (issue #12)."""
    from django.core.management import call_command

    from koshiki.core import jobs
    from koshiki.registry.tasks import REMINDER_HOUR, send_due_reminders

    account = _live_account(iwaki)
    notice = services.announce(
        actor=iwaki.shozokucho.user,
        account=account,
        kind="closure",
        effective_on=TODAY() + dt.timedelta(days=31),
        description="終了",
    )
    assert send_due_reminders(TODAY()) == 0
    assert send_due_reminders(notice.effective_on - dt.timedelta(days=4)) == 1  # the day before the run
    assert mailoutbox[-1].to == [iwaki.shozokucho.email] and "公式" in mailoutbox[-1].subject
    before_hour = dt.datetime.combine(
        notice.effective_on - dt.timedelta(days=3),
        dt.time(REMINDER_HOUR - 1),
        tzinfo=timezone.get_current_timezone(),
    )
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)  # earlier news
    sent = len(mailoutbox)
    assert jobs.run_sweeps(before_hour)["registry.daily_reminders"] == 0
    assert jobs.run_sweeps(before_hour + dt.timedelta(hours=2))["registry.daily_reminders"] == 1
    assert jobs.run_sweeps(before_hour + dt.timedelta(hours=2))["registry.daily_reminders"] == 0  # queued
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
    assert jobs.run_sweeps(before_hour + dt.timedelta(hours=3))["registry.daily_reminders"] == 0  # done today
    assert len([m for m in mailoutbox[sent:] if "公式" in m.subject]) == 1
    assert (
        jobs.run_sweeps(before_hour + dt.timedelta(days=1, hours=2))["registry.daily_reminders"] == 1
    )  # next day


def test_login_email_off_the_own_domain_is_flagged_with_the_clause(shinshiro: Any) -> None:
    from koshiki.registry.checks import login_email_warning

    account = services.request_account(
        actor=shinshiro.tanto.user,
        department=shinshiro.departments["kiki"],
        platform="x",
        account_name="新城",
        purpose="広報",
        login_email="sns@gmail.com",
    )
    assert "gmail.com" in login_email_warning(account) and "「新城市 3(5)」" in login_email_warning(account)
    account.login_email = "sns@city.shinshiro.lg.jp"
    assert login_email_warning(account) == ""
