"""Issue #13 item 4 in the browser's terms: a 異動 dated today or earlier shows its effects and applies only
when confirmed; a date a year away must be confirmed explicitly; a double-click on confirm applies once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.orgs.models import PersonnelChange, Staff

from ..conftest import signed_in_client

TODAY = timezone.localdate


def _form(iwaki: Any, on: dt.date) -> dict[str, Any]:
    return {"kind": "move", "effective_date": on.isoformat(), "to_department": iwaki.departments["kouhou"].pk}


def _hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))


def _department(iwaki: Any) -> Any:
    return Staff.objects.get(pk=iwaki.tanto.pk).department


def test_a_past_dated_move_shows_its_effects_and_applies_nothing(iwaki: Any) -> None:
    client = signed_in_client(iwaki.kacho.user)
    before = AuditEntry.objects.count()
    response = client.post(
        f"/people/{iwaki.tanto.pk}/personnel/", _form(iwaki, TODAY() - dt.timedelta(days=1))
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="personnel-effects"' in page
    assert "運用に携わる職員（危機管理課）" in page and "この日付は過去です" in page
    assert AuditEntry.objects.count() == before and _department(iwaki) == iwaki.departments["kiki"]


def test_confirming_applies_and_a_double_click_applies_once(iwaki: Any) -> None:
    client = signed_in_client(iwaki.kacho.user)
    url = f"/people/{iwaki.tanto.pk}/personnel/"
    confirm = _hidden(client.post(url, _form(iwaki, TODAY() - dt.timedelta(days=1))).content.decode())
    first = client.post(url, confirm)
    second = client.post(url, confirm)
    assert first.status_code == second.status_code == 302
    assert _department(iwaki) == iwaki.departments["kouhou"]
    assert PersonnelChange.objects.filter(staff=iwaki.tanto, kind="move").count() == 1
    assert AuditEntry.objects.filter(action="orgs.staff.moved").count() == 1


def test_a_date_a_year_away_needs_the_explicit_confirmation(iwaki: Any) -> None:
    client = signed_in_client(iwaki.kacho.user)
    url = f"/people/{iwaki.tanto.pk}/personnel/"
    page = client.post(url, _form(iwaki, TODAY() + dt.timedelta(days=400))).content.decode()
    assert 'name="date_confirmed"' in page and "年の入力を確認" not in page
    refused = client.post(url, _hidden(page))
    assert refused.status_code == 409 and "1年以上" in refused.content.decode()
    assert not PersonnelChange.objects.filter(staff=iwaki.tanto, kind="move").exists()
    done = client.post(url, {**_hidden(page), "date_confirmed": "on"})
    assert done.status_code == 302
    assert PersonnelChange.objects.get(staff=iwaki.tanto, kind="move").state == "scheduled"


def test_a_move_next_month_is_scheduled_without_a_confirmation_step(iwaki: Any) -> None:
    response = signed_in_client(iwaki.kacho.user).post(
        f"/people/{iwaki.tanto.pk}/personnel/", _form(iwaki, TODAY() + dt.timedelta(days=30))
    )
    assert response.status_code == 302
