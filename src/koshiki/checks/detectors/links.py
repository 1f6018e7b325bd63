"""Links: shorteners, third parties, look-alike domains, IP literals; and quoted third-party posts.

Domains are judged with the Public Suffix List shipped inside the publicsuffixlist package
(offline). Public bodies' domains (.lg.jp, .go.jp, and 地域型 city./town./pref. names) and the
body's own domains are fine to link.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..context import CheckContext
from ..findings import Hit
from ..normalize import Normalized

URL = re.compile(
    r"(?:(?P<scheme>https?)://(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s/?#<>\"'「」『』（）()、。，,:]+)(?::\d+)?"
    r"|(?<![@\w.\-])(?P<bare>(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})"
    r"(?=[/\s]|$|[^\x00-\x7f]))"
    r"(?P<path>/[^\s<>\"'「」『』（）()、。]*)?"
)
QUOTE = re.compile(
    r"【引用】|[^\s。、]{1,20}(?:さん|様)?の(?:投稿|ポスト|ツイート)より|(?:^|\s)(?:RT|QT)\s?@\w+"
    r"|@\w{1,15}\s?(?:さん|様|氏)?の(?:投稿|ポスト|ツイート)|(?:投稿|ポスト|ツイート)を(?:引用|シェア|リポスト)"
    r"|引用(?:リポスト|RT)|リポストします"
)
_PREFECTURES = (
    "hokkaido|aomori|iwate|miyagi|akita|yamagata|fukushima|ibaraki|tochigi|gunma|saitama|chiba|tokyo"
    "|kanagawa|niigata|toyama|ishikawa|fukui|yamanashi|nagano|gifu|shizuoka|aichi|mie|shiga|kyoto"
    "|osaka|hyogo|nara|wakayama|tottori|shimane|okayama|hiroshima|yamaguchi|tokushima|kagawa|ehime"
    "|kochi|fukuoka|saga|nagasaki|kumamoto|oita|miyazaki|kagoshima|okinawa"
)
#: Public bodies' domains: .lg.jp and .go.jp, and 地域型 names, which carry a prefecture label
#: (city.ashibetsu.hokkaido.jp, pref.aichi.jp); city.example.jp is a general-use name anyone can take.
PUBLIC_PATTERN = re.compile(
    r"(?:^|\.)(?:lg|go)\.jp$|(?:^|\.)(?:city|town|vill)\.[a-z\-]+\.(?:" + _PREFECTURES + r")\.jp$"
    r"|(?:^|\.)pref\.(?:" + _PREFECTURES + r")\.jp$|(?:^|\.)metro\.tokyo\.jp$"
)
_QUOTE_HINT = re.compile(r"投稿|ポスト|ツイート|RT|QT|引用|リポスト")
_PUBLIC_SOURCE = re.compile(r"市|町|村|県|都|府|消防|警察|役所|役場|庁|省|気象台|自衛隊")


@lru_cache(maxsize=1)
def shorteners() -> frozenset[str]:
    text = resources.files("koshiki.checks").joinpath("data/shorteners.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _psl() -> object:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    host: str
    scheme: str


def _skeleton(host: str) -> str:
    """Fold look-alike characters so that xn--/Unicode spoofs compare equal to the real name."""
    folded = unicodedata.normalize("NFKC", host).lower()
    table = str.maketrans(
        {
            "а": "a",
            "е": "e",
            "о": "o",
            "р": "p",
            "с": "c",
            "у": "y",
            "х": "x",
            "і": "i",
            "ј": "j",
            "ѕ": "s",
            "ԁ": "d",
            "ɡ": "g",
            "ⅼ": "l",
            "ı": "i",
            "0": "o",
            "1": "l",
        }
    )
    return folded.translate(table)


def _decode(host: str) -> str:
    try:
        return host.encode("ascii").decode("idna") if "xn--" in host else host
    except UnicodeError:
        return host


def find_links(text: str) -> Iterator[Link]:
    psl = _psl()
    for match in URL.finditer(text):
        host = (match.group("host") or match.group("bare") or "").lower().rstrip(".")
        scheme = match.group("scheme") or ""
        if match.group("bare"):
            has_path = bool(match.group("path"))
            if not (has_path or host.startswith("www.")) and host not in shorteners():
                continue
            if psl.publicsuffix(host) is None or psl.privatesuffix(host) is None:  # type: ignore[attr-defined]
                continue
        end = match.end()
        while end > match.start() and text[end - 1] in ".,!?！？":
            end -= 1
        yield Link(match.start(), end, host, scheme)


def _is_own(host: str, context: CheckContext) -> bool:
    return any(host == own or host.endswith("." + own) for own in context.own_domains)


def _looks_like_trusted(host: str, context: CheckContext) -> bool:
    """A spoof: folds to an official name, or is an official name with '.lg' dropped or used as a prefix."""
    skeleton = _skeleton(_decode(host))
    for own in context.own_domains:
        own_skeleton = _skeleton(own)
        without_lg = own_skeleton.replace(".lg.jp", ".jp")
        if skeleton in (own_skeleton, without_lg) or skeleton.endswith(
            ("." + own_skeleton, "." + without_lg)
        ):
            return True
        if skeleton.startswith(own_skeleton + "."):  # city.x.lg.jp.evil.example
            return True
    return bool(PUBLIC_PATTERN.search(skeleton))


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def find_link_hits(normalized: Normalized, context: CheckContext) -> Iterator[Hit]:
    view = normalized.norm
    for link in find_links(view.text):
        start, end = view.original_span(link.start, link.end)
        host = link.host
        if _ip_literal(host):
            yield Hit(
                "security_risk",
                start,
                end,
                "IPアドレスを直接示すリンクはシステムの情報を明かします。",
                "A link to a bare IP address reveals system details.",
                detector="links",
            )
            continue
        if host in shorteners():
            yield Hit(
                "url_shortener",
                start,
                end,
                "短縮URLは使わず、本来のURLを全て表示してください。",
                "Do not use shortened links; show the full original URL.",
                "リンク先の本来のURLに置き換えてください。",
                "Replace it with the full target URL.",
                detector="links",
            )
            continue
        if _is_own(host, context) or PUBLIC_PATTERN.search(host):
            continue
        if ("xn--" in host or not host.isascii()) or _looks_like_trusted(host, context):
            yield Hit(
                "third_party_link",
                start,
                end,
                "自団体や公的機関のドメインに似せた別のドメインです（なりすましの恐れ）。",
                "This domain imitates an official one (possible impersonation).",
                severity=None,
                detector="links",
            )
            continue
        yield Hit(
            "third_party_link",
            start,
            end,
            "第三者のサイトへのリンクです。内容を信頼できるものとして受け取られることを考慮してください。",
            "A link to a third-party site: readers may take it as endorsed.",
            "公的機関や自団体のページで代えられないか確認してください。",
            "Check whether an official page can be linked instead.",
            detector="links",
        )
    for match in QUOTE.finditer(view.text) if _QUOTE_HINT.search(view.text) else ():
        if _PUBLIC_SOURCE.search(match.group()):
            continue  # quoting the body's own fire department or another public body is fine
        start, end = view.original_span(match.start(), match.end())
        yield Hit(
            "third_party_link",
            start,
            end,
            "第三者の投稿の引用・共有です。",
            "Quoting or sharing a third party's post.",
            detector="links",
        )
