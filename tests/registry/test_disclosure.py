"""Disclosure texts: clean HTML for the CMS, and profile texts checked against the link rules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.test import Client

from koshiki.registry.disclosure import profile_text, website_html
from koshiki.registry.models import OfficialAccount

from ..conftest import PASSWORD


def _live(body: Any, url: str = "https://x.com/iwaki_bousai") -> OfficialAccount:
    from koshiki.registry.io import import_rows

    import_rows(
        actor=None,
        organization=body.organization,
        source="t",
        rows=[
            {
                "所属コード": "kiki",
                "サービス": "x",
                "アカウント名": "いわき市防災<script>",
                "ID": "iwaki_bousai",
                "URL": url,
                "目的": "防災情報を発信します。",
                "状態": "運用中",
            }
        ],
    )
    return OfficialAccount.objects.get(handle="iwaki_bousai")


def test_homepage_table_is_escaped_and_lists_the_full_url(iwaki: Any) -> None:
    account = _live(iwaki)
    result = website_html(iwaki.organization, (a for a in [account]))  # any iterable, even a generator
    assert "<script>" not in result.text and "&lt;script&gt;" in result.text
    assert '<a href="https://x.com/iwaki_bousai">' in result.text


def test_profile_text_links_the_homepage_in_full(iwaki: Any) -> None:
    account = _live(iwaki)
    result = profile_text(account, "https://city.iwaki.lg.jp/sns/")
    assert result.text.startswith("いわき市の公式アカウントです。")
    assert "https://city.iwaki.lg.jp/sns/" in result.text and result.findings == []


def test_profile_text_with_a_shortened_homepage_link_is_flagged(iwaki: Any) -> None:
    account = _live(iwaki)
    (finding,) = profile_text(account, "https://bit.ly/iwaki").findings
    assert finding.category == "url_shortener" and finding.clauses[0] == "「いわき市 第4 4(4)」"


def test_disclosure_page_shows_the_html(iwaki: Any) -> None:
    _live(iwaki)
    client = Client()
    client.login(request=HttpRequest(), username=iwaki.tanto.user.username, password=PASSWORD)
    body = client.get("/accounts/disclosure/").content.decode()
    assert 'id="disclosure-html"' in body and "https://x.com/iwaki_bousai" in body


def test_homepage_listing_flags_a_shortened_account_url(iwaki: Any) -> None:
    account = _live(iwaki)  # stored before the platform check (the import now refuses it)
    OfficialAccount.objects.filter(pk=account.pk).update(url="https://bit.ly/iwaki-x")
    account.refresh_from_db()
    (finding,) = website_html(iwaki.organization, (a for a in [account])).findings
    assert finding.category == "url_shortener"


def test_an_account_url_of_another_platform_stays_out_of_the_homepage_html(iwaki: Any) -> None:
    """Issue #13: an X account with an instagram.com URL (stored before the platform check)."""
    account = _live(iwaki)
    OfficialAccount.objects.filter(pk=account.pk).update(url="https://www.instagram.com/iwaki_bousai/")
    account.refresh_from_db()
    result = website_html(iwaki.organization, [account])
    assert "instagram.com" not in result.text
    assert result.wrong_urls == [account]


def test_the_bodys_own_registered_account_urls_are_not_called_third_party_links(iwaki: Any) -> None:
    """Issue #13: the body's own x.com account (in its 台帳, URL fitting its platform) is its own link."""
    account = _live(iwaki)
    result = website_html(iwaki.organization, [account])
    assert '<a href="https://x.com/iwaki_bousai">' in result.text
    assert [f.category for f in result.findings] == []
