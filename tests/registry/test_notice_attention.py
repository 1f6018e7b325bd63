"""The dashboard items of a change or closure notice: they appear while there is
something to do and clear after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koshiki.registry import services

from ..attention_helpers import kinds
from .test_notice import _live_account

TODAY = timezone.localdate


def _kinds(person: Any, account: Any) -> list[str]:
    """The kinds of this person's dashboard items that link to the account."""
    from koshiki.core.attention import items_for

    link = reverse("account-detail", args=[account.pk])
    return [item.kind for item in items_for(person.user, person) if item.link == link]


def _past_notice(body: Any, kind: str) -> Any:
    """A notice announced long ago whose keep-until date has passed
    (announced_on is the service's own input)."""
    account = _live_account(body)
    keep = 365 if kind == "change" else 180
    effective = TODAY() - dt.timedelta(days=keep + 5)
    services.announce(
        actor=body.shozokucho.user,
        account=account,
        kind=kind,
        effective_on=effective,
        description="名称変更" if kind == "change" else "終了",
        announced_on=effective - dt.timedelta(days=40),
    )
    services.complete_notice(actor=body.shozokucho.user, account=account)
    account.refresh_from_db()
    return account


def test_closure_notice_may_come_down_item_shows_for_the_closed_account(
    iwaki: Any, iwaki_officers: Any
) -> None:
    account = _past_notice(iwaki, "closure")
    assert account.state == "closed"
    assert _kinds(iwaki.shozokucho, account) == ["registry.notice_take_down"]


def test_change_notice_may_come_down_item_clears_once_taken_down(iwaki: Any, iwaki_officers: Any) -> None:
    account = _past_notice(iwaki, "change")
    notice = account.notices.get()
    assert "registry.notice_take_down" in _kinds(iwaki.shozokucho, account)
    services.take_down_notice(actor=iwaki.shozokucho.user, notice=notice)
    assert "registry.notice_take_down" not in _kinds(iwaki.shozokucho, account)


def test_the_take_down_reminder_mail_repeats_until_recorded_like_the_dashboard(
    iwaki: Any, iwaki_officers: Any, mailoutbox: Any
) -> None:
    from koshiki.registry.tasks import send_due_reminders

    account = _past_notice(iwaki, "closure")
    notice = account.notices.get()
    assert (
        send_due_reminders(TODAY()) == 1
    )  # five days past keep-until: the dashboard shows it, so does the mail
    assert (
        mailoutbox[-1].to == [iwaki.shozokucho.email] and str(account.account_name) in mailoutbox[-1].subject
    )
    services.take_down_notice(actor=iwaki.shozokucho.user, notice=notice)
    assert send_due_reminders(TODAY()) == 0


def test_a_notice_cannot_come_down_before_its_keep_until_date(iwaki: Any, iwaki_officers: Any) -> None:
    from koshiki.core.errors import InvalidInput

    account = _live_account(iwaki)
    effective = TODAY() - dt.timedelta(days=10)
    services.announce(
        actor=iwaki.shozokucho.user,
        account=account,
        kind="change",
        effective_on=effective,
        description="名称変更",
        announced_on=effective - dt.timedelta(days=40),
    )
    services.complete_notice(actor=iwaki.shozokucho.user, account=account)
    notice = account.notices.get()
    with pytest.raises(InvalidInput):
        services.take_down_notice(actor=iwaki.shozokucho.user, notice=notice)
    notice.refresh_from_db()
    assert notice.state == "done"


def test_only_the_manager_records_a_notice_taken_down(iwaki: Any, iwaki_officers: Any) -> None:
    from koshiki.audit.models import AuditEntry
    from koshiki.core.errors import NotPermitted

    account = _past_notice(iwaki, "change")
    notice = account.notices.get()
    with pytest.raises(NotPermitted):
        services.take_down_notice(actor=iwaki.tanto.user, notice=notice)
    services.take_down_notice(actor=iwaki.shozokucho.user, notice=notice)
    entry = AuditEntry.objects.get(action="registry.notice.taken_down")
    assert entry.after["notice"]["state"] == "taken_down" and entry.clause.startswith("「いわき市")


def test_a_notice_coming_due_clears_once_carried_out(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    effective = TODAY() + dt.timedelta(days=31)
    services.announce(
        actor=iwaki.shozokucho.user,
        account=account,
        kind="closure",
        effective_on=effective,
        description="終了",
    )
    on_the_day = timezone.now() + dt.timedelta(days=31)
    assert _kinds(iwaki.shozokucho, account) == []  # a month ahead: not yet
    assert "registry.notice_due" in kinds(iwaki.shozokucho, now=on_the_day)  # the account is 停止予告中
    services.complete_notice(actor=iwaki.shozokucho.user, account=account, on=effective)
    assert "registry.notice_due" not in kinds(iwaki.shozokucho, now=on_the_day)


def test_an_approval_waiting_clears_once_decided(iwaki: Any, iwaki_officers: Any) -> None:
    from koshiki.registry.services.requests import pending_step

    from .conftest import full_policy

    account = services.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="公式",
        handle="iwaki_x",
        purpose="広報",
    )
    services.save_policy(actor=iwaki.tanto.user, account=account, items=full_policy(account))
    step = pending_step(account)
    assert step is not None
    approver = step.waiting_for[0]
    assert "registry.approval_waiting" in kinds(approver)
    services.decide(actor=approver.user, account=account, approve=True)
    assert "registry.approval_waiting" not in kinds(approver)


def test_a_policy_review_clears_once_the_policy_is_revised(iwaki: Any, iwaki_officers: Any) -> None:
    from .conftest import full_policy

    account = _live_account(iwaki)
    later = timezone.now() + dt.timedelta(days=400)
    assert "registry.policy_review" in kinds(iwaki.shozokucho, now=later)
    from koshiki.registry.models import PolicyVersion

    PolicyVersion.objects.filter(account=account).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert "registry.policy_review" in kinds(iwaki.shozokucho)
    services.save_policy(
        actor=iwaki.shozokucho.user,
        account=account,
        items={k: v + "（改定）" for k, v in full_policy(account).items()},
    )
    assert "registry.policy_review" not in kinds(iwaki.shozokucho)


def test_a_dormant_account_clears_once_its_closure_is_announced(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    later = timezone.now() + dt.timedelta(days=400)
    assert "registry.dormant" in kinds(iwaki.shozokucho, now=later)
    services.announce(
        actor=iwaki.shozokucho.user,
        account=account,
        kind="closure",
        effective_on=TODAY() + dt.timedelta(days=40),
        description="休眠のため",
    )
    assert "registry.dormant" not in kinds(iwaki.shozokucho, now=later)


def test_a_continuation_review_clears_once_recorded(db: Any, system_admin: Any) -> None:
    from koshiki.guidelines import get_profile

    from ..conftest import _build_body

    body = _build_body(
        system_admin, lgcode="082244", name="守谷市議会", profile_id="moriya-council", prefix="moriya"
    )
    account = _live_account(body)
    later = timezone.now() + dt.timedelta(days=400)
    assert "registry.continuation_review" in kinds(body.shozokucho, now=later)
    criteria = get_profile("moriya-council").closure.criteria
    from koshiki.registry.models import ContinuationReview

    services.record_review(
        actor=body.shozokucho.user,
        account=account,
        answers={c.id: False for c in criteria},
        decision="continue",
        note="",
    )
    ContinuationReview.objects.filter(account=account).update(reviewed_at=later - dt.timedelta(days=1))
    assert "registry.continuation_review" not in kinds(body.shozokucho, now=later)


def test_web_the_manager_records_the_notice_taken_down_and_the_dashboard_item_goes(
    iwaki: Any, iwaki_officers: Any, outsider: Any
) -> None:
    from ..conftest import signed_in_client

    account = _past_notice(iwaki, "change")
    notice = account.notices.get()
    url = reverse("notice-taken-down", args=[account.pk, notice.pk])
    assert signed_in_client(outsider.user).post(url).status_code == 404
    client = signed_in_client(iwaki.shozokucho.user)
    assert url in client.get(reverse("account-detail", args=[account.pk])).content.decode()
    assert "registry.notice_take_down" in _kinds(iwaki.shozokucho, account)
    assert client.post(url).status_code == 302
    notice.refresh_from_db()
    assert notice.state == "taken_down" and "registry.notice_take_down" not in _kinds(
        iwaki.shozokucho, account
    )
    assert url not in client.get(reverse("account-detail", args=[account.pk])).content.decode()


def test_the_take_down_reminder_is_listed_once_a_day_in_the_managers_notifications(
    iwaki: Any, iwaki_officers: Any, mailoutbox: Any
) -> None:
    from koshiki.notify.models import Notification
    from koshiki.registry.tasks import send_due_reminders

    account = _past_notice(iwaki, "closure")
    assert send_due_reminders(TODAY()) == 1 and send_due_reminders(TODAY()) == 0  # same day: told once
    row = Notification.objects.get(recipient=iwaki.shozokucho)
    assert row.link == f"/accounts/{account.pk}/" and row.emailed_at is not None
    send_due_reminders(TODAY() + dt.timedelta(days=1))
    assert Notification.objects.filter(recipient=iwaki.shozokucho).count() == 2
