"""Staff change their own password in the browser; weak ones are refused in Japanese; other sessions end."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.logins import services

from ..conftest import PASSWORD, signed_in_client

NEW = "kinmokusei-Hiyori-2039-nagare"


def _form(new: str, current: str = PASSWORD, again: str | None = None) -> dict[str, str]:
    return {
        "current_password": current,
        "new_password": new,
        "new_password_again": new if again is None else again,
    }


def test_a_repeated_letter_password_is_refused_in_japanese(iwaki: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    response = client.post("/account/password/", _form("aaaaaaaaaaaa"))
    assert response.status_code == 400
    assert "推測されやすい" in response.content.decode()
    iwaki.tanto.user.refresh_from_db()
    assert iwaki.tanto.user.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="logins.password_changed").exists()


def test_django_validators_apply_too(iwaki: Any) -> None:
    with pytest.raises(InvalidInput):
        services.change_password(
            actor=iwaki.tanto.user, staff=iwaki.tanto, new_password="short", current_password=PASSWORD
        )


def test_the_current_password_is_required(iwaki: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    response = client.post("/account/password/", _form(NEW, current="not-my-password"))
    assert response.status_code == 400
    iwaki.tanto.user.refresh_from_db()
    assert iwaki.tanto.user.check_password(PASSWORD)


def test_a_good_password_is_set_audited_and_this_session_stays(iwaki: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    response = client.post("/account/password/", _form(NEW))
    assert response.status_code == 302
    iwaki.tanto.user.refresh_from_db()
    assert iwaki.tanto.user.check_password(NEW)
    entry = AuditEntry.objects.get(action="logins.password_changed")
    assert NEW not in str(entry.after) and entry.actor_id == iwaki.tanto.user.pk
    assert client.get("/").status_code == 200


def test_changing_the_password_ends_the_persons_other_sessions(iwaki: Any) -> None:
    other = signed_in_client(iwaki.tanto.user)
    other_key = other.session.session_key
    client = signed_in_client(iwaki.tanto.user)
    client.post("/account/password/", _form(NEW))
    assert not Session.objects.filter(session_key=other_key).exists()
    assert Session.objects.filter(session_key=client.session.session_key).exists()


def test_an_administrator_sets_a_password_and_all_the_persons_sessions_end(iwaki: Any) -> None:
    theirs = signed_in_client(iwaki.tanto.user)
    key = theirs.session.session_key
    services.change_password(actor=iwaki.kacho.user, staff=iwaki.tanto, new_password=NEW)
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEntry.objects.get(action="logins.password_changed").actor_id == iwaki.kacho.user.pk


def test_an_outsider_cannot_set_a_password(iwaki: Any, outsider: Any) -> None:
    with pytest.raises(NotPermitted):
        services.change_password(actor=outsider.user, staff=iwaki.tanto, new_password=NEW)


def test_staff_cannot_set_a_colleagues_password(iwaki: Any) -> None:
    with pytest.raises(NotPermitted):
        services.change_password(actor=iwaki.tanto.user, staff=iwaki.shozokucho, new_password=NEW)


def test_the_password_page_is_japanese(iwaki: Any) -> None:
    body = signed_in_client(iwaki.tanto.user).get("/account/password/").content.decode()
    assert "パスワードの変更" in body


def test_anonymous_users_are_sent_to_log_in(db: Any) -> None:
    assert Client().get("/account/password/").status_code == 302


def test_an_administrator_sets_a_password_from_the_staff_page(iwaki: Any) -> None:
    theirs = signed_in_client(iwaki.tanto.user)
    key = theirs.session.session_key
    admin = signed_in_client(iwaki.kacho.user)
    response = admin.post(f"/people/{iwaki.tanto.pk}/password/", {"new_password": NEW})
    assert response.status_code == 302
    iwaki.tanto.user.refresh_from_db()
    assert iwaki.tanto.user.check_password(NEW)
    assert not Session.objects.filter(session_key=key).exists()


def test_a_weak_password_from_the_staff_page_changes_nothing(iwaki: Any) -> None:
    admin = signed_in_client(iwaki.kacho.user)
    admin.post(f"/people/{iwaki.tanto.pk}/password/", {"new_password": "aaaaaaaaaaaa"})
    iwaki.tanto.user.refresh_from_db()
    assert iwaki.tanto.user.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="logins.password_changed").exists()


def test_staff_cannot_use_the_administrators_password_form(iwaki: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    client.post(f"/people/{iwaki.shozokucho.pk}/password/", {"new_password": NEW})
    iwaki.shozokucho.user.refresh_from_db()
    assert iwaki.shozokucho.user.check_password(PASSWORD)


def test_wrong_current_passwords_on_the_password_page_count_like_failed_sign_ins(
    iwaki: Any, settings: Any
) -> None:
    """The current-password check is no unthrottled oracle: its failures lock the login name as sign-in
    failures do, and then even the right current password is refused."""
    client = signed_in_client(iwaki.tanto.user)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/password/", _form(NEW, current="not-my-password-1"))
    response = client.post("/account/password/", _form(NEW))
    assert response.status_code == 429  # django-axes' lockout page, as at /login/
    iwaki.tanto.user.refresh_from_db()
    assert iwaki.tanto.user.check_password(PASSWORD)
    assert services.password_attempts(iwaki.tanto.user.username) >= settings.AXES_FAILURE_LIMIT
