"""The emergency stop needs an explicit confirmation: one click must not take an account down (#13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from koshiki.core.errors import InvalidInput
from koshiki.registry import services
from koshiki.registry.lifecycle import AccountState

from ..conftest import signed_in_client
from .test_notice import _live_account


def test_the_service_refuses_an_unconfirmed_stop(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    with pytest.raises(InvalidInput) as refused:
        services.emergency_stop(
            actor=iwaki.shozokucho.user, account=account, reason="乗っ取りの疑い", confirmed=False
        )
    assert refused.value.field == "confirm"
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE


def test_the_web_form_without_the_checkbox_changes_nothing(iwaki: Any, iwaki_officers: Any) -> None:
    account = _live_account(iwaki)
    client = signed_in_client(iwaki.shozokucho.user)
    url = reverse("account-stop", args=[account.pk])
    response = client.post(url, {"reason": "乗っ取りの疑い"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 400
    assert "確認" in response.content.decode()
    account.refresh_from_db()
    assert account.state == AccountState.ACTIVE
    response = client.post(url, {"reason": "乗っ取りの疑い", "confirm": "on"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.state == AccountState.SUSPENDED
