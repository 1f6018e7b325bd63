"""What an account's URL and a post's URL look like on each platform (Django-free, mypy --strict).

Why: an Instagram account once took a twitter.com URL and an X post was recorded at an instagram.com URL;
the wrong link went into the body's homepage (issue #13). Every service that stores an account or post URL
asks this module first. It refuses what a person or an attacker could slip past a naive "starts with
https://" test: other schemes (``javascript:``), userinfo (``https://x.com@evil.example``), ports,
backslashes, whitespace and control characters, non-ASCII and punycode hosts (look-alike letters), and
look-alike hosts (``x.com.evil.jp``): a host must be one of the platform's own, exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

MAX_LENGTH = 300
_HOST = re.compile(r"[a-z0-9.-]+")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_SAFE = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no space: nothing hidden, nothing non-ASCII


class UrlRefused(ValueError):
    """The URL is not one this platform uses. ``reason`` is a short code for logs and tests; the product
    side words the message (with ``platform_name`` and ``example``) in the user's language."""

    def __init__(self, reason: str, *, platform_name: str, example: str) -> None:
        super().__init__(f"{reason}: expected {example}")
        self.reason = reason
        self.platform_name = platform_name
        self.example = example


@dataclass(frozen=True)
class Shape:
    """One URL form: a path pattern (full match, group ``handle`` when it names the account) and, where the
    identity sits in the query (``?id=``, ``?v=``), the query parameter that must be present."""

    path: re.Pattern[str]
    query_key: str = ""
    hosts: frozenset[str] = frozenset()  # only these of the platform's hosts (empty: any of them)


@dataclass(frozen=True)
class PlatformRules:
    key: str
    name: str
    hosts: frozenset[str]  # exact host names, lower case; nothing else matches (no suffix matching)
    profile_example: str
    post_example: str
    profiles: tuple[Shape, ...] = ()
    posts: tuple[Shape, ...] = ()
    reserved: frozenset[str] = frozenset()  # first path segments that are site pages, not accounts
    any_host: bool = False  # blogs and "other": any public host name, still https and clean
    handle_case_insensitive: bool = True


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_X_HANDLE = r"(?P<handle>[A-Za-z0-9_]{1,15})"
_IG_HANDLE = r"(?P<handle>[A-Za-z0-9._]{1,30})"
_BSKY_HANDLE = r"(?P<handle>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,62}|did:plc:[a-z2-7]{24}|did:web:[a-z0-9.-]+)"  # noqa: E501

RULES: dict[str, PlatformRules] = {
    rules.key: rules
    for rules in (
        PlatformRules(
            "x",
            "X",
            frozenset(
                {"x.com", "www.x.com", "mobile.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"}
            ),
            "https://x.com/…",
            "https://x.com/…/status/…",
            profiles=(Shape(_p(rf"/{_X_HANDLE}/?")),),
            posts=(
                Shape(_p(rf"/{_X_HANDLE}/status/[0-9]{{1,20}}/?")),
                Shape(_p(r"/i/web/status/[0-9]{1,20}/?")),
            ),
            reserved=frozenset(
                {
                    "home",
                    "i",
                    "intent",
                    "search",
                    "explore",
                    "settings",
                    "share",
                    "hashtag",
                    "messages",
                    "notifications",
                    "login",
                    "logout",
                    "signup",
                    "tos",
                    "privacy",
                    "compose",
                }
            ),
        ),
        PlatformRules(
            "bluesky",
            "Bluesky",
            frozenset({"bsky.app"}),
            "https://bsky.app/profile/…",
            "https://bsky.app/profile/…/post/…",
            profiles=(Shape(_p(rf"/profile/{_BSKY_HANDLE}/?")),),
            posts=(Shape(_p(rf"/profile/{_BSKY_HANDLE}/post/[A-Za-z0-9._:~-]{{1,512}}/?")),),
        ),
        PlatformRules(
            "instagram",
            "Instagram",
            frozenset({"instagram.com", "www.instagram.com"}),
            "https://www.instagram.com/…",
            "https://www.instagram.com/p/…",
            profiles=(Shape(_p(rf"/{_IG_HANDLE}/?")),),
            posts=(Shape(_p(rf"(?:/{_IG_HANDLE})?/(?:p|reel|reels|tv)/[A-Za-z0-9_-]{{5,64}}/?")),),
            reserved=frozenset(
                {"p", "reel", "reels", "tv", "explore", "stories", "accounts", "direct", "about"}
            ),
        ),
        PlatformRules(
            "threads",
            "Threads",
            frozenset({"threads.net", "www.threads.net", "threads.com", "www.threads.com"}),
            "https://www.threads.com/@…",
            "https://www.threads.com/@…/post/…",
            profiles=(Shape(_p(rf"/@{_IG_HANDLE}/?")),),
            posts=(Shape(_p(rf"/@{_IG_HANDLE}/post/[A-Za-z0-9_-]{{5,64}}/?")),),
        ),
        PlatformRules(
            "facebook",
            "Facebook",
            frozenset(
                {
                    "facebook.com",
                    "www.facebook.com",
                    "m.facebook.com",
                    "web.facebook.com",
                    "fb.com",
                    "www.fb.com",
                }
            ),
            "https://www.facebook.com/…",
            "https://www.facebook.com/…/posts/…",
            profiles=(
                Shape(_p(r"/(?P<handle>[A-Za-z0-9.-]{1,80})/?")),
                Shape(_p(r"/profile\.php"), query_key="id"),
                Shape(_p(r"/people/[^/]{1,100}/(?P<handle>[0-9]{1,25})/?")),
            ),
            posts=(
                Shape(
                    _p(r"/(?P<handle>[A-Za-z0-9.-]{1,80})/(?:posts|videos|photos)/[A-Za-z0-9._-]{1,100}/?")
                ),
                Shape(_p(r"/permalink\.php"), query_key="story_fbid"),
                Shape(_p(r"/story\.php"), query_key="story_fbid"),
                Shape(_p(r"/photo(?:\.php)?/?"), query_key="fbid"),
                Shape(_p(r"/watch/?"), query_key="v"),
                Shape(_p(r"/share/[prv]/[A-Za-z0-9]{1,40}/?")),
                Shape(_p(r"/reel/[0-9]{1,25}/?")),
            ),
            reserved=frozenset(
                {
                    "profile.php",
                    "people",
                    "permalink.php",
                    "story.php",
                    "photo",
                    "photo.php",
                    "watch",
                    "share",
                    "reel",
                    "login",
                    "groups",
                    "events",
                    "pages",
                    "home.php",
                    "sharer",
                    "sharer.php",
                    "dialog",
                }
            ),
        ),
        PlatformRules(
            "youtube",
            "YouTube",
            frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}),
            "https://www.youtube.com/@…",
            "https://www.youtube.com/watch?v=…",
            profiles=(
                Shape(
                    _p(r"/@(?P<handle>[A-Za-z0-9._-]{3,30})/?"),
                    hosts=frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"}),
                ),
                Shape(
                    _p(
                        r"/(?:channel/(?P<handle>UC[A-Za-z0-9_-]{22})|c/[A-Za-z0-9._-]{1,100}|user/[A-Za-z0-9._-]{1,100})/?"
                    ),
                    hosts=frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"}),
                ),
            ),
            posts=(
                Shape(
                    _p(r"/watch"),
                    query_key="v",
                    hosts=frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"}),
                ),
                Shape(
                    _p(r"/(?:shorts|live)/[A-Za-z0-9_-]{11}/?"),
                    hosts=frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"}),
                ),
                Shape(
                    _p(r"/post/[A-Za-z0-9_-]{1,60}/?"),
                    hosts=frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"}),
                ),
                Shape(_p(r"/[A-Za-z0-9_-]{11}"), hosts=frozenset({"youtu.be"})),
            ),
            handle_case_insensitive=False,
        ),
        PlatformRules(
            "tiktok",
            "TikTok",
            frozenset({"tiktok.com", "www.tiktok.com"}),
            "https://www.tiktok.com/@…",
            "https://www.tiktok.com/@…/video/…",
            profiles=(Shape(_p(r"/@(?P<handle>[A-Za-z0-9._]{2,24})/?")),),
            posts=(Shape(_p(r"/@(?P<handle>[A-Za-z0-9._]{2,24})/(?:video|photo)/[0-9]{1,25}/?")),),
        ),
        PlatformRules(
            "line",
            "LINE",
            frozenset({"line.me", "page.line.me", "linevoom.line.me", "timeline.line.me"}),
            "https://page.line.me/…",
            "https://linevoom.line.me/post/…",
            profiles=(
                Shape(
                    _p(r"/(?:@|%40)?(?P<handle>[A-Za-z0-9._-]{1,40})/?"), hosts=frozenset({"page.line.me"})
                ),
                Shape(
                    _p(r"/R/ti/p/(?:@|%40)(?P<handle>[A-Za-z0-9._-]{1,40})/?"), hosts=frozenset({"line.me"})
                ),
                Shape(_p(r"/ti/p/(?:@|%40)(?P<handle>[A-Za-z0-9._-]{1,40})/?"), hosts=frozenset({"line.me"})),
            ),
            posts=(
                Shape(_p(r"/post/[0-9]{1,30}/?"), hosts=frozenset({"linevoom.line.me"})),
                Shape(
                    _p(r"/(?:@|%40)?(?P<handle>[A-Za-z0-9._-]{1,40})/[A-Za-z0-9/_-]{1,200}"),
                    hosts=frozenset({"page.line.me"}),
                ),
                Shape(
                    _p(r"/post/[A-Za-z0-9_-]{1,100}/[A-Za-z0-9_-]{1,100}/?"),
                    hosts=frozenset({"timeline.line.me"}),
                ),
            ),
        ),
        PlatformRules(
            "note",
            "note",
            frozenset({"note.com"}),
            "https://note.com/…",
            "https://note.com/…/n/…",
            profiles=(Shape(_p(r"/(?P<handle>[A-Za-z0-9_]{3,16})/?")),),
            posts=(Shape(_p(r"/(?P<handle>[A-Za-z0-9_]{3,16})/n/n[0-9a-f]{6,20}/?")),),
            reserved=frozenset({"n", "hashtag", "search", "login", "signup", "info", "notes", "magazines"}),
        ),
        PlatformRules("blog", "Blog", frozenset(), "https://…", "https://…", any_host=True),
        PlatformRules("other", "Other", frozenset(), "https://…", "https://…", any_host=True),
    )
}


@dataclass(frozen=True)
class CheckedUrl:
    url: str  # as given, stripped of surrounding whitespace
    host: str
    handle: str  # the account's handle when the URL names one, else ""


def rules_for(platform: str) -> PlatformRules:
    """The platform's rules; an unknown platform gets the any-host rules (still https and clean)."""
    return RULES.get(platform) or PlatformRules(
        platform, platform, frozenset(), "https://…", "https://…", any_host=True
    )


def _refuse(reason: str, rules: PlatformRules, example: str) -> UrlRefused:
    return UrlRefused(reason, platform_name=rules.name, example=example)


def _clean_host(netloc: str) -> str | None:
    """The host name if ``netloc`` is a plain DNS name: no userinfo, no port, no IP literal, no IDN."""
    if not netloc or not _HOST.fullmatch(netloc):
        return None  # '@' (userinfo), ':' (port), '[' (IPv6), '%' (encoded) never pass
    labels = netloc.split(".")
    if len(labels) < 2 or any(not _LABEL.fullmatch(label) for label in labels):
        return None  # empty label (x..com, trailing dot), leading/trailing hyphen
    if any(label.startswith("xn--") for label in labels):
        return None  # punycode: look-alike letters
    if labels[-1].isdigit():
        return None  # an IPv4 address
    return netloc


def _split(url: str, rules: PlatformRules, example: str) -> tuple[str, str, str]:
    """(host, path, query) of a clean https URL, or UrlRefused."""
    if not isinstance(url, str) or not url:
        raise _refuse("empty", rules, example)
    if len(url) > MAX_LENGTH:
        raise _refuse("too_long", rules, example)
    if not _SAFE.fullmatch(url):
        raise _refuse("unsafe_characters", rules, example)  # whitespace, control, non-ASCII (IDN, full width)
    if "\\" in url:
        raise _refuse("backslash", rules, example)
    if not url.startswith("https://"):
        raise _refuse("not_https", rules, example)  # javascript:, http:, //host, HTTPS:// (case tricks) too
    parts = urlsplit(url)
    host = _clean_host(parts.netloc.lower())
    if host is None:
        raise _refuse("bad_host", rules, example)
    if not rules.any_host and host not in rules.hosts:
        raise _refuse("wrong_host", rules, example)
    return host, parts.path, parts.query


def _match(
    shapes: tuple[Shape, ...], host: str, path: str, query: str, reserved: frozenset[str]
) -> tuple[bool, str]:
    """The first shape the URL has whose handle is not a site page (``/home``, ``/profile.php``)."""
    for shape in shapes:
        if shape.hosts and host not in shape.hosts:
            continue
        found = shape.path.fullmatch(path)
        if found is None:
            continue
        if shape.query_key:
            values = parse_qs(query).get(shape.query_key, [])
            if not values or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", values[0]):
                continue
            handle = values[0] if shape.query_key == "id" else ""
        else:
            handle = found.groupdict().get("handle") or ""
        if handle.lower() in reserved:
            continue
        return True, handle
    return False, ""


def check_account_url(platform: str, url: str) -> CheckedUrl:
    """The account's profile URL on ``platform``, with the handle it names; UrlRefused otherwise."""
    rules = rules_for(platform)
    url = url.strip() if isinstance(url, str) else url
    host, path, query = _split(url, rules, rules.profile_example)
    if rules.any_host:
        return CheckedUrl(url, host, "")
    ok, handle = _match(rules.profiles, host, path, query, rules.reserved)
    if not ok:
        raise _refuse("not_a_profile", rules, rules.profile_example)
    return CheckedUrl(url, host, handle)


def check_post_url(platform: str, url: str) -> CheckedUrl:
    """A published post's URL on ``platform`` (with the account handle it shows, if any); UrlRefused
    otherwise."""
    rules = rules_for(platform)
    url = url.strip() if isinstance(url, str) else url
    host, path, query = _split(url, rules, rules.post_example)
    if rules.any_host:
        return CheckedUrl(url, host, "")
    ok, handle = _match(rules.posts, host, path, query, rules.reserved)
    if not ok:
        raise _refuse("not_a_post", rules, rules.post_example)
    return CheckedUrl(url, host, handle)


def same_handle(platform: str, a: str, b: str) -> bool:
    """Whether two handles name the same account on ``platform`` (X, Instagram ... ignore case)."""
    a, b = a.strip().lstrip("@"), b.strip().lstrip("@")
    if rules_for(platform).handle_case_insensitive:
        return a.lower() == b.lower()
    return a == b
