"""Two-step login to Koshiki: required for approvers and credential holders, on by default."""

from __future__ import annotations

from typing import Any

import pyotp
from django.http import HttpRequest
from django.test import Client

from koshiki.audit.models import AuditEntry
from koshiki.audit.retention import reveal
from koshiki.core.crypto import unseal_text
from koshiki.orgs import services as org_services
from koshiki.twostep import services
from koshiki.twostep.models import TOTPDevice

from ..conftest import PASSWORD, totp_code


def _password_only(staff: Any) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=staff.user.username, password=PASSWORD)
    return client


def _enrol(staff: Any) -> str:
    secret, _uri = services.start_enrolment(user=staff.user)
    services.confirm_enrolment(user=staff.user, code=pyotp.TOTP(secret).now())
    return secret


def test_the_setting_is_on_for_a_new_organization(iwaki: Any) -> None:
    assert iwaki.organization.require_two_step is True


def test_an_approver_is_sent_to_set_up_after_the_password(iwaki: Any) -> None:
    response = _password_only(iwaki.shozokucho).get("/accounts/")
    assert response.status_code == 302 and response["Location"].startswith("/two-step/setup/")


def test_staff_who_neither_approve_nor_hold_a_login_are_not_asked(iwaki: Any) -> None:
    assert _password_only(iwaki.tanto).get("/accounts/").status_code == 200


def test_with_the_setting_off_an_approver_is_not_asked(iwaki: Any) -> None:
    org_services.set_require_two_step(actor=iwaki.kacho.user, organization=iwaki.organization, required=False)
    assert _password_only(iwaki.shozokucho).get("/accounts/").status_code == 200
    assert AuditEntry.objects.filter(action="orgs.organization.two_step_changed").exists()


def test_set_up_with_the_right_code_lets_the_approver_in(iwaki: Any) -> None:
    client = _password_only(iwaki.shozokucho)
    page = client.get("/two-step/setup/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    secret = services.pending_secret(iwaki.shozokucho.user)
    assert secret is not None
    response = client.post("/two-step/setup/", {"code": pyotp.TOTP(secret).now(), "next": "/accounts/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert client.get("/accounts/").status_code == 200
    assert AuditEntry.objects.filter(action="twostep.enrolled").count() == 1


def test_a_wrong_set_up_code_is_refused_in_japanese_and_enrols_nothing(iwaki: Any) -> None:
    client = _password_only(iwaki.shozokucho)
    client.get("/two-step/setup/")
    response = client.post("/two-step/setup/", {"code": "000000"})
    assert response.status_code == 400 and "コードが正しくありません" in response.content.decode()
    assert not services.has_device(iwaki.shozokucho.user)


def test_an_enrolled_user_must_enter_a_code_at_sign_in(iwaki: Any) -> None:
    _enrol(iwaki.shozokucho)
    client = _password_only(iwaki.shozokucho)
    assert client.get("/").status_code == 302
    response = client.post("/two-step/", {"code": totp_code(iwaki.shozokucho.user), "next": "/"})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_a_code_works_only_once(iwaki: Any) -> None:
    _enrol(iwaki.shozokucho)
    code = totp_code(iwaki.shozokucho.user)
    assert services.verify(user=iwaki.shozokucho.user, code=code)
    assert not services.verify(user=iwaki.shozokucho.user, code=code)
    assert AuditEntry.objects.filter(action="twostep.failed").count() == 1


def test_five_wrong_codes_sign_the_user_out(iwaki: Any) -> None:
    _enrol(iwaki.shozokucho)
    client = _password_only(iwaki.shozokucho)
    for _attempt in range(5):
        response = client.post("/two-step/", {"code": "123456"})
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302 and "/login/" in client.get("/")["Location"]


def test_the_seed_is_sealed_in_the_database(iwaki: Any) -> None:
    secret = _enrol(iwaki.shozokucho)
    device = TOTPDevice.objects.get(user=iwaki.shozokucho.user)
    assert secret not in device.sealed_secret and unseal_text(device.sealed_secret) == secret


def test_an_administrator_resets_a_lost_authenticator(iwaki: Any) -> None:
    _enrol(iwaki.shozokucho)
    services.reset(actor=iwaki.kacho.user, staff=iwaki.shozokucho, reason="スマートフォン紛失")
    response = _password_only(iwaki.shozokucho).get("/")
    assert response["Location"].startswith("/two-step/setup/")
    assert reveal(AuditEntry.objects.get(action="twostep.reset").after)["reason"] == "スマートフォン紛失"


def test_a_credential_holder_must_use_two_steps(iwaki: Any) -> None:
    from koshiki.registry.io import import_rows
    from koshiki.registry.models import OfficialAccount
    from koshiki.security.services import add_holder

    import_rows(
        actor=None,
        organization=iwaki.organization,
        source="t",
        rows=[
            {
                "所属コード": "kiki",
                "サービス": "x",
                "アカウント名": "防災",
                "ID": "bousai",
                "URL": "https://x.com/bousai",
                "目的": "防災",
                "状態": "運用中",
            }
        ],
    )
    add_holder(
        actor=iwaki.shozokucho.user,
        account=OfficialAccount.objects.get(handle="bousai"),
        staff=iwaki.tanto,
        reason="担当",
    )
    assert _password_only(iwaki.tanto).get("/").status_code == 302


def test_get_with_restart_changes_nothing_and_writes_no_audit_entry(iwaki: Any) -> None:
    client = _password_only(iwaki.shozokucho)
    client.get("/two-step/setup/")
    sealed = TOTPDevice.objects.get(user=iwaki.shozokucho.user).sealed_secret
    entries = AuditEntry.objects.count()
    response = client.get("/two-step/setup/?restart=1")
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=iwaki.shozokucho.user).sealed_secret == sealed
    assert AuditEntry.objects.count() == entries


def test_restart_is_a_post_that_writes_a_new_seed(iwaki: Any) -> None:
    client = _password_only(iwaki.shozokucho)
    client.get("/two-step/setup/")
    before = services.pending_secret(iwaki.shozokucho.user)
    response = client.post("/two-step/setup/", {"restart": "1"})
    assert response.status_code == 302
    assert services.pending_secret(iwaki.shozokucho.user) != before
    assert AuditEntry.objects.filter(action="twostep.enrolment_started").count() == 2
