"""Account security in the real browser: TOTP sign-in, holders, rotations with reuse detection, a personnel
change opening 'change now', and a personal device approved by the manager."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.utils import timezone

from koshiki.registry.io import import_rows
from koshiki.registry.models import OfficialAccount

from ..conftest import PASSWORD, totp_code
from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser
STRONG = "Kawa-Sakura-Tonbo-8372!"


def _accounts(body: Any) -> tuple[OfficialAccount, OfficialAccount]:
    import_rows(
        actor=None,
        organization=body.organization,
        source="test",
        rows=[
            {
                "所属コード": "kiki",
                "サービス": "x",
                "アカウント名": "いわき市防災",
                "ID": "iwaki_bousai",
                "URL": "https://x.com/iwaki_bousai",
                "目的": "防災情報",
                "状態": "運用中",
            },
            {
                "所属コード": "kiki",
                "サービス": "facebook",
                "アカウント名": "いわき市危機管理",
                "ID": "iwaki.kiki",
                "URL": "https://facebook.com/iwaki.kiki",
                "目的": "危機管理",
                "状態": "運用中",
            },
        ],
    )
    return OfficialAccount.objects.get(handle="iwaki_bousai"), OfficialAccount.objects.get(
        handle="iwaki.kiki"
    )


def test_totp_set_up_then_sign_in_with_a_code(page: Any, live_server: Any, iwaki: Any) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("ログイン名").fill(iwaki.shozokucho.user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="二段階認証の設定").wait_for()
    assert page.locator(".qr svg").count() == 1
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("コード").fill("000000")
    page.get_by_role("button", name="確認").click()
    page.get_by_role("alert").filter(has_text="コードが正しくありません").wait_for()
    page.get_by_label("コード").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="確認").click()
    page.get_by_role("heading", name="ダッシュボード").wait_for()
    page.get_by_role("button", name="ログアウト").click()
    page.get_by_label("ログイン名").fill(iwaki.shozokucho.user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="二段階認証").wait_for()
    page.get_by_label("コード").fill(totp_code(iwaki.shozokucho.user))
    page.get_by_role("button", name="確認").click()
    page.get_by_role("heading", name="ダッシュボード").wait_for()


def test_holders_rotation_reuse_personnel_change_and_personal_device(
    page: Any, live_server: Any, iwaki: Any
) -> None:
    bousai, kiki = _accounts(iwaki)
    # 担当者 registers a personal phone (before holding anything, so no second step yet) and asks to use it.
    sign_in(page, live_server, iwaki.tanto.user.username)
    page.goto(f"{live_server.url}/devices/")
    form = page.locator("#device-form")
    form.get_by_label("端末").fill("私物 iPhone")
    form.get_by_label("種別").select_option("personal")
    form.get_by_label("OS とバージョン").fill("iOS 18.1")
    form.get_by_label("OS の最終更新日").fill(timezone.localdate().isoformat())
    form.get_by_label("ウイルス対策").select_option("active")
    form.get_by_role("button", name="登録").click()
    access = page.locator("#access-form")
    access.get_by_label("アカウント").select_option(label=str(bousai))
    access.get_by_label("この端末が必要な理由").fill("夜間の災害対応のため")
    access.get_by_role("button", name="登録").click()
    page.locator("#device-accesses").get_by_text("承認待ち").wait_for()

    # 所属長: the board flags the device with its clause; add holders; record a change with a password.
    page.context.clear_cookies()
    sign_in(page, live_server, iwaki.shozokucho.user.username)
    page.goto(f"{live_server.url}/security/")
    page.locator("[data-kind=personal_device]").get_by_text("未承認の私物端末").wait_for()
    page.goto(f"{live_server.url}/accounts/{bousai.pk}/security/")
    page.locator("tr[data-access]").get_by_role("button", name="承認").click()
    page.locator("tr[data-access]").get_by_text("承認済").wait_for()
    for person, reason in ((iwaki.tanto, "主担当"), (iwaki.kacho, "副担当")):
        holder = page.locator("#holder-add-form")
        holder.get_by_label("職員").select_option(label=person.display_name)
        holder.get_by_label("理由").fill(reason)
        holder.get_by_role("button", name="追加").click()
        page.locator("#holder-list").get_by_text(person.display_name).wait_for()
    rotation = page.locator("#rotation-form")
    rotation.get_by_label("理由").select_option("staff_change")
    rotation.get_by_label("新しいパスワード").fill(STRONG)
    rotation.get_by_role("button", name="変更を記録").click()
    page.get_by_text("パスワードの変更を記録しました。").wait_for()
    assert page.locator("#rotation-tasks .badge.todo").count() == 0

    # The same password on another account is refused, and nothing is recorded there.
    page.goto(f"{live_server.url}/accounts/{kiki.pk}/security/")
    rotation = page.locator("#rotation-form")
    rotation.get_by_label("新しいパスワード").fill(STRONG)
    rotation.get_by_role("button", name="変更を記録").click()
    page.get_by_text("このパスワードは以前に使われています").wait_for()
    assert kiki.rotations.count() == 0

    # 広報主管課長 records 担当者's transfer: the account at once needs a new password.
    page.context.clear_cookies()
    sign_in(page, live_server, iwaki.kacho.user.username)
    page.goto(f"{live_server.url}/people/{iwaki.tanto.pk}/")
    change = page.locator("#personnel-form")
    change.get_by_label("種別").select_option("leave")
    change.get_by_label("発令日").fill(timezone.localdate().isoformat())
    change.get_by_role("button", name="登録する").click()
    page.get_by_role(
        "button", name="確定して適用する"
    ).click()  # dated today: effects shown first (issue #13)
    page.get_by_text("人事異動を反映しました。").wait_for()
    page.goto(f"{live_server.url}/security/")
    row = page.locator("[data-kind=rotate_now]")
    row.get_by_text("いわき市防災").wait_for()
    assert "「いわき市 第4 3(2)」" in row.inner_text()
    row.get_by_role("link", name="対応する").click()
    assert iwaki.tanto.display_name not in page.locator("#holder-list").inner_text()
    screenshot(page, "account-security")
