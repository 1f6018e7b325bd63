"""The 台帳 import in the browser is two steps: upload → preview of the differences → confirm (issue #13)."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from koshiki.audit.models import AuditEntry
from koshiki.registry.io import export_csv
from koshiki.registry.models import OfficialAccount

from ..conftest import signed_in_client


def _account(iwaki: Any, state: str = "active") -> OfficialAccount:
    return OfficialAccount.objects.create(
        organization=iwaki.organization,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき防災",
        handle="iwaki_bosai",
        purpose="防災情報",
        state=state,
    )


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(upload|digest|basis)" value="([^"]*)"', html))


def test_upload_shows_the_differences_and_changes_nothing_until_confirmed(iwaki: Any) -> None:
    account = _account(iwaki, state="requested")
    text = export_csv(OfficialAccount.objects.select_related("department")).decode("utf-8-sig")
    text = text.replace("防災情報", "防災・気象情報").replace('"申請中"', '"運用中"')
    client = signed_in_client(iwaki.kacho.user)
    response = client.post("/accounts/import/", {"file": SimpleUploadedFile("d.csv", text.encode())})
    html = response.content.decode()
    assert response.status_code == 200
    assert "防災情報" in html and "防災・気象情報" in html and 'id="import-updates"' in html
    assert 'id="import-notes"' in html and "状態" in html
    assert OfficialAccount.objects.get(pk=account.pk).purpose == "防災情報"

    confirm = client.post("/accounts/import/confirm/", _hidden(html))
    assert confirm.status_code == 302
    assert OfficialAccount.objects.get(pk=account.pk).purpose == "防災・気象情報"
    assert OfficialAccount.objects.get(pk=account.pk).state == "requested"
    assert AuditEntry.objects.filter(action="registry.account.import_updated").count() == 1
    again = client.post("/accounts/import/confirm/", _hidden(html), follow=True)
    assert "取り込み済み" in again.content.decode()
    assert AuditEntry.objects.filter(action="registry.account.import_updated").count() == 1


def test_unchanged_export_previews_no_changes_without_a_confirm_button(iwaki: Any) -> None:
    _account(iwaki)
    data = export_csv(OfficialAccount.objects.select_related("department"))
    client = signed_in_client(iwaki.kacho.user)
    html = client.post("/accounts/import/", {"file": SimpleUploadedFile("d.csv", data)}).content.decode()
    assert 'id="import-no-changes"' in html and 'id="import-confirm"' not in html


def test_another_users_confirm_is_refused(iwaki: Any, outsider: Any) -> None:
    account = _account(iwaki)
    text = export_csv(OfficialAccount.objects.select_related("department")).decode("utf-8-sig")
    client = signed_in_client(iwaki.kacho.user)
    html = client.post(
        "/accounts/import/",
        {"file": SimpleUploadedFile("d.csv", text.replace("防災情報", "他人").encode())},
    ).content.decode()
    response = signed_in_client(outsider.user).post("/accounts/import/confirm/", _hidden(html))
    assert response.status_code == 404
    assert OfficialAccount.objects.get(pk=account.pk).purpose == "防災情報"
