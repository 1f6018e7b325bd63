"""Daily reminders by e-mail (the dashboard shows the same items): notices coming due and notices that may
come down. A sweep (core/jobs.py) sends them once a day from REMINDER_HOUR; the JobRun row says which day
is done, so a dead worker or a lost task costs no day and two sweepers send no day twice."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from koshiki.core import jobs
from koshiki.core.request_id import set_request_id

REMINDER_HOUR = 8


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now)
    tomorrow = local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(REMINDER_HOUR), tzinfo=local.tzinfo)


def send_due_reminders(today: dt.date | None = None) -> int:
    """E-mail each open notice (registry/reminders.py, the same list as the
    dashboard) to its account's manager."""
    from koshiki.notify.service import send_now

    from .models import Notice
    from .notifications import NOTICE_REMINDER
    from .reminders import open_notices

    day = today or timezone.localdate()
    sent = 0
    for due in open_notices(day, Notice.objects.select_related("account__manager")):
        manager = due.notice.account.manager
        if manager is not None:
            sent += send_now(
                message=NOTICE_REMINDER,
                personal={manager: {"notice_id": due.notice.pk, "action": due.action}},
                link=reverse("account-detail", args=[due.notice.account_id]),
            )
    return sent


def reminders_due(now: dt.datetime) -> str | None:
    """Today's date once the reminder hour has come (the period to do), else None."""
    local = timezone.localtime(now)
    return local.date().isoformat() if local.hour >= REMINDER_HOUR else None


@jobs.sweep("registry.daily_reminders")
def daily_reminders_sweep(now: dt.datetime) -> int:
    """Once a day from the reminder hour: due is read from the last-run row, so a lost task loses no day."""
    period = reminders_due(now)
    if period is None:
        return 0
    sent = jobs.run_once_per_period(
        "registry.daily_reminders", period, lambda: send_due_reminders(dt.date.fromisoformat(period)), now=now
    )
    return int(sent or 0)


@task()
def daily_reminders_task() -> int:
    """Kept for runs queued before the sweeper took over (core/jobs.py); no longer requeues itself."""
    set_request_id("job-daily-reminders")
    return daily_reminders_sweep(timezone.now())
