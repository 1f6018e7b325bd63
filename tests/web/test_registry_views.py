"""Registry pages: scoped to the body, changes through services, clear errors that change nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client

from koshiki.audit.models import AuditEntry
from koshiki.registry import services
from koshiki.registry.models import OfficialAccount

from ..conftest import signed_in_client


def _client(staff: Any) -> Client:
    return signed_in_client(staff.user)


def _account(body: Any) -> Any:
    return services.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform="x",
        account_name="いわき防災X",
        purpose="広報",
    )


def test_list_shows_only_the_bodys_accounts(iwaki: Any, shinshiro: Any) -> None:
    _account(iwaki)
    services.request_account(
        actor=shinshiro.tanto.user,
        department=shinshiro.departments["kiki"],
        platform="line",
        account_name="新城LINE",
        purpose="観光",
    )
    body = _client(iwaki.tanto).get("/accounts/").content.decode()
    assert "いわき防災X" in body and "新城LINE" not in body


def test_filter_by_state(iwaki: Any) -> None:
    _account(iwaki)
    assert "いわき防災X" not in _client(iwaki.tanto).get("/accounts/?state=active").content.decode()
    assert "いわき防災X" in _client(iwaki.tanto).get("/accounts/?state=requested").content.decode()


def test_outsider_gets_404_for_an_account(iwaki: Any, outsider: Any) -> None:
    account = _account(iwaki)
    assert _client(outsider).get(f"/accounts/{account.pk}/").status_code == 404
    assert (
        _client(outsider).post(f"/accounts/{account.pk}/decide/", {"decision": "approve"}).status_code == 404
    )


def test_request_form_creates_the_account(iwaki: Any) -> None:
    response = _client(iwaki.tanto).post(
        "/accounts/request/",
        {
            "department": iwaki.departments["kiki"].pk,
            "platform": "instagram",
            "account_name": "いわき防災",
            "purpose": "防災情報",
        },
    )
    assert response.status_code == 302
    assert OfficialAccount.objects.filter(account_name="いわき防災", state="requested").exists()


def test_wrong_approver_gets_a_japanese_error_and_nothing_changes(iwaki: Any) -> None:
    account = _account(iwaki)
    before = AuditEntry.objects.count()
    response = _client(iwaki.shozokucho).post(
        f"/accounts/{account.pk}/decide/", {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 400
    assert "この段階の承認者は" in response.content.decode()
    assert AuditEntry.objects.count() == before and not account.approvals.exists()


def test_detail_shows_policy_items_with_their_clauses(iwaki: Any) -> None:
    account = _account(iwaki)
    body = _client(iwaki.tanto).get(f"/accounts/{account.pk}/").content.decode()
    assert "「いわき市 第4 2(1)①」" in body and "未記入" in body


def test_dashboard_shows_the_approval_waiting_for_me(iwaki: Any, iwaki_officers: Any) -> None:
    from tests.registry.conftest import full_policy

    account = _account(iwaki)
    services.save_policy(actor=iwaki.tanto.user, account=account, items=full_policy(account))
    assert "承認待ち: いわき防災X" in _client(iwaki_officers["bucho"]).get("/").content.decode()
    assert "承認待ち: いわき防災X" not in _client(iwaki_officers["seisaku"]).get("/").content.decode()
