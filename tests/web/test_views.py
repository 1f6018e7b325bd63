"""Pages: Japanese by default, scoped to the user's body, changes only through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.orgs.models import PersonnelChange

from ..conftest import signed_in_client


def _client(staff: Any) -> Client:
    return signed_in_client(staff.user)


def test_login_page_is_japanese_by_default(db: Any) -> None:
    body = Client().get("/login/").content.decode()
    assert "ログイン" in body and 'lang="ja"' in body


def test_login_page_in_english_on_request(db: Any) -> None:
    body = Client(headers={"accept-language": "en"}).get("/login/").content.decode()
    assert "Log in to Koshiki" in body


def test_dashboard_requires_login(db: Any) -> None:
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_dashboard_shows_body_and_roles_in_japanese(iwaki: Any) -> None:
    body = _client(iwaki.shozokucho).get("/").content.decode()
    assert "いわき市" in body and "アカウント管理者" in body and "ダッシュボード" in body


def test_dashboard_lists_upcoming_personnel_changes_for_administrators(
    iwaki: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from koshiki.orgs import services

    with django_capture_on_commit_callbacks(execute=False):
        services.record_personnel_change(
            actor=iwaki.kacho.user,
            staff=iwaki.tanto,
            kind="leave",
            effective_date=timezone.localdate() + dt.timedelta(days=7),
        )
    assert "担当 次郎" in _client(iwaki.kacho).get("/").content.decode()
    assert "担当 次郎" not in _client(iwaki.shozokucho).get("/").content.decode()


def test_guideline_page_lists_clauses_with_citations(iwaki: Any) -> None:
    body = _client(iwaki.tanto).get("/guideline/").content.decode()
    assert "「いわき市 第5 2(2)①」" in body


def test_outsider_gets_404_for_another_bodys_staff(iwaki: Any, outsider: Any) -> None:
    assert _client(outsider).get(f"/people/{iwaki.tanto.pk}/").status_code == 404


def test_outsider_cannot_record_a_change_in_another_body(iwaki: Any, outsider: Any) -> None:
    before = PersonnelChange.objects.count()
    response = _client(outsider).post(
        f"/people/{iwaki.tanto.pk}/personnel/", {"kind": "leave", "effective_date": "2030-04-01"}
    )
    assert response.status_code == 404
    assert PersonnelChange.objects.count() == before


def test_tanto_cannot_read_the_audit_log(iwaki: Any) -> None:
    assert _client(iwaki.tanto).get("/audit/").status_code == 404


def test_ciso_reads_the_audit_log(iwaki: Any) -> None:
    body = _client(iwaki.ciso).get("/audit/").content.decode()
    assert "orgs.staff.added" in body


def _confirmed(client: Any, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """A 異動 dated today shows its effects first (issue #13 item 4); post the confirmation it offers."""
    import re

    page = client.post(url, data).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    return client.post(url, hidden, **kwargs)


def test_recording_a_move_in_the_form_applies_it(iwaki: Any) -> None:
    response = _confirmed(
        _client(iwaki.kacho),
        f"/people/{iwaki.tanto.pk}/personnel/",
        {
            "kind": "move",
            "effective_date": timezone.localdate().isoformat(),
            "to_department": iwaki.departments["somu"].pk,
        },
    )
    assert response.status_code == 302
    iwaki.tanto.refresh_from_db()
    assert iwaki.tanto.department == iwaki.departments["somu"]


def test_bad_move_gets_a_japanese_error_and_changes_nothing(iwaki: Any) -> None:
    before = (PersonnelChange.objects.count(), AuditEntry.objects.count())
    response = _client(iwaki.kacho).post(
        f"/people/{iwaki.tanto.pk}/personnel/",
        {"kind": "move", "effective_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "異動先の所属を選んでください" in response.content.decode()
    assert (PersonnelChange.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("role_id", ["mayor", ""])
def test_assigning_an_unknown_role_in_the_form_changes_nothing(iwaki: Any, role_id: str) -> None:
    before = AuditEntry.objects.count()
    response = _client(iwaki.kacho).post(f"/people/{iwaki.tanto.pk}/roles/", {"role_id": role_id})
    assert response.status_code == 400
    assert AuditEntry.objects.count() == before


def test_audit_entries_of_one_request_share_its_request_id(iwaki: Any) -> None:
    _confirmed(
        _client(iwaki.kacho),
        f"/people/{iwaki.tanto.pk}/personnel/",
        {"kind": "leave", "effective_date": timezone.localdate().isoformat()},
        headers={"x-request-id": "req-test-0001"},
    )
    actions = set(AuditEntry.objects.filter(request_id="req-test-0001").values_list("action", flat=True))
    assert {"orgs.personnel.recorded", "orgs.personnel.applied", "orgs.staff.left"} <= actions


def test_administrator_adds_staff_in_the_form(iwaki: Any) -> None:
    response = _client(iwaki.kacho).post(
        "/people/add/",
        {
            "display_name": "新人 四郎",
            "username": "iwaki-shinjin",
            "department": iwaki.departments["kiki"].pk,
            "language": "ja",
            "password": "",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="orgs.staff.added", object_repr="新人 四郎").exists()


def test_taken_login_name_gets_a_japanese_error(iwaki: Any) -> None:
    before = AuditEntry.objects.count()
    response = _client(iwaki.kacho).post(
        "/people/add/", {"display_name": "重複", "username": iwaki.tanto.user.username, "language": "ja"}
    )
    assert response.status_code == 400
    assert "は既に使われています" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_tanto_cannot_add_staff(iwaki: Any) -> None:
    response = _client(iwaki.tanto).post(
        "/people/add/", {"display_name": "x", "username": "x", "language": "ja"}
    )
    assert response.status_code == 404


def test_administrator_adds_a_department(iwaki: Any) -> None:
    response = _client(iwaki.kacho).post("/people/departments/add/", {"code": "kanko", "name": "観光振興課"})
    assert response.status_code == 302
    assert iwaki.organization.departments.filter(code="kanko").exists()
