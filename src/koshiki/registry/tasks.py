"""Daily reminders by e-mail (the dashboard shows the same items): notices coming due and notices that may
come down. The job queues its next run for the following morning, so one run keeps the chain going."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from koshiki.core.request_id import set_request_id

REMINDER_HOUR = 8


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now)
    tomorrow = local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(REMINDER_HOUR), tzinfo=local.tzinfo)


def send_due_reminders(today: dt.date | None = None) -> int:
    from .models import Notice

    day = today or timezone.localdate()
    sent = 0
    due = Notice.objects.filter(state=Notice.State.SCHEDULED, effective_on__lte=day + dt.timedelta(days=7))
    expired = Notice.objects.filter(state=Notice.State.DONE, keep_until=day)
    for notice in [*due.select_related("account__manager"), *expired.select_related("account__manager")]:
        manager = notice.account.manager
        if manager is None or not manager.email:
            continue
        with translation.override(manager.language or "ja"):
            if notice.state == Notice.State.SCHEDULED:
                subject = _("Reminder: %(kind)s of %(account)s on %(date)s") % {
                    "kind": notice.get_kind_display(), "account": notice.account, "date": notice.effective_on}
            else:
                subject = _("The notice for %(account)s may come down") % {"account": notice.account}
        sent += send_mail(subject, subject, settings.DEFAULT_FROM_EMAIL, [manager.email])
    return sent


@task()
def daily_reminders_task() -> int:
    set_request_id("job-daily-reminders")
    sent = send_due_reminders()
    daily_reminders_task.using(run_after=next_run()).enqueue()
    return sent


def ensure_daily_reminders() -> bool:
    """Queue the daily job unless a run is already waiting (safe to call at every start)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=daily_reminders_task.module_path, status=TaskResultStatus.READY).exists():
        return False
    daily_reminders_task.using(run_after=next_run()).enqueue()
    return True
