"""Resetting someone's two-step login ends their sessions; the index knows each login's session."""

from __future__ import annotations

from typing import Any

import pyotp
from django.contrib.sessions.models import Session

from koshiki.logins.models import LoginSession
from koshiki.twostep import services as two_step

from ..conftest import signed_in_client, totp_code


def test_a_login_is_recorded_in_the_session_index(iwaki: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    assert LoginSession.objects.filter(user=iwaki.tanto.user, session_key=client.session.session_key).exists()


def test_resetting_two_step_ends_the_persons_sessions(iwaki: Any) -> None:
    secret, _uri = two_step.start_enrolment(user=iwaki.shozokucho.user)
    two_step.confirm_enrolment(user=iwaki.shozokucho.user, code=pyotp.TOTP(secret).now())
    theirs = signed_in_client(iwaki.shozokucho.user)
    key = theirs.session.session_key
    two_step.reset(actor=iwaki.kacho.user, staff=iwaki.shozokucho, reason="紛失")
    assert not Session.objects.filter(session_key=key).exists()
    assert theirs.get("/").status_code == 302


def test_the_session_after_the_second_step_is_indexed_too(iwaki: Any) -> None:
    from django.http import HttpRequest
    from django.test import Client

    from ..conftest import PASSWORD

    secret, _uri = two_step.start_enrolment(user=iwaki.shozokucho.user)
    two_step.confirm_enrolment(user=iwaki.shozokucho.user, code=pyotp.TOTP(secret).now())
    client = Client()
    assert client.login(request=HttpRequest(), username=iwaki.shozokucho.user.username, password=PASSWORD)
    client.post("/two-step/", {"code": totp_code(iwaki.shozokucho.user), "next": "/"})
    assert client.get("/").status_code == 200
    key = client.session.session_key
    assert LoginSession.objects.filter(user=iwaki.shozokucho.user, session_key=key).exists()
    two_step.reset(actor=iwaki.kacho.user, staff=iwaki.shozokucho, reason="紛失")
    assert not Session.objects.filter(session_key=key).exists()
