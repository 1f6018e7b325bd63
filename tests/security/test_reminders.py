"""Daily reminders: holders and the manager hear of what is due; the escalation
role hears once it is overdue."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.test import Client
from django.utils import timezone

from koshiki.orgs import services as org_services
from koshiki.security import services
from koshiki.security.tasks import send_security_reminders

from ..conftest import signed_in_client
from .conftest import SeedBody


def _hold(body: SeedBody) -> None:
    services.add_holder(actor=body.manager.user, account=body.account, staff=body.operator, reason="主担当")
    services.record_rotation(
        actor=body.manager.user, account=body.account, rotated_on=timezone.localdate(), reason="scheduled"
    )


def test_holders_and_the_manager_are_reminded_a_week_before_the_due_date(iwaki_body: SeedBody) -> None:
    _hold(iwaki_body)
    mail.outbox.clear()
    send_security_reminders(today=timezone.localdate() + dt.timedelta(days=85))
    recipients = {m.to[0] for m in mail.outbox if "広報公式" in m.body}
    assert {iwaki_body.operator.email, iwaki_body.manager.email} <= recipients
    assert iwaki_body.escalation.email not in recipients


def test_an_overdue_task_is_escalated_in_the_recipients_language(seed_body: SeedBody) -> None:
    _hold(seed_body)
    org_services.record_personnel_change(
        actor=seed_body.admin.user,
        staff=seed_body.operator,
        kind="leave",
        effective_date=timezone.localdate(),
    )
    mail.outbox.clear()
    send_security_reminders(today=timezone.localdate() + dt.timedelta(days=1))
    escalated = [m for m in mail.outbox if m.to == [seed_body.escalation.email]]
    (message,) = escalated
    assert "Change the password of" in message.body  # the escalation holder reads English
    manager_mail = next(m for m in mail.outbox if m.to == [seed_body.manager.email])
    assert "今すぐ変更" in manager_mail.body


def test_the_escalation_role_sees_the_overdue_task_on_the_dashboard(iwaki_body: SeedBody) -> None:
    _hold(iwaki_body)
    services.remove_holder(
        actor=iwaki_body.manager.user, account=iwaki_body.account, staff=iwaki_body.operator, reason="異動"
    )
    from koshiki.security.models import RotationTask

    RotationTask.objects.filter(account=iwaki_body.account).update(
        due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    body = signed_in_client(iwaki_body.escalation.user).get("/").content.decode()
    assert (
        "広報公式 (X (Twitter)) のパスワードを今すぐ変更" in body and "期限超過のためあなたにも通知" in body
    )
    assert "「いわき市 第4 3(2)」" in body


def test_an_outsider_gets_404_for_the_account_security_page(iwaki_body: SeedBody, outsider: object) -> None:
    client: Client = signed_in_client(outsider.user)  # type: ignore[attr-defined]
    assert client.get(f"/accounts/{iwaki_body.account.pk}/security/").status_code == 404
