"""In the browser (issue #13 item 7): the 台帳 round trip. Export as CSV, edit one field, upload, see the
difference (and the note on a changed 状態), confirm once, find the account changed and the history entry."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.registry.models import OfficialAccount
from koshiki.registry.services import request_account

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_export_edit_preview_and_confirm(page: Any, live_server: Any, iwaki: Any, tmp_path: Any) -> None:
    live = OfficialAccount.objects.create(
        organization=iwaki.organization,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき防災",
        handle="iwaki_bosai",
        purpose="防災情報",
        state="active",
    )
    requested = request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="instagram",
        account_name="いわき写真",
        purpose="観光写真",
    )
    sign_in(page, live_server, iwaki.kacho.user.username)
    page.goto(f"{live_server.url}/accounts/")
    with page.expect_download() as download:
        page.get_by_role("link", name="書き出し（CSV）").click()
    exported = download.value.path().read_bytes().decode("utf-8-sig")
    assert "申請中" in exported  # the export the import used to refuse

    edited = tmp_path / "daicho.csv"
    edited.write_text(exported.replace("防災情報", "防災・気象情報").replace('"申請中"', '"運用中"'), "utf-8")
    page.get_by_role("link", name="取り込む").click()
    page.locator("#import-form input[type=file]").set_input_files(str(edited))
    page.get_by_role("button", name="取り込む内容を確認する").click()

    page.get_by_role("heading", name="取り込む内容の確認").wait_for()
    change = page.locator("#import-updates tbody tr")
    assert change.count() == 1
    assert [change.locator("td").nth(i).inner_text() for i in (2, 3, 4)] == [
        "目的",
        "防災情報",
        "防災・気象情報",
    ]
    assert "読み取り専用" in page.locator("main").inner_text()
    assert "申請中" in page.locator("#import-notes").inner_text()
    assert OfficialAccount.objects.get(pk=live.pk).purpose == "防災情報"  # nothing changed yet
    screenshot(page, "registry-import-preview")

    page.get_by_role("button", name="この内容で取り込む").dblclick()
    page.get_by_role("heading", name="公式アカウント").first.wait_for()
    assert OfficialAccount.objects.get(pk=live.pk).purpose == "防災・気象情報"
    assert OfficialAccount.objects.get(pk=requested.pk).state == "requested"
    assert AuditEntry.objects.filter(action="registry.account.import_updated").count() == 1

    page.goto(f"{live_server.url}/accounts/{live.pk}/")
    assert "台帳ファイルからの更新" in page.locator("main").inner_text()
