"""Daily security reminders by e-mail, each rendered in the recipient's language: once a day, one job per
body (a fan-out, core/jobs.py), so one body's failure stops no other and a rerun sends nothing twice."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from koshiki.core import jobs
from koshiki.core.request_id import set_request_id
from koshiki.notify import messages
from koshiki.notify.service import send_now
from koshiki.orgs.models import Organization, Staff
from koshiki.registry.tasks import reminders_due

from .recipients import line_key, recipients
from .status import board_lines, organization_security

REMIND_DAYS_AHEAD = 7


LineKey = tuple[str, int | None, int | None]


def _reminder_lines(organization: Organization, today: dt.date) -> dict[Staff, set[LineKey]]:
    state = organization_security(organization, today=today)
    wanted: dict[Staff, set[LineKey]] = defaultdict(set)
    for line in board_lines(state):
        for person in recipients(state, line):
            wanted[person].add(line_key(line))
    # Coming due within a week: a heads-up to holders and the manager before it is overdue.
    for status in state.accounts:
        if (
            status.due_on
            and today <= status.due_on <= today + dt.timedelta(days=REMIND_DAYS_AHEAD)
            and not status.open_tasks
        ):
            for person in {h.staff for h in status.holders} | (
                {status.account.manager} if status.account.manager else set()
            ):
                wanted[person].add(("due_soon", status.account.pk, None))
    return wanted


SECURITY_REMINDER = "security.reminder"
SECURITY_DAILY = "security.daily_reminders"


def _rendered_lines(
    organization_id: int, day: dt.date, cache: dict[Any, dict[LineKey, str]]
) -> dict[LineKey, str]:
    """Every board line of the organization rendered once per language (the caller holds the language)."""
    language = translation.get_language()
    key = (organization_id, day, language)
    if key not in cache:
        state = organization_security(Organization.objects.get(pk=organization_id), today=day)
        rendered = {
            line_key(line): f"- {line.title}: {line.detail} {line.clause}".rstrip()
            for line in board_lines(state)
        }
        for status in state.accounts:
            if status.due_on:
                rendered[("due_soon", status.account.pk, None)] = "- " + _(
                    "Password of %(account)s is due to change by %(date)s."
                ) % {"account": status.account, "date": status.due_on.isoformat()}
        cache[key] = rendered
    return cache[key]


@messages.renderer(SECURITY_REMINDER)
def security_reminder(
    person: Any, context: Mapping[str, Any], cache: dict[Any, Any]
) -> tuple[str, str] | None:
    rendered = _rendered_lines(context["organization_id"], dt.date.fromisoformat(context["day"]), cache)
    keys = [(k[0], k[1], k[2]) for k in context["keys"]]
    lines = sorted(rendered[k] for k in keys if k in rendered)
    if not lines:
        return None
    subject = _("Koshiki: %(count)d account security item(s) need you") % {"count": len(lines)}
    body = "\n".join([_("Security items for %(name)s:") % {"name": person.display_name}, "", *lines])
    return subject, body


def send_security_reminders_for(organization: Organization, day: dt.date) -> int:
    """One body's reminders for ``day`` (the fan-out's unit of work: one job per body, once a day)."""
    wanted = _reminder_lines(organization, day)
    personal = {
        person: {
            "organization_id": organization.pk,
            "day": day.isoformat(),
            "keys": sorted(keys, key=str),
        }
        for person, keys in wanted.items()
    }
    return send_now(
        message=SECURITY_REMINDER,
        personal=personal,
        link=reverse("security-board"),
        event=f"security-reminder:{organization.pk}:{day.isoformat()}",
    )


def send_security_reminders(today: dt.date | None = None) -> int:
    """Every body in one go (tests and a manual run); the worker fans out per body instead."""
    day = today or timezone.localdate()
    return sum(send_security_reminders_for(org, day) for org in Organization.objects.order_by("pk"))


def _organization_ids(period: str) -> list[int]:
    return list(Organization.objects.order_by("pk").values_list("pk", flat=True))


def _run_for(organization_id: int, period: str) -> int:
    set_request_id(f"job-security-reminders-{organization_id}")
    organization = Organization.objects.get(pk=organization_id)
    return send_security_reminders_for(organization, dt.date.fromisoformat(period))


# Once a day from the reminder hour (registry/tasks.py): one job per body, each once a day, retried on a
# later sweeper pass if it fails (core/jobs.py fan_out), so one body's failure stops no other (issue #12).
jobs.register_fanout(SECURITY_DAILY, due=reminders_due, keys=_organization_ids, run=_run_for)


def security_reminders_sweep(now: dt.datetime) -> int:
    """The fan-out's sweep (kept by name for the old task below): queues the day's per-body jobs."""
    return jobs.fan_out(SECURITY_DAILY, now)


@task()
def daily_security_reminders_task() -> int:
    """Kept for runs queued before the sweeper took over (core/jobs.py); no longer requeues itself."""
    set_request_id("job-security-reminders")
    return security_reminders_sweep(timezone.now())
