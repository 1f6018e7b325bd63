"""Password guessing at /login/ is throttled by login name and by client address (django-axes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from koshiki.audit.models import AuditEntry
from koshiki.audit.retention import reveal
from koshiki.core.errors import NotPermitted
from koshiki.logins import services

from ..conftest import PASSWORD


def _post(client: Client, username: str, password: str, ip: str = "192.0.2.10") -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_41_wrong_passwords_then_the_right_one_is_refused(iwaki: Any) -> None:
    client = Client()
    name = iwaki.tanto.user.username
    for _attempt in range(41):
        _post(client, name, "wrong-password")
    response = _post(client, name, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_explains_in_japanese_whom_to_ask(iwaki: Any) -> None:
    client = Client()
    for _attempt in range(10):
        response = _post(client, iwaki.tanto.user.username, "wrong-password")
    body = response.content.decode()
    assert response.status_code == 429 and "ロック" in body and "管理者" in body


def test_guessing_from_many_addresses_still_locks_the_login_name(iwaki: Any) -> None:
    client = Client()
    for n in range(10):
        _post(client, iwaki.tanto.user.username, "wrong-password", ip=f"198.51.100.{n + 1}")
    assert _post(client, iwaki.tanto.user.username, PASSWORD, ip="203.0.113.7").status_code == 429


def test_guessing_many_login_names_from_one_address_locks_that_address(iwaki: Any) -> None:
    client = Client()
    for n in range(10):
        _post(client, f"nobody-{n}", "wrong-password", ip="192.0.2.99")
    assert _post(client, iwaki.tanto.user.username, PASSWORD, ip="192.0.2.99").status_code == 429
    assert _post(Client(), iwaki.tanto.user.username, PASSWORD, ip="192.0.2.100").status_code == 302


def test_the_lock_ends_after_the_cool_off(iwaki: Any, clock: Any) -> None:
    client = Client()
    for _attempt in range(10):
        _post(client, iwaki.tanto.user.username, "wrong-password")
    assert _post(Client(), iwaki.tanto.user.username, PASSWORD).status_code == 429
    clock.shift(dt.timedelta(minutes=31))
    assert _post(Client(), iwaki.tanto.user.username, PASSWORD).status_code == 302


def test_an_administrator_unlocks_own_staff_and_it_is_audited(iwaki: Any) -> None:
    client = Client()
    for _attempt in range(10):
        _post(client, iwaki.tanto.user.username, "wrong-password")
    services.unlock_sign_in(actor=iwaki.kacho.user, staff=iwaki.tanto, reason="本人確認済み")
    assert _post(Client(), iwaki.tanto.user.username, PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="logins.unlocked")
    assert reveal(entry.after)["reason"] == "本人確認済み" and entry.object_id == str(iwaki.tanto.pk)


def test_an_outsider_cannot_unlock_another_bodys_staff(iwaki: Any, outsider: Any) -> None:
    with pytest.raises(NotPermitted):
        services.unlock_sign_in(actor=outsider.user, staff=iwaki.tanto, reason="x")
    assert not AuditEntry.objects.filter(action="logins.unlocked").exists()


def test_unlock_from_the_staff_page(iwaki: Any) -> None:
    from ..conftest import signed_in_client

    for _attempt in range(10):
        _post(Client(), iwaki.tanto.user.username, "wrong-password", ip="198.51.100.50")
    admin = signed_in_client(iwaki.kacho.user)
    page = admin.get(f"/people/{iwaki.tanto.pk}/").content.decode()
    assert "サインインのロック" in page or "ロック中" in page
    response = admin.post(f"/people/{iwaki.tanto.pk}/unlock/", {"reason": "電話で本人確認"})
    assert response.status_code == 302
    assert _post(Client(), iwaki.tanto.user.username, PASSWORD, ip="198.51.100.51").status_code == 302
