"""Daily reminders are listed in お知らせ as well as e-mailed (issue #13 item 5, left over): a person without
an e-mail address, or one who reads the app rather than the mail, is still told; a repeated run of the same
day lists and e-mails nothing twice."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from koshiki.notify.models import Notification
from koshiki.security import services
from koshiki.security.tasks import send_security_reminders

from .conftest import SeedBody


def _hold(body: SeedBody) -> None:
    services.add_holder(actor=body.manager.user, account=body.account, staff=body.operator, reason="主担当")
    services.record_rotation(
        actor=body.manager.user, account=body.account, rotated_on=timezone.localdate(), reason="scheduled"
    )


def test_a_security_reminder_is_listed_in_the_holders_notifications(iwaki_body: SeedBody) -> None:
    _hold(iwaki_body)
    send_security_reminders(today=timezone.localdate() + dt.timedelta(days=85))
    row = Notification.objects.get(recipient=iwaki_body.operator)
    assert row.emailed_at is not None and row.link == "/security/"


def test_a_reminder_reaches_the_inbox_of_someone_without_an_address(iwaki_body: SeedBody) -> None:
    _hold(iwaki_body)
    type(iwaki_body.operator).objects.filter(pk=iwaki_body.operator.pk).update(email="")
    send_security_reminders(today=timezone.localdate() + dt.timedelta(days=85))
    assert Notification.objects.filter(recipient=iwaki_body.operator).count() == 1


def test_running_the_same_day_twice_tells_each_person_once(iwaki_body: SeedBody) -> None:
    _hold(iwaki_body)
    day = timezone.localdate() + dt.timedelta(days=85)
    mail.outbox.clear()
    first = send_security_reminders(today=day)
    assert first > 0 and send_security_reminders(today=day) == 0
    assert len(mail.outbox) == first
    assert Notification.objects.filter(recipient=iwaki_body.operator).count() == 1


def test_the_next_day_is_a_new_reminder(iwaki_body: SeedBody) -> None:
    _hold(iwaki_body)
    day = timezone.localdate() + dt.timedelta(days=85)
    send_security_reminders(today=day)
    send_security_reminders(today=day + dt.timedelta(days=1))
    assert Notification.objects.filter(recipient=iwaki_body.operator).count() == 2
