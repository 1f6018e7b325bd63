"""A wrong KOSHIKI_ENCRYPTION_KEY is an operator's mistake, not a crash: a clear 503 page, logged."""

from __future__ import annotations

import logging
from typing import Any

import pyotp
import pytest
from cryptography.fernet import Fernet
from django.http import HttpRequest
from django.test import Client

from koshiki.twostep import services

from ..conftest import PASSWORD


def _password_only(staff: Any) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=staff.user.username, password=PASSWORD)
    return client


def test_two_step_verify_with_another_key_shows_the_key_mismatch_page_not_a_500(
    iwaki: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    secret, _uri = services.start_enrolment(user=iwaki.shozokucho.user)
    services.confirm_enrolment(user=iwaki.shozokucho.user, code=pyotp.TOTP(secret).now())
    client = _password_only(iwaki.shozokucho)
    settings.KOSHIKI_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with caplog.at_level(logging.ERROR):
        response = client.post("/two-step/", {"code": "123456", "next": "/"})
    assert response.status_code == 503
    assert "暗号鍵が一致しません" in response.content.decode()
    assert any("KOSHIKI_ENCRYPTION_KEY" in record.getMessage() for record in caplog.records)


def test_two_step_setup_with_another_key_shows_the_key_mismatch_page(iwaki: Any, settings: Any) -> None:
    services.start_enrolment(user=iwaki.shozokucho.user)  # an unconfirmed seed, sealed with today's key
    client = _password_only(iwaki.shozokucho)
    settings.KOSHIKI_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    response = client.get("/two-step/setup/")
    assert response.status_code == 503 and "暗号鍵が一致しません" in response.content.decode()
