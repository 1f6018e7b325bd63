"""In the browser (issue #13 item 8): the audit log shows labels, not codes; a bad date in the filter is
a Japanese error tied to its field; the action is chosen by its label; the filtered log downloads as CSV,
and the download itself appears in the log under its label."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from koshiki.registry import services

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_filter_and_export_the_audit_log(page: Any, live_server: Any, iwaki: Any) -> None:
    services.request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき防災X",
        purpose="広報",
    )
    sign_in(page, live_server, iwaki.ciso.user.username)

    page.goto(f"{live_server.url}/audit/?date_from=2026-02-30")
    alert = page.get_by_role("alert")
    assert "日付は YYYY-MM-DD の形で入力してください" in alert.inner_text()
    assert page.get_by_label("開始日").get_attribute("aria-invalid") == "true"
    assert page.locator("tr[data-seq]").count() == 0

    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("操作", exact=True).select_option(label="アカウント開設の申請")
    page.get_by_role("button", name="絞り込み").click()
    page.wait_for_load_state()
    rows = page.locator("tr[data-seq]")
    assert rows.count() == 1
    assert "アカウント開設の申請" in rows.first.inner_text()
    rows.first.locator("summary").click()
    assert "アカウント名" in rows.first.inner_text() and "account_name" not in rows.first.inner_text()
    screenshot(page, "audit-log-filtered")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="CSVでダウンロード").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert [r[table[0].index("action")] for r in table[1:]] == ["registry.account.requested"]

    page.goto(f"{live_server.url}/audit/")
    assert "監査ログの書出し" in page.locator("tr[data-seq]").first.inner_text()
