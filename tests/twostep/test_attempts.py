"""Wrong two-step codes are counted per person, across every session, within a window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp
from django.test import Client
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.twostep import services
from koshiki.twostep.models import TOTPDevice

from ..conftest import PASSWORD, totp_code


def _password_only(staff: Any) -> Client:
    from django.http import HttpRequest

    client = Client()
    assert client.login(request=HttpRequest(), username=staff.user.username, password=PASSWORD)
    return client


def _enrol(staff: Any) -> None:
    secret, _uri = services.start_enrolment(user=staff.user)
    services.confirm_enrolment(user=staff.user, code=pyotp.TOTP(secret).now())


def test_wrong_codes_across_two_sessions_lock_the_person(iwaki: Any) -> None:
    _enrol(iwaki.shozokucho)
    first, second = _password_only(iwaki.shozokucho), _password_only(iwaki.shozokucho)
    for _attempt in range(3):
        first.post("/two-step/", {"code": "000000"})
    for _attempt in range(2):
        second.post("/two-step/", {"code": "000000"})
    third = _password_only(iwaki.shozokucho)
    response = third.post("/two-step/", {"code": totp_code(iwaki.shozokucho.user), "next": "/"})
    assert response.status_code != 302 or response["Location"] != "/"
    assert third.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="twostep.locked").count() == 1


def test_the_service_refuses_a_right_code_while_locked(iwaki: Any) -> None:
    _enrol(iwaki.shozokucho)
    user = iwaki.shozokucho.user
    for _attempt in range(services.MAX_FAILURES):
        assert not services.verify(user=user, code="000000")
    assert services.is_locked(user)
    assert not services.verify(user=user, code=totp_code(user))


def test_failures_older_than_the_window_do_not_add_up(iwaki: Any, clock: Any) -> None:
    _enrol(iwaki.shozokucho)
    user = iwaki.shozokucho.user
    start = timezone.now()
    for _attempt in range(services.MAX_FAILURES - 1):
        services.verify(user=user, code="000000")
    clock.move_to(start + services.FAILURE_WINDOW + dt.timedelta(seconds=1))
    services.verify(user=user, code="000000")
    assert not services.is_locked(user)
    assert TOTPDevice.objects.get(user=user).failed_attempts == 1


def test_the_lock_ends_after_the_cool_off(iwaki: Any, clock: Any) -> None:
    _enrol(iwaki.shozokucho)
    user = iwaki.shozokucho.user
    start = timezone.now()
    for _attempt in range(services.MAX_FAILURES):
        services.verify(user=user, code="000000")
    assert services.is_locked(user)
    clock.move_to(start + services.LOCK_DURATION + dt.timedelta(seconds=1))
    assert not services.is_locked(user)
    assert services.verify(user=user, code=totp_code(user))


def test_an_administrator_unlock_clears_the_two_step_lock(iwaki: Any) -> None:
    from koshiki.logins.services import unlock_sign_in

    _enrol(iwaki.shozokucho)
    user = iwaki.shozokucho.user
    for _attempt in range(services.MAX_FAILURES):
        services.verify(user=user, code="000000")
    unlock_sign_in(actor=iwaki.kacho.user, staff=iwaki.shozokucho, reason="本人確認済み")
    assert not services.is_locked(user)
    assert services.verify(user=user, code=totp_code(user))


def test_a_right_code_resets_the_count(iwaki: Any) -> None:
    _enrol(iwaki.shozokucho)
    user = iwaki.shozokucho.user
    for _attempt in range(services.MAX_FAILURES - 1):
        services.verify(user=user, code="000000")
    assert services.verify(user=user, code=totp_code(user))
    services.verify(user=user, code="000000")
    assert not services.is_locked(user)


def test_the_code_page_says_the_person_is_locked(iwaki: Any) -> None:
    _enrol(iwaki.shozokucho)
    for _attempt in range(services.MAX_FAILURES):
        services.verify(user=iwaki.shozokucho.user, code="000000")
    body = _password_only(iwaki.shozokucho).get("/two-step/").content.decode()
    assert "ロック" in body and "管理者" in body
