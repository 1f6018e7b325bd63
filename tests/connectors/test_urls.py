"""Account and post URLs checked against their platform (issue #13 item 6): attacker inputs first."""

from __future__ import annotations

import pytest

from koshiki.connectors.urls import RULES, UrlRefused, check_account_url, check_post_url, same_handle

# (platform, url, reason) — every one must be refused.
HOSTILE = [
    ("x", "javascript:alert(1)", "not_https"),
    ("x", "JAVASCRIPT:alert(document.cookie)//https://x.com/a", "not_https"),
    ("x", "data:text/html,<script>alert(1)</script>", "not_https"),
    ("x", "http://x.com/iwaki_city", "not_https"),
    ("x", "HTTPS://x.com/iwaki_city", "not_https"),
    ("x", "//x.com/iwaki_city", "not_https"),
    ("x", "https://x.com@evil.example/iwaki_city", "bad_host"),
    ("x", "https://user:pass@x.com/iwaki_city", "bad_host"),
    ("x", "https://x.com:8443/iwaki_city", "bad_host"),
    ("x", "https://x.com:443/iwaki_city", "bad_host"),
    ("x", "https://x.com\\@evil.example/iwaki_city", "backslash"),
    ("x", "https:\\\\x.com\\iwaki_city", "backslash"),
    ("x", "https://x.com.evil.jp/iwaki_city", "wrong_host"),
    ("x", "https://evilx.com/iwaki_city", "wrong_host"),
    ("x", "https://x.co/iwaki_city", "wrong_host"),
    ("x", "https://twitter.com.evil.example/iwaki_city", "wrong_host"),
    ("x", "https://x.com./iwaki_city", "bad_host"),
    ("x", "https://x..com/iwaki_city", "bad_host"),
    ("x", "https://xn--x-8ya.com/iwaki_city", "bad_host"),
    ("x", "https://х.com/iwaki_city", "unsafe_characters"),  # Cyrillic х
    ("x", "https://ｘ.com/iwaki_city", "unsafe_characters"),  # full-width x (NFKC would make it x)
    ("x", "https://x.com/iwaki\u202ecity", "unsafe_characters"),  # right-to-left override
    ("x", "https://x.com/iwaki city", "unsafe_characters"),
    ("x", "https://x\t.com/iwaki_city", "unsafe_characters"),  # urlsplit would silently drop the tab
    (
        "x",
        "https://x.com/iwaki_city\n/evil",
        "unsafe_characters",
    ),  # a pasted line's ends are stripped, not this
    ("x", "https://x.com%2eevil.example/iwaki_city", "bad_host"),
    ("x", "https://[::1]/iwaki_city", "bad_host"),
    ("x", "https://127.0.0.1/iwaki_city", "bad_host"),
    ("x", "https:///x.com/iwaki_city", "bad_host"),
    ("x", "https://x.com/" + "a" * 400, "too_long"),
    ("x", "", "empty"),
    ("instagram", "https://twitter.com/iwaki_city", "wrong_host"),  # the walkthrough's mistake
    ("instagram", "https://www.instagram.com.evil.jp/iwaki_city", "wrong_host"),
    ("bluesky", "https://bsky.app.evil.example/profile/iwaki.bsky.social", "wrong_host"),
    ("facebook", "https://facebook.com@evil.example/iwaki", "bad_host"),
    ("line", "https://line.me.evil.example/R/ti/p/@iwaki", "wrong_host"),
    ("blog", "javascript:alert(1)", "not_https"),
    ("blog", "https://blog.example.jp@evil.example/", "bad_host"),
    ("other", "http://example.jp/", "not_https"),
]


@pytest.mark.parametrize(("platform", "url", "reason"), HOSTILE)
def test_hostile_account_urls_are_refused(platform: str, url: str, reason: str) -> None:
    with pytest.raises(UrlRefused) as refused:
        check_account_url(platform, url)
    assert refused.value.reason == reason


@pytest.mark.parametrize(("platform", "url", "reason"), HOSTILE)
def test_hostile_post_urls_are_refused(platform: str, url: str, reason: str) -> None:
    with pytest.raises(UrlRefused):
        check_post_url(platform, url)


# (platform, url, reason): the right host, but not an account's page.
NOT_A_PROFILE = [
    ("x", "https://x.com/", "not_a_profile"),
    ("x", "https://x.com/home", "not_a_profile"),
    ("x", "https://x.com/search?q=iwaki", "not_a_profile"),
    ("x", "https://x.com/iwaki_city/status/1234567890", "not_a_profile"),
    ("x", "https://x.com/a_name_far_too_long_for_x", "not_a_profile"),
    ("instagram", "https://www.instagram.com/p/CxYz12345/", "not_a_profile"),
    ("instagram", "https://www.instagram.com/explore/", "not_a_profile"),
    ("bluesky", "https://bsky.app/profile/x", "not_a_profile"),
    ("bluesky", "https://bsky.app/search?q=iwaki", "not_a_profile"),
    ("youtube", "https://youtu.be/dQw4w9WgXcQ", "not_a_profile"),
    ("line", "https://line.me/en/", "not_a_profile"),
    ("note", "https://note.com/hashtag/iwaki", "not_a_profile"),
]


@pytest.mark.parametrize(("platform", "url", "reason"), NOT_A_PROFILE)
def test_pages_that_are_not_a_profile_are_refused(platform: str, url: str, reason: str) -> None:
    with pytest.raises(UrlRefused) as refused:
        check_account_url(platform, url)
    assert refused.value.reason == reason


# (platform, url, handle)
PROFILES = [
    ("x", "https://x.com/iwaki_city", "iwaki_city"),
    ("x", "https://twitter.com/Iwaki_City/", "Iwaki_City"),
    ("x", "https://X.COM/iwaki_city", "iwaki_city"),
    ("x", "https://x.com/iwaki_city?s=20", "iwaki_city"),
    ("bluesky", "https://bsky.app/profile/iwaki.bsky.social", "iwaki.bsky.social"),
    (
        "bluesky",
        "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx",
        "did:plc:abcdefghijklmnopqrstuvwx",
    ),
    ("instagram", "https://www.instagram.com/iwaki.city/", "iwaki.city"),
    ("instagram", "https://instagram.com/iwaki_city?igshid=abc", "iwaki_city"),
    ("threads", "https://www.threads.net/@iwaki_city", "iwaki_city"),
    ("threads", "https://www.threads.com/@iwaki_city", "iwaki_city"),
    ("facebook", "https://www.facebook.com/iwaki.city", "iwaki.city"),
    ("facebook", "https://fb.com/iwaki.city/", "iwaki.city"),
    ("facebook", "https://www.facebook.com/profile.php?id=100064000000000", "100064000000000"),
    ("youtube", "https://www.youtube.com/@iwakicity", "iwakicity"),
    ("youtube", "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "UCabcdefghijklmnopqrstuv"),
    ("tiktok", "https://www.tiktok.com/@iwaki_city", "iwaki_city"),
    ("line", "https://page.line.me/iwakicity", "iwakicity"),
    ("line", "https://line.me/R/ti/p/@iwakicity", "iwakicity"),
    ("line", "https://line.me/R/ti/p/%40iwakicity", "iwakicity"),
    ("note", "https://note.com/iwaki_city", "iwaki_city"),
    ("blog", "https://www.city.iwaki.lg.jp/blog/", ""),
    ("other", "https://example.jp/koho", ""),
]


@pytest.mark.parametrize(("platform", "url", "handle"), PROFILES)
def test_profile_urls_are_accepted_with_their_handle(platform: str, url: str, handle: str) -> None:
    checked = check_account_url(platform, "  " + url + " ")
    assert (checked.url, checked.handle) == (url, handle)


POSTS = [
    ("x", "https://x.com/iwaki_city/status/1790000000000000000"),
    ("x", "https://twitter.com/iwaki_city/status/1790000000000000000?s=20"),
    ("x", "https://x.com/i/web/status/1790000000000000000"),
    ("bluesky", "https://bsky.app/profile/iwaki.bsky.social/post/3kq2abcdxyz2a"),
    ("instagram", "https://www.instagram.com/p/CxYz12345/"),
    ("instagram", "https://www.instagram.com/reel/CxYz12345/"),
    ("threads", "https://www.threads.net/@iwaki_city/post/CxYz12345"),
    ("facebook", "https://www.facebook.com/iwaki.city/posts/pfbid0abc123"),
    ("facebook", "https://www.facebook.com/permalink.php?story_fbid=123&id=456"),
    ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("youtube", "https://youtu.be/dQw4w9WgXcQ"),
    ("youtube", "https://www.youtube.com/shorts/dQw4w9WgXcQ"),
    ("tiktok", "https://www.tiktok.com/@iwaki_city/video/7300000000000000000"),
    ("line", "https://linevoom.line.me/post/1169000000000000000"),
    ("note", "https://note.com/iwaki_city/n/n0123456789ab"),
    ("blog", "https://www.city.iwaki.lg.jp/blog/2026/11/30.html"),
]


@pytest.mark.parametrize(("platform", "url"), POSTS)
def test_post_urls_are_accepted(platform: str, url: str) -> None:
    assert check_post_url(platform, url).url == url


def test_a_post_url_on_another_platform_is_refused_with_what_is_expected() -> None:
    """The walkthrough: an X post recorded at an instagram.com URL."""
    with pytest.raises(UrlRefused) as refused:
        check_post_url("x", "https://www.instagram.com/p/CxYz12345/")
    assert refused.value.reason == "wrong_host"
    assert (refused.value.platform_name, refused.value.example) == ("X", "https://x.com/…/status/…")


def test_a_profile_url_is_not_a_post() -> None:
    with pytest.raises(UrlRefused) as refused:
        check_post_url("x", "https://x.com/iwaki_city")
    assert refused.value.reason == "not_a_post"


def test_every_platform_of_the_registry_has_rules() -> None:
    from koshiki.registry.models import Platform  # noqa: PLC0415 (the Django side, only to compare)

    assert set(Platform.values) <= set(RULES)


@pytest.mark.parametrize(
    ("platform", "a", "b", "same"),
    [
        ("x", "Iwaki_City", "@iwaki_city", True),
        ("x", "iwaki_city", "iwaki_city2", False),
        ("youtube", "IwakiCity", "iwakicity", False),
    ],
)
def test_same_handle(platform: str, a: str, b: str, same: bool) -> None:
    assert same_handle(platform, a, b) is same
