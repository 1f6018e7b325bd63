"""Headless Chromium from Debian's packages, driven by Playwright's Python package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("KOSHIKI_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/ensure-system-packages.sh chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


DOC_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def doc_screenshot(page: Any, name: str) -> Path:
    """A screenshot for docs/screenshots: always under var/screenshots; copied into docs/ only by
    `make screenshots` (KOSHIKI_DOC_SCREENSHOTS=1), so a test run never dirties the checkout."""
    import shutil

    path = screenshot(page, name)
    if os.environ.get("KOSHIKI_DOC_SCREENSHOTS") == "1":
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOC_SCREENSHOTS / f"{name}.png")
    return path


def sign_in(page: Any, live_server: Any, username: str, password: str | None = None) -> None:
    """Password, then the second step when the page asks for it: set-up (reading the key shown) or a code."""
    import pyotp
    from django.contrib.auth import get_user_model

    from ..conftest import PASSWORD, totp_code

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("ログイン名").fill(username)
    page.get_by_label("パスワード").fill(password or PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()
    if "/two-step/setup/" in page.url:
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.get_by_label("コード").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="確認").click()
        page.wait_for_load_state()
    elif "/two-step/" in page.url:
        page.get_by_label("コード").fill(totp_code(get_user_model().objects.get(username=username)))
        page.get_by_role("button", name="確認").click()
        page.wait_for_load_state()


# --- phone width (issue #13 item 9; shared by the phone-width test and the journeys at 390 px) ---

PHONE = {"width": 390, "height": 844}

# The generic check: the page is no wider than the viewport, and no visible text in a table, a toolbar,
# a form or the header is at least 4× taller than wide (the "one character per line" symptom).
LAYOUT_JS = """() => {
  const tall = [];
  const clipped = el => {  // inside a visually hidden (sr-only) box
    for (let a = el; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if ((cs.clip !== 'auto' || cs.clipPath !== 'none') && a.getBoundingClientRect().width <= 2) return true;
    }
    return false;
  };
  const scope = 'table th, table td, table td *, .toolbar, .toolbar *, form, form *, .topbar, .topbar *';
  for (const el of document.querySelectorAll(scope)) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
    if (text.length < 2) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || getComputedStyle(el).visibility === 'hidden' || clipped(el)) continue;
    if (r.height >= 4 * r.width) tall.push(`${el.tagName.toLowerCase()} 「${text.slice(0, 20)}」 `
      + `${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return {width: document.documentElement.scrollWidth, viewport: innerWidth, tall};
}"""


def assert_fits(page: Any, where: str) -> None:
    """The page at ``where`` is no wider than the viewport and squeezes no text (-s prints the width)."""
    found = page.evaluate(LAYOUT_JS)
    print(f"{where}: {found['width']} px in {found['viewport']} px, {len(found['tall'])} squeezed")
    problems = [f"text squeezed: {t}" for t in found["tall"][:8]]
    if found["width"] > found["viewport"]:
        problems.insert(0, f"page is {found['width']} px wide in a {found['viewport']} px viewport")
    assert not problems, f"{where}: " + "; ".join(problems)


@contextmanager
def phone_context(browser: Any, viewport: dict[str, int], **options: Any) -> Iterator[Any]:
    context = browser.new_context(locale="ja-JP", viewport=viewport, **options)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
    finally:
        context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone: 390×844, Japanese, touch."""
    with phone_context(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2) as page:
        yield page


@pytest.fixture
def posting(transactional_db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """いわき市 (seed body) with a live Bluesky account; hours have their own tests."""
    from ..posts.conftest import build_posting_body
    from ..security.conftest import SEEDS

    monkeypatch.setattr("koshiki.posts.services.approval.outside_hours", lambda *args: None)
    return build_posting_body(system_admin, *SEEDS[0])


# --- axe-core (issue #13, accessibility): pinned in a11y/package-lock.json, installed once by `npm ci` ---

A11Y = Path(__file__).resolve().parents[2] / "a11y"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """The path of axe.min.js; `npm ci` in a11y/ the first time (the lock pins the version)."""
    import shutil
    import subprocess

    script = A11Y / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        if not shutil.which("npm"):
            pytest.fail(
                "npm not found: run scripts/ensure-system-packages.sh nodejs (axe-core comes from npm)"
            )
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=A11Y, check=True, timeout=600
        )
    return script


def axe_violations(page: Any, axe_script: Path) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as loaded (id, help, targets)."""
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => ("
        "{id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' '))})))",
        AXE_TAGS,
    )
    return list(result)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} → {v['targets'][:5]}" for v in violations)
