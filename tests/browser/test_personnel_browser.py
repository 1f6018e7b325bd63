"""Issue #13 items 3 and 4 in the real browser: a 異動 typed with last year's date shows its effects and
changes nothing until confirmed; a double-click on confirm applies it once; the old 課's role then shows its
end date and the moved person can no longer write the old 課's posts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.orgs.models import PersonnelChange, RoleAssignment, Staff
from koshiki.registry.models import OfficialAccount

from ..conftest import live_kiki_account
from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def _kiki_account(iwaki: Any) -> OfficialAccount:
    account = live_kiki_account(iwaki)
    account.operators.add(iwaki.tanto)
    return account


def test_a_past_dated_move_is_previewed_confirmed_once_and_ends_the_old_role(
    page: Any, live_server: Any, iwaki: Any
) -> None:
    account = _kiki_account(iwaki)
    sign_in(page, live_server, iwaki.kacho.user.username)
    page.goto(f"{live_server.url}/people/{iwaki.tanto.pk}/")
    form = page.locator("#personnel-form")
    form.get_by_label("種別").select_option("move")
    form.get_by_label("発令日").fill((timezone.localdate() - dt.timedelta(days=2)).isoformat())
    form.get_by_label("異動先").select_option(label="広報広聴課")
    form.get_by_role("button", name="登録する").click()

    page.get_by_role("heading", name="異動の確認").wait_for()
    effects = page.locator("#personnel-effects").inner_text()
    assert "運用に携わる職員（危機管理課）" in effects and "危機管理課ブルースカイ" in effects
    assert "この日付は過去です" in page.locator("#personnel-confirm").inner_text()
    assert Staff.objects.get(pk=iwaki.tanto.pk).department == iwaki.departments["kiki"]  # nothing applied yet
    screenshot(page, "personnel-confirm")

    page.get_by_role("button", name="確定して適用する").dblclick()
    page.get_by_text("人事異動を反映しました。").wait_for()
    assert PersonnelChange.objects.filter(staff=iwaki.tanto, kind="move").count() == 1
    assert AuditEntry.objects.filter(action="orgs.staff.moved").count() == 1
    role = RoleAssignment.objects.get(staff=iwaki.tanto, role_id="operator")
    roles = page.locator("section", has=page.get_by_role("heading", name="役割")).inner_text()
    assert role.end_date is not None and role.end_date.isoformat() in roles
    assert not account.operators.filter(pk=iwaki.tanto.pk).exists()
