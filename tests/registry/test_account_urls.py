"""Account URLs are checked against the platform, and a wrong one can be corrected (issue #13 item 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.registry import services
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import Notice, OfficialAccount

from .conftest import full_policy


def _request(body: Any, **extra: Any) -> OfficialAccount:
    return services.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform=extra.pop("platform", "instagram"),
        account_name="いわき市危機管理課",
        purpose="防災情報の発信",
        **extra,
    )


def _approved(body: Any) -> OfficialAccount:
    from koshiki.registry.services.requests import pending_step

    account = _request(body)
    services.save_policy(actor=body.tanto.user, account=account, items=full_policy(account))
    while (step := pending_step(account)) is not None:
        services.decide(actor=step.waiting_for[0].user, account=account, approve=True)
    account.refresh_from_db()
    return account


def _active(body: Any) -> OfficialAccount:
    account = _approved(body)
    services.activate(
        actor=body.shozokucho.user, account=account, url="https://www.instagram.com/iwaki_bousai/"
    )
    account.refresh_from_db()
    return account


def test_a_request_with_another_platforms_url_is_refused_in_japanese(iwaki: Any) -> None:
    with override("ja"), pytest.raises(InvalidInput) as refused:
        _request(iwaki, url="https://twitter.com/iwaki_bousai")
    assert "Instagram のURL（https://www.instagram.com/…）を入力してください" in refused.value.message
    assert refused.value.field == "url"
    assert not OfficialAccount.objects.exists()


def test_a_request_takes_the_handle_from_the_url(iwaki: Any) -> None:
    account = _request(iwaki, url="https://www.instagram.com/iwaki_bousai/")
    assert account.handle == "iwaki_bousai"


def test_a_request_whose_handle_differs_from_the_url_is_refused(iwaki: Any) -> None:
    with pytest.raises(InvalidInput, match="iwaki_kiki"):
        _request(iwaki, url="https://www.instagram.com/iwaki_bousai/", handle="iwaki_kiki")
    assert not OfficialAccount.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["https://x.com@evil.example/iwaki", "javascript:alert(1)", "https://instagram.com.evil.jp/iwaki"],
)
def test_activation_refuses_a_url_that_is_not_the_platforms(
    iwaki: Any, iwaki_officers: Any, url: str
) -> None:
    account = _approved(iwaki)
    with pytest.raises(InvalidInput):
        services.activate(actor=iwaki.shozokucho.user, account=account, url=url)
    account.refresh_from_db()
    assert (account.state, account.url) == (AccountState.APPROVED, "")


def test_threads_is_a_platform(iwaki: Any) -> None:
    account = _request(iwaki, platform="threads", url="https://www.threads.net/@iwaki_bousai")
    assert (account.platform, account.handle) == ("threads", "iwaki_bousai")


def test_before_activation_the_url_is_corrected_by_an_audited_edit(iwaki: Any, iwaki_officers: Any) -> None:
    account = _approved(iwaki)
    services.correct_account_url(
        actor=iwaki.shozokucho.user,
        account=account,
        url="https://www.instagram.com/iwaki_kiki/",
        reason="IDの誤記",
    )
    account.refresh_from_db()
    assert (account.url, account.handle) == ("https://www.instagram.com/iwaki_kiki/", "iwaki_kiki")
    entry = AuditEntry.objects.get(action="registry.account.url_corrected")
    assert (
        entry.after["url"] == account.url and "reason" in entry.after
    )  # free text retained beside the chain


def test_a_double_submitted_correction_changes_once(iwaki: Any, iwaki_officers: Any) -> None:
    account = _approved(iwaki)
    for _ in range(2):
        services.correct_account_url(
            actor=iwaki.shozokucho.user,
            account=account,
            url="https://www.instagram.com/iwaki_kiki/",
            reason="誤記",
        )
    assert AuditEntry.objects.filter(action="registry.account.url_corrected").count() == 1


def test_an_outsider_and_an_operator_cannot_correct_the_url(iwaki: Any, outsider: Any) -> None:
    account = _request(iwaki, url="https://www.instagram.com/iwaki_bousai/")
    for person in (outsider, iwaki.tanto):
        with pytest.raises(NotPermitted):
            services.correct_account_url(
                actor=person.user, account=account, url="https://www.instagram.com/evil/", reason="x"
            )
    account.refresh_from_db()
    assert account.url == "https://www.instagram.com/iwaki_bousai/"


def test_a_correction_needs_a_reason_and_a_url_of_the_platform(iwaki: Any) -> None:
    account = _request(iwaki)
    with pytest.raises(InvalidInput):
        services.correct_account_url(
            actor=iwaki.shozokucho.user, account=account, url="https://www.instagram.com/a_b/", reason=" "
        )
    with pytest.raises(InvalidInput):
        services.correct_account_url(
            actor=iwaki.shozokucho.user, account=account, url="https://x.com/a_b", reason="誤記"
        )
    assert not AuditEntry.objects.filter(action="registry.account.url_corrected").exists()


def test_an_active_accounts_url_changes_only_after_the_profiles_notice(
    iwaki: Any, iwaki_officers: Any
) -> None:
    """いわき市 第4 5(2): a change is announced a month ahead; the new URL applies when it is carried out."""
    account = _active(iwaki)
    with pytest.raises(InvalidInput, match="「いわき市 第4 5\\(2\\)」"):
        services.correct_account_url(
            actor=iwaki.shozokucho.user,
            account=account,
            url="https://www.instagram.com/iwaki_kiki/",
            reason="アカウント名の変更",
            effective_on=timezone.localdate() + dt.timedelta(days=7),
        )
    services.correct_account_url(
        actor=iwaki.shozokucho.user,
        account=account,
        url="https://www.instagram.com/iwaki_kiki/",
        reason="名称変更",
    )
    account.refresh_from_db()
    notice = account.notices.get()
    assert account.state == AccountState.CHANGE_ANNOUNCED
    assert account.url == "https://www.instagram.com/iwaki_bousai/"  # still the old one until the date
    assert (notice.kind, notice.new_url) == (Notice.Kind.CHANGE, "https://www.instagram.com/iwaki_kiki/")
    assert notice.effective_on == timezone.localdate() + dt.timedelta(days=31)
    assert (
        AuditEntry.objects.get(action="registry.account.change_announced").clause == "「いわき市 第4 5(2)」"
    )
    services.complete_notice(actor=iwaki.shozokucho.user, account=account, on=notice.effective_on)
    account.refresh_from_db()
    assert (account.state, account.url, account.handle) == (
        AccountState.ACTIVE,
        "https://www.instagram.com/iwaki_kiki/",
        "iwaki_kiki",
    )
    entry = AuditEntry.objects.get(action="registry.account.url_corrected")
    assert entry.before["url"] == "https://www.instagram.com/iwaki_bousai/"


def test_an_announced_url_change_submitted_twice_is_announced_once(iwaki: Any, iwaki_officers: Any) -> None:
    account = _active(iwaki)
    for _ in range(2):
        services.correct_account_url(
            actor=iwaki.shozokucho.user,
            account=account,
            url="https://www.instagram.com/iwaki_kiki/",
            reason="変更",
        )
    assert account.notices.count() == 1
    with pytest.raises(InvalidTransition):
        services.correct_account_url(
            actor=iwaki.shozokucho.user,
            account=account,
            url="https://www.instagram.com/other/",
            reason="変更",
        )
