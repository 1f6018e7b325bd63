"""Signing in twice within one 30-second step: the second try is told the code was used, not wrong."""

from __future__ import annotations

from typing import Any

import pyotp
from django.http import HttpRequest
from django.test import Client

from koshiki.twostep import services

from ..conftest import PASSWORD, totp_code


def _password_only(staff: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    assert client.login(request=HttpRequest(), username=staff.user.username, password=PASSWORD)
    return client


def test_a_code_used_a_moment_ago_is_explained_not_called_wrong(iwaki: Any, clock: Any) -> None:
    user = iwaki.shozokucho.user
    secret, _uri = services.start_enrolment(user=user)
    services.confirm_enrolment(user=user, code=pyotp.TOTP(secret).now())
    code = totp_code(user)
    assert services.verify(user=user, code=code)
    response = _password_only(iwaki.shozokucho).post("/two-step/", {"code": code, "next": "/"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "既に使われました" in body and "次のコード" in body
    assert "正しくありません" not in body


def test_the_service_tells_a_used_code_from_a_wrong_one(iwaki: Any, clock: Any) -> None:
    user = iwaki.shozokucho.user
    secret, _uri = services.start_enrolment(user=user)
    services.confirm_enrolment(user=user, code=pyotp.TOTP(secret).now())
    code = totp_code(user)
    assert services.verify(user=user, code=code)
    assert services.code_already_used(user=user, code=code)
    assert not services.code_already_used(user=user, code="000000")
