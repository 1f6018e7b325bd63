"""Issue #13 "Done when": the daily journeys of a 広報 office at phone width (390×844, touch, ja-JP).

Each journey is the 1280 px one (named in its docstring) walked on a phone: after every step the page is no
wider than the viewport (``assert_fits``, the phone-width check) and the step's result is visible. Composing
and approving at 390 px is test_phone_width_browser::test_compose_submit_and_approve_at_phone_width. Each
persona signs in once per journey (a sign-in costs about a second on this machine). The correction also
runs at 1280 px here, since its 1280 px original (test_posts_browser) needs the local Bluesky network.
Shared helpers (``phone``, ``posting``, ``assert_fits``) live in tests/browser/conftest.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp
import pytest
from django.utils import timezone

from koshiki.audit.models import AuditEntry
from koshiki.orgs.models import PersonnelChange, Staff
from koshiki.posts import services as post_services
from koshiki.posts.models import Post
from koshiki.registry.models import OfficialAccount
from koshiki.security import services as security

from ..conftest import PASSWORD
from ..posts.conftest import CLEAN_POST
from .conftest import assert_fits, sign_in
from .test_personnel_browser import _kiki_account

pytestmark = pytest.mark.browser


def _as(phone: Any, live_server: Any, username: str) -> None:
    """Sign ``username`` in (a fresh session) and land on the dashboard."""
    phone.context.clear_cookies()
    sign_in(phone, live_server, username)
    phone.get_by_role("heading", name="ダッシュボード").wait_for()
    assert_fits(phone, f"dashboard of {username}")


def _shown(phone: Any, locator: Any, where: str) -> None:
    """The step's result is visible and lies within the phone's width (not scrolled away inside a wide
    table or box, which the page-width check alone would not see)."""
    locator.wait_for()
    box = locator.bounding_box()
    width = phone.viewport_size["width"]
    assert box is not None and box["x"] >= -1 and box["x"] + box["width"] <= width + 1, (where, box)


def _text_date(phone: Any, field: Any) -> None:
    """Typing a date as text, as a browser without a date picker (or a paste) sends it: the server's check
    is what is tested, not Chromium's picker."""
    field.evaluate("el => el.type = 'text'")


def test_first_contact(phone: Any, live_server: Any, iwaki: Any, system_admin: Any) -> None:
    """test_security_browser::test_totp_set_up_then_sign_in_with_a_code; test_admin_home (superuser)."""
    phone.goto(f"{live_server.url}/login/")
    assert_fits(phone, "login")
    phone.get_by_label("ログイン名").fill(iwaki.shozokucho.user.username)  # 所属長 must set up two-step
    phone.get_by_label("パスワード").fill(PASSWORD)
    phone.get_by_role("button", name="ログイン").click()
    phone.get_by_role("heading", name="二段階認証の設定").wait_for()
    assert phone.locator(".qr svg").is_visible()
    assert_fits(phone, "two-step set-up")
    secret = phone.locator("#totp-secret").inner_text().replace(" ", "")
    phone.get_by_label("コード").fill(pyotp.TOTP(secret).now())
    phone.get_by_role("button", name="確認").click()
    phone.get_by_role("heading", name="ダッシュボード").wait_for()
    assert phone.get_by_role("heading", name="対応が必要なこと").is_visible()
    assert_fits(phone, "dashboard")

    # The superuser without a body gets the list of bodies, not "Not Found".
    phone.context.clear_cookies()
    sign_in(phone, live_server, system_admin.username)
    phone.get_by_role("heading", name="団体の一覧").wait_for()
    _shown(phone, phone.locator("#bodies").get_by_text("いわき市"), "bodies")
    assert_fits(phone, "bodies")


def test_opening_an_account_through_its_chain(
    phone: Any, live_server: Any, iwaki: Any, iwaki_officers: Any
) -> None:
    """test_registry_browser::test_request_approve_open_and_announce_closure (up to 運用中)."""
    _as(phone, live_server, iwaki.tanto.user.username)
    phone.goto(f"{live_server.url}/accounts/request/")
    form = phone.locator("#account-request-form")
    form.get_by_label("所属").select_option(label="危機管理課")
    form.get_by_label("プラットフォーム").select_option("x")
    form.get_by_label("アカウント名").fill("いわき市防災")
    form.locator("#id_handle").fill("iwaki_bousai")
    form.get_by_label("目的").fill("災害・防災情報の迅速な発信")
    assert_fits(phone, "account request form")
    form.get_by_role("button", name="申請する").click()
    assert phone.locator("#account-state").inner_text() == "申請中"
    _shown(phone, phone.locator("#account-state"), "requested")
    assert_fits(phone, "account requested")
    policy = phone.locator("#policy-form")
    for field in policy.locator("textarea").all():
        field.fill("記載済み")
    policy.get_by_role("button", name="運用方針を保存").click()
    assert "未記入" not in phone.locator("#policy").inner_text()
    assert_fits(phone, "policy saved")
    account_url = phone.url

    for username in ("iwaki-bucho", "iwaki-seisaku"):  # 情報管理者, then 総合政策部長
        _as(phone, live_server, username)
        phone.goto(account_url)
        assert_fits(phone, f"account for {username}")
        phone.locator("#decision-form").get_by_role("button", name="承認する").click()
        phone.locator("#chain").wait_for()
        assert_fits(phone, f"approved by {username}")
    assert phone.locator("#account-state").inner_text() == "承認済"
    assert "「いわき市 第4 1(2)」" in phone.locator("#chain").inner_text()
    _shown(phone, phone.locator("#chain").get_by_text("「いわき市 第4 1(2)」").first, "chain clause")

    _as(phone, live_server, iwaki.shozokucho.user.username)  # 所属長 marks it 運用中
    phone.goto(account_url)
    activate = phone.locator("#activate-form")
    activate.get_by_label("アカウントのURL").fill("https://x.com/iwaki_bousai")
    assert_fits(phone, "activate form")
    activate.get_by_role("button", name="運用中にする").click()
    assert phone.locator("#account-state").inner_text() == "運用中"
    _shown(phone, phone.locator("#account-state"), "active")
    assert_fits(phone, "active")
    assert OfficialAccount.objects.get(handle="iwaki_bousai").state == "active"


@pytest.mark.parametrize("screen", ["phone", "page"])
def test_correcting_a_published_post(
    request: pytest.FixtureRequest, live_server: Any, posting: Any, screen: str
) -> None:
    """test_posts_browser (the correction part, which needs the Bluesky network): a post recorded as
    published by hand gets a 【訂正】 correction linked to it. Also at 1280 px (``page``), so the journey
    runs at both widths without the network."""
    phone = request.getfixturevalue(screen)
    body = posting.seed
    post = post_services.create_post(actor=body.operator.user, account=posting.account, text=CLEAN_POST)
    post = post_services.submit(actor=body.operator.user, post=post)
    while post.state == "submitted":
        approver = post_services.pending_step(post).waiting_for[0]
        post = post_services.decide(actor=approver.user, post=post, approve=True)
    url = f"https://bsky.app/profile/{posting.account.handle}/post/3kjourney0001"
    post_services.record_manual_publication(actor=body.operator.user, post=post, url=url)

    _as(phone, live_server, body.operator.user.username)
    phone.goto(f"{live_server.url}/posts/{post.pk}/")
    phone.locator("#post-state").get_by_text("投稿済み").wait_for()
    assert_fits(phone, "published post")
    phone.get_by_role("link", name="訂正を投稿する").click()
    phone.get_by_role("heading", name="訂正を投稿する").wait_for()
    text = phone.locator("#post-text")
    assert text.input_value().startswith("【訂正】")
    assert_fits(phone, "correction form")
    text.press("End")
    text.type("訓練は16時に終了します。")
    phone.get_by_role("button", name="保存してチェック").click()
    phone.locator("#corrects-link").wait_for()
    assert phone.locator("#corrects-link").inner_text() == f"#{post.pk}"
    _shown(phone, phone.locator("#corrects-link"), "corrects link")
    assert_fits(phone, "correction saved")
    assert Post.objects.get(corrects=post).text.startswith("【訂正】")


def test_security_board_and_a_personnel_change(phone: Any, live_server: Any, iwaki: Any) -> None:
    """test_security_browser (the board after a 異動) and test_personnel_browser (a past-dated 異動)."""
    account = _kiki_account(iwaki)
    for person, reason in ((iwaki.tanto, "主担当"), (iwaki.shozokucho, "副担当")):
        security.add_holder(actor=iwaki.shozokucho.user, account=account, staff=person, reason=reason)
    security.record_rotation(  # the password changed when the second holder came: nothing to do yet
        actor=iwaki.shozokucho.user,
        account=account,
        rotated_on=timezone.localdate(),
        reason="staff_change",
        new_password="Kawa-Sakura-Tonbo-8372!",
    )
    _as(phone, live_server, iwaki.kacho.user.username)
    phone.goto(f"{live_server.url}/security/")
    phone.get_by_role("heading", name="安全管理ボード").wait_for()
    assert phone.locator("[data-kind=rotate_now]").count() == 0
    assert_fits(phone, "security board")

    # A future-dated 異動 is scheduled, nothing applied yet.
    future = timezone.localdate() + dt.timedelta(days=30)
    phone.goto(f"{live_server.url}/people/{iwaki.ciso.pk}/")
    form = phone.locator("#personnel-form")
    form.get_by_label("種別").select_option("move")
    form.get_by_label("発令日").fill(future.isoformat())
    form.get_by_label("異動先").select_option(label="広報広聴課")
    assert_fits(phone, "personnel form")
    form.get_by_role("button", name="登録する").click()
    phone.get_by_role("status").filter(has_text="付で予定しました").wait_for()
    assert_fits(phone, "personnel change scheduled")
    assert PersonnelChange.objects.get(staff=iwaki.ciso, kind="move").state == "scheduled"
    assert Staff.objects.get(pk=iwaki.ciso.pk).department == iwaki.departments["somu"]

    # A past-dated one shows its effects and asks to confirm before anything changes.
    phone.goto(f"{live_server.url}/people/{iwaki.tanto.pk}/")
    form = phone.locator("#personnel-form")
    form.get_by_label("種別").select_option("move")
    form.get_by_label("発令日").fill((timezone.localdate() - dt.timedelta(days=2)).isoformat())
    form.get_by_label("異動先").select_option(label="広報広聴課")
    form.get_by_role("button", name="登録する").click()
    phone.get_by_role("heading", name="異動の確認").wait_for()
    assert "運用に携わる職員（危機管理課）" in phone.locator("#personnel-effects").inner_text()
    assert "この日付は過去です" in phone.locator("#personnel-confirm").inner_text()
    _shown(phone, phone.locator("#personnel-effects"), "effects")
    _shown(phone, phone.get_by_role("button", name="確定して適用する"), "confirm button")
    assert_fits(phone, "personnel confirm")
    assert Staff.objects.get(pk=iwaki.tanto.pk).department == iwaki.departments["kiki"]
    phone.get_by_role("button", name="確定して適用する").click()
    phone.get_by_text("人事異動を反映しました。").wait_for()
    assert_fits(phone, "personnel applied")
    assert Staff.objects.get(pk=iwaki.tanto.pk).department == iwaki.departments["kouhou"]
    # The board now asks for a new password of the account the moved person held, citing the clause.
    phone.goto(f"{live_server.url}/security/")
    row = phone.locator("[data-kind=rotate_now]")
    _shown(phone, row.get_by_text(account.account_name).first, "rotate-now item")
    assert "「いわき市 第4 3(2)」" in row.inner_text()
    assert_fits(phone, "security board after the move")
    row.get_by_role("link", name="対応する").first.click()
    phone.locator("#holder-list").wait_for()
    assert iwaki.tanto.display_name not in phone.locator("#holder-list").inner_text()
    assert_fits(phone, "account security after the move")

    # Naming the moved person as a holder again warns, and adds no one until the warning is ticked.
    holder = phone.locator("#holder-add-form")
    holder.get_by_label("職員").select_option(label=iwaki.tanto.display_name)
    holder.get_by_label("理由").fill("主担当")
    holder.get_by_role("button", name="追加").click()
    warning = phone.get_by_text("から異動し", exact=False).first
    _shown(phone, warning, "moved-holder warning")
    tick = phone.locator("#holder-add-form input[name=confirm_moved]")  # the warning is on the tick box
    assert "から異動し" in _error_of(phone, tick)
    assert_fits(phone, "moved-holder warning")
    assert not account.credential_holders.filter(staff=iwaki.tanto, removed_at__isnull=True).exists()


def test_registry_export_then_import_preview_and_confirm(
    phone: Any, live_server: Any, iwaki: Any, tmp_path: Any
) -> None:
    """test_registry_roundtrip_browser::test_export_edit_preview_and_confirm."""
    live = OfficialAccount.objects.create(
        organization=iwaki.organization,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき防災",
        handle="iwaki_bosai",
        purpose="防災情報",
        state="active",
    )
    _as(phone, live_server, iwaki.kacho.user.username)
    phone.goto(f"{live_server.url}/accounts/")
    assert_fits(phone, "registry")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="書き出し（CSV）").click()
    exported = download.value.path().read_bytes().decode("utf-8-sig")
    edited = tmp_path / "daicho.csv"
    edited.write_text(exported.replace("防災情報", "防災・気象情報"), "utf-8")

    phone.get_by_role("link", name="取り込む").click()
    assert_fits(phone, "import form")
    phone.locator("#import-form input[type=file]").set_input_files(str(edited))
    phone.get_by_role("button", name="取り込む内容を確認する").click()
    phone.get_by_role("heading", name="取り込む内容の確認").wait_for()
    change = phone.locator("#import-updates tbody tr")
    assert change.count() == 1 and "防災・気象情報" in change.inner_text()
    _shown(phone, change.get_by_text("防災・気象情報"), "changed value")
    _shown(phone, phone.get_by_role("button", name="この内容で取り込む"), "confirm import")
    assert_fits(phone, "import preview")
    assert OfficialAccount.objects.get(pk=live.pk).purpose == "防災情報"

    phone.get_by_role("button", name="この内容で取り込む").click()
    phone.get_by_role("heading", name="公式アカウント").first.wait_for()
    assert_fits(phone, "imported")
    assert OfficialAccount.objects.get(pk=live.pk).purpose == "防災・気象情報"
    assert AuditEntry.objects.filter(action="registry.account.import_updated").count() == 1


def test_english_at_phone_width(phone: Any, live_server: Any, iwaki: Any) -> None:
    """test_browser::test_language_switch_to_english, then one page of each kind in English."""
    account = _kiki_account(iwaki)
    _as(phone, live_server, iwaki.kacho.user.username)
    phone.locator("#lang-select").select_option("en")
    phone.get_by_role("button", name="切り替え").click()
    phone.get_by_role("heading", name="Dashboard").wait_for()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert_fits(phone, "dashboard (en)")
    pages = [
        ("/accounts/", "Official accounts"),  # a list
        (f"/accounts/{account.pk}/", account.account_name),  # a detail
        ("/posts/new/", "New post"),  # a form
        ("/audit/", "Audit log"),  # a filtered log
        ("/security/", "Security board"),  # a board
        (f"/people/{iwaki.tanto.pk}/", iwaki.tanto.display_name),  # a person
    ]
    for path, heading in pages:
        response = phone.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert heading in phone.locator("h1").first.inner_text(), path
        assert phone.locator("html").get_attribute("lang") == "en"
        assert_fits(phone, f"{path} (en)")


def test_bad_dates_are_refused_beside_their_field(phone: Any, live_server: Any, iwaki: Any) -> None:
    """test_browser::test_personnel_form_error_is_shown_in_japanese and test_audit_log_browser (bad date)."""
    _as(phone, live_server, iwaki.kacho.user.username)
    phone.goto(f"{live_server.url}/people/{iwaki.tanto.pk}/")
    form = phone.locator("#personnel-form")
    form.get_by_label("種別").select_option("move")
    form.get_by_label("異動先").select_option(label="広報広聴課")
    date = form.get_by_label("発令日")
    _text_date(phone, date)
    date.fill("2026-02-30")
    form.get_by_role("button", name="登録する").click()
    form = phone.locator("#personnel-form")
    date = form.get_by_label("発令日")
    assert date.get_attribute("aria-invalid") == "true"
    error = _error_of(phone, date)
    assert "日付" in error, error
    _shown(phone, form.locator(".errorlist").first, "personnel date error")
    assert_fits(phone, "personnel form with a bad date")
    assert not PersonnelChange.objects.filter(staff=iwaki.tanto, kind="move").exists()

    phone.goto(f"{live_server.url}/audit/")
    start = phone.get_by_label("開始日")
    _text_date(phone, start)
    start.fill("2026-02-30")
    phone.get_by_role("button", name="絞り込み").click()
    phone.get_by_role("alert").wait_for()
    start = phone.get_by_label("開始日")
    assert start.get_attribute("aria-invalid") == "true"
    assert "日付は YYYY-MM-DD の形で入力してください" in _error_of(phone, start)
    _shown(phone, phone.get_by_role("alert"), "audit date error")
    assert phone.locator("tr[data-seq]").count() == 0
    assert_fits(phone, "audit log with a bad date")


def _error_of(phone: Any, field: Any) -> str:
    """The text the field's aria-describedby points at (the error is tied to the field, not only near it)."""
    ids = (field.get_attribute("aria-describedby") or "").split()
    assert ids, "the field names no description"
    return " ".join(phone.locator(f"[id='{i}']").inner_text() for i in ids)
