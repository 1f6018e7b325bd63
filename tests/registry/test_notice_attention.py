"""The dashboard items of a change or closure notice: they appear while there is something to do and clear after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koshiki.registry import services

from .test_notice import _live_account

TODAY = timezone.localdate


def _kinds(person: Any, account: Any) -> list[str]:
    """The kinds of this person's dashboard items that link to the account."""
    from koshiki.core.attention import items_for

    link = reverse("account-detail", args=[account.pk])
    return [item.kind for item in items_for(person.user, person) if item.link == link]


def _past_notice(body: Any, kind: str) -> Any:
    """A notice announced long ago whose keep-until date has passed (announced_on is the service's own input)."""
    account = _live_account(body)
    keep = 365 if kind == "change" else 180
    effective = TODAY() - dt.timedelta(days=keep + 5)
    services.announce(actor=body.shozokucho.user, account=account, kind=kind, effective_on=effective,
                      description="名称変更" if kind == "change" else "終了", announced_on=effective - dt.timedelta(days=40))
    services.complete_notice(actor=body.shozokucho.user, account=account)
    account.refresh_from_db()
    return account


def test_closure_notice_may_come_down_item_shows_for_the_closed_account(iwaki: Any, iwaki_officers: Any) -> None:
    account = _past_notice(iwaki, "closure")
    assert account.state == "closed"
    assert _kinds(iwaki.shozokucho, account) == ["registry.notice_take_down"]


def test_change_notice_may_come_down_item_clears_once_taken_down(iwaki: Any, iwaki_officers: Any) -> None:
    account = _past_notice(iwaki, "change")
    notice = account.notices.get()
    assert "registry.notice_take_down" in _kinds(iwaki.shozokucho, account)
    services.take_down_notice(actor=iwaki.shozokucho.user, notice=notice)
    assert "registry.notice_take_down" not in _kinds(iwaki.shozokucho, account)


def test_the_take_down_reminder_mail_repeats_until_recorded_like_the_dashboard(iwaki: Any, iwaki_officers: Any,
                                                                            mailoutbox: Any) -> None:
    from koshiki.registry.tasks import send_due_reminders

    account = _past_notice(iwaki, "closure")
    notice = account.notices.get()
    assert send_due_reminders(TODAY()) == 1  # five days past keep-until: the dashboard shows it, so does the mail
    assert mailoutbox[-1].to == [iwaki.shozokucho.email] and str(account.account_name) in mailoutbox[-1].subject
    services.take_down_notice(actor=iwaki.shozokucho.user, notice=notice)
    assert send_due_reminders(TODAY()) == 0


def test_a_notice_cannot_come_down_before_its_keep_until_date(iwaki: Any, iwaki_officers: Any) -> None:
    from koshiki.core.errors import InvalidInput

    account = _live_account(iwaki)
    effective = TODAY() - dt.timedelta(days=10)
    services.announce(actor=iwaki.shozokucho.user, account=account, kind="change", effective_on=effective,
                      description="名称変更", announced_on=effective - dt.timedelta(days=40))
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
