"""Daily reminders by e-mail (the dashboard shows the same items): notices coming due and notices that may
come down. Once a day from REMINDER_HOUR a fan-out (core/jobs.py) queues one job per body with open
notices; each body's JobRun row says which day is done, so a dead worker or a lost task costs no day, two
sweepers send no day twice, and one body's failure stops no other (issue #12)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from koshiki.core import jobs
from koshiki.core.request_id import set_request_id

REMINDER_HOUR = 8
REGISTRY_DAILY = "registry.daily_reminders"


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now)
    tomorrow = local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(REMINDER_HOUR), tzinfo=local.tzinfo)


def send_due_reminders(today: dt.date | None = None, organization_id: int | None = None) -> int:
    """E-mail each open notice (registry/reminders.py, the same list as the
    dashboard) to its account's manager; one body's, or every body's."""
    from koshiki.notify.service import send_now

    from .models import Notice
    from .notifications import NOTICE_REMINDER
    from .reminders import open_notices

    day = today or timezone.localdate()
    notices = Notice.objects.select_related("account__manager")
    if organization_id is not None:
        notices = notices.filter(account__organization_id=organization_id)
    sent = 0
    for due in open_notices(day, notices):
        manager = due.notice.account.manager
        if manager is not None:
            sent += send_now(
                message=NOTICE_REMINDER,
                personal={manager: {"notice_id": due.notice.pk, "action": due.action}},
                link=reverse("account-detail", args=[due.notice.account_id]),
                event=f"notice-reminder:{due.notice.pk}:{due.action}:{day.isoformat()}",
            )
    return sent


def reminders_due(now: dt.datetime) -> str | None:
    """Today's date once the reminder hour has come (the period to do), else None."""
    local = timezone.localtime(now)
    return local.date().isoformat() if local.hour >= REMINDER_HOUR else None


def _organizations_with_open_notices(period: str) -> list[int]:
    from .models import Notice
    from .reminders import open_notice_filter

    open_ = Notice.objects.filter(open_notice_filter(dt.date.fromisoformat(period)))
    return sorted(set(open_.values_list("account__organization_id", flat=True)))


def _run_for(organization_id: int, period: str) -> int:
    set_request_id(f"job-daily-reminders-{organization_id}")
    return send_due_reminders(dt.date.fromisoformat(period), organization_id)


jobs.register_fanout(REGISTRY_DAILY, due=reminders_due, keys=_organizations_with_open_notices, run=_run_for)


def daily_reminders_sweep(now: dt.datetime) -> int:
    """The fan-out's sweep (kept by name for the old task below): queues the day's per-body jobs."""
    return jobs.fan_out(REGISTRY_DAILY, now)


@task()
def daily_reminders_task() -> int:
    """Kept for runs queued before the sweeper took over (core/jobs.py); no longer requeues itself."""
    set_request_id("job-daily-reminders")
    return daily_reminders_sweep(timezone.now())
