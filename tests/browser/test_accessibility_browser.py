"""Accessibility (JIS X 8341-3:2016 level AA, issue #13): axe-core finds no WCAG 2.1 A/AA violation on any
main page; results of actions take the focus; the live check announces only what changed; severity is told
in words, also in forced-colours mode; Japanese content is marked lang="ja" in the English UI; and a post is
composed, submitted and approved with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from koshiki.posts import services as posts
from koshiki.security import services as security

from ..posts.conftest import CLEAN_POST, PHONE_POST, build_posting_body
from ..security.conftest import SEEDS
from .conftest import axe_violations, describe_violations, sign_in

pytestmark = pytest.mark.browser


@dataclass
class World:
    body: Any
    post: Any
    device: Any


@pytest.fixture
def world(transactional_db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch) -> World:
    """いわき市 with a live account, a submitted post (one with a phone number too) and a device."""
    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)
    body = build_posting_body(system_admin, *SEEDS[0])
    post = posts.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    post = posts.submit(actor=body.operator.user, post=post)
    posts.create_post(actor=body.operator.user, account=body.account, text=PHONE_POST)
    device = security.register_device(
        actor=body.operator.user,
        label="広報課PC-1",
        kind="official",
        os_name="Windows 11",
        os_patched_on=timezone.localdate(),
        antivirus="active",
    )
    return World(body, post, device)


Url = Callable[[World], str]
#: (name, url) of every main page; the 広報主管課長 (organization administrator) looks, except at the login.
PAGES: list[tuple[str, Url]] = [
    ("dashboard", lambda w: "/"),
    ("notifications", lambda w: "/notifications/"),
    ("registry", lambda w: "/accounts/"),
    ("account-detail", lambda w: f"/accounts/{w.body.account.pk}/"),
    ("account-request", lambda w: "/accounts/request/"),
    ("account-security", lambda w: f"/accounts/{w.body.account.pk}/security/"),
    ("posts", lambda w: "/posts/"),
    ("compose", lambda w: "/posts/new/"),
    ("queue", lambda w: "/posts/approvals/"),
    ("calendar", lambda w: "/posts/calendar/"),
    ("post-detail", lambda w: f"/posts/{w.post.pk}/"),
    ("check", lambda w: "/check/"),
    ("security-board", lambda w: "/security/"),
    ("devices", lambda w: "/devices/"),
    ("guideline", lambda w: "/guideline/"),
    ("people", lambda w: "/people/"),
    ("staff-detail", lambda w: f"/people/{w.body.operator.pk}/"),
    ("audit-log", lambda w: "/audit/"),
    ("settings", lambda w: "/settings/"),
    ("ai-review-settings", lambda w: "/settings/ai-review/"),  # issue #14 A
    ("disclosure", lambda w: "/accounts/disclosure/"),
    ("profile-text", lambda w: f"/accounts/{w.body.account.pk}/profile-text/"),
    ("import", lambda w: "/accounts/import/"),
    ("overview", lambda w: "/overview/"),
    ("post-templates", lambda w: "/posts/templates/"),
    ("calendar-week", lambda w: "/posts/calendar/?view=week"),
    ("after-reports", lambda w: "/posts/after/"),
    ("check-feedback", lambda w: "/check-feedback/"),  # issue #14 B
]


@pytest.mark.parametrize("name,url", PAGES, ids=[p[0] for p in PAGES])
def test_axe_finds_no_wcag_violation(
    page: Any, live_server: Any, world: World, axe_script: Any, name: str, url: Url
) -> None:
    sign_in(page, live_server, world.body.seed.admin.user.username)
    page.goto(live_server.url + url(world))
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page, axe_script)
    assert not violations, f"{name}:\n{describe_violations(violations)}"


def test_axe_finds_no_wcag_violation_on_the_login_page(
    page: Any, live_server: Any, transactional_db: Any, axe_script: Any
) -> None:
    page.goto(f"{live_server.url}/login/")
    violations = axe_violations(page, axe_script)
    assert not violations, describe_violations(violations)


# --- helpers: the keyboard only -------------------------------------------------------------------------


def _focused(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            "() => { const e = document.activeElement; return {id: e.id, tag: e.tagName.toLowerCase(), "
            "cls: e.className || '', role: e.getAttribute('role') || '', text: (e.innerText || e.value || '')"
            ".trim().slice(0, 200)}; }"
        )
    )


def _tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector`` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with Tab; focus is on {_focused(page)}")


def _keyboard_sign_in(page: Any, live_server: Any, user: Any) -> None:
    """Login name, password and the second step, typed; the login field has the focus on arrival."""
    import pyotp

    from ..conftest import PASSWORD, totp_code

    page.goto(f"{live_server.url}/login/")
    # the field takes the focus on arrival (autofocus): wait for it, as a keyboard user would, before typing
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.wait_for_load_state()
    if "/two-step/" not in page.url:
        return  # no second step asked of this person
    if "/two-step/setup/" in page.url:
        code = pyotp.TOTP(page.locator("#totp-secret").inner_text().replace(" ", "")).now()
    else:
        code = totp_code(user)
    _tab_to(page, "input[name=code]")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/two-step/" not in url)
    page.wait_for_load_state()


def _assert_focus_on_result(page: Any, text: str) -> None:
    try:
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'messages'")
    except Exception as exc:
        raise AssertionError(f"focus not on the result at {page.url}: {_focused(page)}") from exc
    focused = _focused(page)
    assert text in focused["text"], focused


def test_compose_submit_and_approve_with_the_keyboard_only(page: Any, live_server: Any, world: World) -> None:
    from koshiki.posts.models import Post

    body = world.body
    text = "市民プールは7月1日から開場します。"
    _keyboard_sign_in(page, live_server, body.operator.user)
    page.goto(f"{live_server.url}/posts/new/")
    _tab_to(page, "#id_account")
    page.keyboard.press("ArrowDown")  # the first account: 広報ブルースカイ
    assert page.locator("#id_account").input_value() == str(body.account.pk)
    _tab_to(page, "#post-text")
    page.keyboard.type(text)
    _tab_to(page, "#compose-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    _assert_focus_on_result(page, "保存してチェックしました。")
    assert page.get_by_role("status").filter(has_text="保存してチェックしました。").count() == 1

    _tab_to(page, "#submit-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    _assert_focus_on_result(page, "申請しました。")
    post = Post.objects.get(text=text)

    while post.state == "submitted":
        approver = posts.pending_step(post).waiting_for[0]
        page.context.clear_cookies()
        _keyboard_sign_in(page, live_server, approver.user)
        page.goto(f"{live_server.url}/posts/{post.pk}/")
        _tab_to(page, "#decide-form button[value=approve]")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        _assert_focus_on_result(page, "記録しました")
        post.refresh_from_db()
    assert post.state in ("approved", "scheduled", "publishing", "published"), post.state


# --- item 1: results of actions and refusals take the focus; errors tied to their fields ------------------


def test_a_refused_form_focuses_its_error_summary_linked_to_the_field(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page, live_server, world.body.seed.admin.user.username)
    page.goto(f"{live_server.url}/people/{world.body.operator.pk}/")
    form = page.locator("#personnel-form")
    form.get_by_label("種別").select_option("move")
    form.get_by_label("発令日").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="登録する").click()
    page.wait_for_load_state()
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    link = summary.get_by_role("link", name="異動先")
    field_id = (link.get_attribute("href") or "#")[1:]
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true"
    described = (field.get_attribute("aria-describedby") or "").split()
    assert any("異動先の所属を選んでください。" in page.locator(f"#{d}").inner_text() for d in described)
    link.press("Enter")
    assert _focused(page)["id"] == field_id


def test_a_refusal_is_an_alert_that_takes_the_focus(page: Any, live_server: Any, world: World) -> None:
    from koshiki.posts.models import Post

    sign_in(page, live_server, world.body.operator.user.username)
    blocked = Post.objects.get(text=PHONE_POST)
    page.goto(f"{live_server.url}/posts/{blocked.pk}/")
    page.locator("#submit-form").get_by_role("button", name="申請する").click()
    page.wait_for_load_state()
    _assert_focus_on_result(page, "この投稿を止める問題が見つかりました")
    assert "エラー" in page.get_by_role("alert").filter(has_text="この投稿を止める問題").inner_text()


def test_the_post_textarea_is_tied_to_its_errors_and_counter(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page, live_server, world.body.operator.user.username)
    page.goto(f"{live_server.url}/posts/new/")
    page.evaluate("() => document.getElementById('compose-form').setAttribute('novalidate', '')")
    page.get_by_role("button", name="保存してチェック").click()
    page.wait_for_load_state()
    textarea = page.locator("#post-text")
    assert textarea.get_attribute("aria-invalid") == "true"
    described = (textarea.get_attribute("aria-describedby") or "").split()
    assert "post-count" in described
    assert any(page.locator(f"#{d}.errorlist").count() for d in described), described


# --- item 2: the live check is debounced, waits for IME composition and announces only what changed -------


def _watch_announcements(page: Any) -> None:
    page.evaluate(
        "() => { window.__said = []; const s = document.getElementById('post-check-summary');"
        " new MutationObserver(() => window.__said.push(s.textContent)).observe(s, "
        "{childList: true, characterData: true, subtree: true}); }"
    )


def test_live_check_is_debounced_and_announces_a_summary_once(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page, live_server, world.body.operator.user.username)
    page.goto(f"{live_server.url}/check/")
    page.locator("#post-text[data-ready='1']").wait_for()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/check/api/" in r.url else None)
    typed = "落とし物の連絡は山田花子さん（090-1234-5678）まで"  # 31 characters, a key every 250 ms
    page.locator("#post-text").press_sequentially(typed, delay=250)
    page.locator("#post-preview mark.sev-block").first.wait_for()
    page.wait_for_timeout(600)
    print(f"check requests while typing {len(typed)} characters: {len(requests)}")
    assert len(requests) <= 3, len(requests)
    assert page.locator("#post-findings").get_attribute("aria-live") is None
    assert page.locator("#post-count").get_attribute("aria-live") is None
    live = page.locator("[aria-live]")
    assert live.count() == 1 and live.get_attribute("id") == "post-check-summary"
    _watch_announcements(page)
    summary = page.locator("#post-check-summary").inner_text()
    assert summary.startswith("禁止 ") and "件" in summary

    page.locator("#post-text").fill("市民会館で講演会を開催します。")
    page.wait_for_function(
        "() => document.getElementById('post-check-summary').textContent === '問題は見つかりませんでした。'"
    )
    page.locator("#post-text").press("End")
    page.locator("#post-text").press_sequentially("ぜひ", delay=40)  # still clean: nothing new to say
    page.wait_for_timeout(900)
    said = page.evaluate("() => window.__said")
    assert said.count("問題は見つかりませんでした。") == 1, said
    assert all(a != b for a, b in zip(said, said[1:], strict=False)), said  # never the same twice in a row


def test_live_check_waits_for_ime_composition_to_end(page: Any, live_server: Any, world: World) -> None:
    sign_in(page, live_server, world.body.operator.user.username)
    page.goto(f"{live_server.url}/check/")
    page.locator("#post-text[data-ready='1']").wait_for()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/check/api/" in r.url else None)
    page.evaluate(
        "() => { const t = document.getElementById('post-text');"
        " t.dispatchEvent(new CompositionEvent('compositionstart'));"
        " t.value = 'ぜろきゅうぜろ'; t.dispatchEvent(new InputEvent('input', {isComposing: true})); }"
    )
    page.wait_for_timeout(900)
    assert requests == []  # unconverted kana are never sent
    page.evaluate(
        "() => { const t = document.getElementById('post-text'); t.value = '090-1234-5678';"
        " t.dispatchEvent(new CompositionEvent('compositionend')); }"
    )
    page.wait_for_function("() => document.getElementById('post-text').dataset.checks === '1'")
    assert page.locator("#post-preview mark.sev-block").count() >= 1


def test_the_counter_speaks_only_when_crossing_the_limit(page: Any, live_server: Any, world: World) -> None:
    sign_in(page, live_server, world.body.operator.user.username)
    page.goto(f"{live_server.url}/check/")
    page.locator("#post-text[data-ready='1']").wait_for()
    page.locator("#post-platform").select_option("x")
    page.locator("#post-text").fill("あ" * 139)
    page.wait_for_function("() => document.getElementById('post-check-summary').textContent !== ''")
    assert "上限" not in page.locator("#post-check-summary").inner_text()
    page.locator("#post-text").press("End")
    page.locator("#post-text").press_sequentially("いい", delay=30)
    page.wait_for_function("() => document.getElementById('post-check-summary').textContent.includes('上限')")


# --- item 5: severity in words, also in forced-colours mode ---------------------------------------------


def test_severity_is_told_in_words_in_forced_colours(page: Any, live_server: Any, world: World) -> None:
    page.emulate_media(forced_colors="active")
    sign_in(page, live_server, world.body.operator.user.username)
    page.goto(f"{live_server.url}/check/")
    page.locator("#post-text[data-ready='1']").wait_for()
    page.locator("#post-text").fill(
        "連絡は090-1234-5678へ。詳しくは https://example.com/info をご覧ください。"
    )
    page.locator("#post-preview mark.sev-block").first.wait_for()
    page.locator("#post-preview mark.sev-warn").first.wait_for()
    assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
    block = page.locator("#post-preview .sev-tag-block").first.inner_text()
    warn = page.locator("#post-preview .sev-tag-warn").first.inner_text()
    assert (block, warn) == ("禁止", "注意")
    items = page.locator("#post-findings li")
    assert items.filter(has_text="禁止").count() >= 1 and items.filter(has_text="注意").count() >= 1


# --- item 6: distinct link names on the security board ---------------------------------------------------


def test_security_board_links_have_distinct_names_and_headers(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page, live_server, world.body.seed.admin.user.username)
    page.goto(f"{live_server.url}/security/")
    headers = page.locator("#board thead th").all_inner_texts()
    assert all(h.strip() for h in headers), headers
    links = page.locator("#board tbody a")
    names = [  # the accessible name: the ids in aria-labelledby, in order
        page.evaluate(
            "e => (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)"
            ".map(id => document.getElementById(id).textContent.trim()).join(' ') || e.textContent.trim()",
            links.nth(i).element_handle(),
        )
        for i in range(links.count())
    ]
    assert all(name.startswith("対応する ") for name in names), names
    assert page.get_by_role("link", name=names[0], exact=True).count() == 1
    assert len(names) >= 2 and len(set(names)) == len(names), names
    rows = page.locator("#board tbody tr")
    for i in range(rows.count()):
        level = (rows.nth(i).get_attribute("class") or "").removeprefix("level-")
        assert rows.nth(i).locator(f".level-tag-{level}").inner_text().split()[-1] in ("至急", "注意")


# --- item 7 and 9: labelled read-only text; Japanese content marked lang="ja" in the English UI ------------


def test_read_only_textareas_have_labels(page: Any, live_server: Any, world: World) -> None:
    sign_in(page, live_server, world.body.seed.admin.user.username)
    page.goto(f"{live_server.url}/accounts/disclosure/")
    assert (
        page.get_by_label("CMS に貼り付ける HTML").count() == 1
        or page.locator("#disclosure-html[aria-labelledby]").count() == 1
    )
    page.goto(f"{live_server.url}/accounts/{world.body.account.pk}/profile-text/")
    assert page.get_by_label("アカウントのプロフィール欄に貼り付ける文").get_attribute("readonly") is not None


def test_japanese_content_is_marked_in_the_english_ui(page: Any, live_server: Any, world: World) -> None:
    sign_in(page, live_server, world.body.seed.admin.user.username)
    page.goto(f"{live_server.url}/guideline/")
    page.locator("#lang-select").select_option("en")
    page.get_by_role("button", name="切り替え").click()  # choosing alone does not navigate (3.2.2)
    page.get_by_role("link", name="Audit log").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("header .org").get_attribute("lang") == "ja"
    clauses = page.locator(".clause")
    assert clauses.count() > 0 and clauses.count() == page.locator(".clause[lang=ja]").count()
    page.goto(f"{live_server.url}/posts/{world.post.pk}/")
    assert page.locator("#post-body").get_attribute("lang") == "ja"
