"""Personal data in normalized Japanese text: phones, e-mail, マイナンバー, 〒, addresses, births.

Public contacts (the body's own numbers and addresses, given in the context, or written next
to a public office's name) are not findings; the same formats next to a private person are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import CheckContext
from ..findings import Hit
from ..normalize import Normalized
from .text import PRIVATE_CUE, PUBLIC_PLACE_CUE, window

_NOT_DIGIT_BEFORE = r"(?<![0-9A-Za-z\-+])"
_NOT_DIGIT_AFTER = r"(?![0-9A-Za-z\-])"
_SEP = r"[\-\s]?"
PHONE = re.compile(
    _NOT_DIGIT_BEFORE
    + r"(?:"
    + r"(?:\+81"
    + _SEP
    + r"\(?0?\)?|0)(?:[789]0"
    + _SEP
    + r"\d{4}"
    + _SEP
    + r"\d{4}"  # mobile / IP
    + r"|50"
    + _SEP
    + r"\d{4}"
    + _SEP
    + r"\d{4}"
    + r"|120"
    + _SEP
    + r"\d{3}"
    + _SEP
    + r"\d{3}"  # free dial
    + r"|\d{1,4}"
    + r"(?:[\-\s]|\(|\)|[\-\s]?\()"
    + r"\d{1,4}"
    + r"(?:[\-\s]|\))"
    + r"\d{4})"  # landline
    + r")"
    + _NOT_DIGIT_AFTER
)
SQUEEZED_MOBILE = re.compile(r"(?<![0-9])0[789]0-?\d{4}-?\d{4}(?![0-9])")
MOBILE = re.compile(r"^(?:\+81[\-\s]?\(?0?\)?|0)[789]0")
EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)+"
)
MYNUMBER = re.compile(_NOT_DIGIT_BEFORE + r"\d{4}[\-\s]?\d{4}[\-\s]?\d{4}" + _NOT_DIGIT_AFTER)
POSTAL = re.compile(r"(?:〒\s?|郵便番号[:\s]*)\d{3}-?\d{4}(?!\d)")
_BLOCK_NUMBER = r"(?:\d+|[一二三四五六七八九十]+)"
#: The house-number part of an address; the locality before it is found by looking left.
BLOCK = re.compile(
    _BLOCK_NUMBER + r"丁目(?:" + _BLOCK_NUMBER + r"番地?(?:" + _BLOCK_NUMBER + r"号?)?|\d+(?:-\d+){0,2})?"
    r"|(?<![\d\-])\d+(?:番地?\d+号?|-\d+-\d+|-\d+(?=[^\d\-]|$))"
)
PREFECTURE = re.compile(
    "北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県"
    "|東京都|神奈川県|新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県"
    "|滋賀県|京都府|大阪府|兵庫県|奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県"
    "|香川県|愛媛県|高知県|福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県"
)
_LOCALITY_STOP = re.compile(r"[\s\d、。,()（）「」『』:：【】・/]")
_LOCALITY_MAX = 16
_PARTICLE = re.compile(r".*[はをにでへ]")


def address_start(text: str, block_start: int) -> int:
    """Where the locality before a house number begins: back to a prefecture, or to punctuation."""
    low = max(0, block_start - _LOCALITY_MAX)
    before = text[low:block_start]
    stops = [m.end() for m in _LOCALITY_STOP.finditer(before)]
    start = low + (stops[-1] if stops else 0)
    particle = _PARTICLE.search(text, start, block_start)
    if particle:  # 自宅は中央町1-2-3: the address begins after the particle
        start = particle.end()
    prefecture = PREFECTURE.search(text, start, block_start)
    return prefecture.start() if prefecture else start


_ERA = r"(?:明治|大正|昭和|平成|令和|[MTSHR]\.?)"
DATE = re.compile(
    r"(?:" + _ERA + r"\s?(?:\d{1,2}|元)年\s?\d{1,2}月\s?\d{1,2}日"
    r"|(?:19|20)\d{2}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日"
    r"|(?:19|20)\d{2}[/.\-]\d{1,2}[/.\-]\d{1,2})"
)
BIRTH_CUE = re.compile(r"生年月日|誕生日|生まれ|出生|満\d+歳|\d+歳")
_COHORT = re.compile(r"[～〜~\-]|から|以降|以前")
_COHORT_AFTER = re.compile(
    r"\s?(?:[～〜~\-]|から|まで|以降|以前|生まれの方|生まれの人|生まれ以降|までに生まれ|以前に生まれ)"
)
_DIGIT = re.compile(r"\d")
_ADDRESS_HINT = re.compile(r"丁目|\d番|\d-\d+-\d|\d-\d+(?:[^\d\-]|$)")
_LEADING_PARTICLES = frozenset("はがをにでへともの:：、")
MYNUMBER_CUE = re.compile(r"マイナンバー|個人番号")


def mynumber_is_valid(digits: str) -> bool:
    """The check digit of an individual number (個人番号), per the 総務省令 formula."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = digits[:11]
    total = 0
    for n in range(1, 12):
        p = int(body[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return check == int(digits[11])


_SENTENCE_END = re.compile(r"[。！？!?\n]")
#: Free dial and navi dial numbers belong to organizations: nobody's private line starts so.
BUSINESS_NUMBER = re.compile(r"^(?:\+81[\-\s]?\(?0?\)?|0)(?:120|800|570)")


def _is_public_context(text: str, start: int, end: int) -> bool:
    """A public office's word near the number, in the same sentence, and no private cue there."""
    before = window(text, start, -24)
    ends = list(_SENTENCE_END.finditer(before))
    if ends and ends[-1].end() < len(before):
        before = before[ends[-1].end() :]
    after = window(text, end, 12)
    if PRIVATE_CUE.search(before) or PRIVATE_CUE.search(after):
        return False
    return bool(PUBLIC_PLACE_CUE.search(before) or PUBLIC_PLACE_CUE.search(after))


def _own_email(address: str, context: CheckContext) -> bool:
    domain = address.rsplit("@", 1)[-1].lower()
    if domain.endswith((".lg.jp", ".go.jp")):
        return True
    return any(domain == own or domain.endswith("." + own) for own in context.own_domains)


def find_pii(normalized: Normalized, context: CheckContext) -> Iterator[Hit]:
    view = normalized.norm
    text = view.text
    taken: list[tuple[int, int]] = []

    def hit(start: int, end: int, ja: str, en: str, suggestion_ja: str, suggestion_en: str) -> Hit:
        taken.append((start, end))
        o_start, o_end = view.original_span(start, end)
        return Hit("personal_info", o_start, o_end, ja, en, suggestion_ja, suggestion_en, detector="pii")

    has_digit = _DIGIT.search(text) is not None
    for match in EMAIL.finditer(text) if "@" in text else ():
        if _own_email(match.group(), context) or context.is_public_text(match.group()):
            continue
        yield hit(
            match.start(),
            match.end(),
            "個人のメールアドレスの可能性があります。",
            "This looks like a private e-mail address.",
            "団体の代表アドレスに置き換えてください。",
            "Use the body's official address instead.",
        )

    for match in MYNUMBER.finditer(text) if has_digit else ():
        digits = re.sub(r"\D", "", match.group())
        cue = MYNUMBER_CUE.search(window(text, match.start(), -16))
        if mynumber_is_valid(digits) or cue:
            yield hit(
                match.start(),
                match.end(),
                "マイナンバー（個人番号）の可能性があります。",
                "This looks like an individual number (My Number).",
                "個人番号は絶対に掲載しないでください。",
                "Never publish an individual number.",
            )

    for match in PHONE.finditer(text) if has_digit else ():
        start, end = match.start(), match.end()
        if any(s <= start < e for s, e in taken):
            continue
        digits = re.sub(r"\D", "", match.group())
        if not (10 <= len(digits) <= 12):
            continue
        if context.is_public_number(match.group()):
            continue
        is_mobile = bool(MOBILE.match(match.group()))
        if not is_mobile and (BUSINESS_NUMBER.match(match.group()) or _is_public_context(text, start, end)):
            continue
        yield hit(
            start,
            end,
            "個人の電話番号の可能性があります。",
            "This looks like a private phone number.",
            "公的な問い合わせ先の番号に置き換えてください。",
            "Use the public contact number instead.",
        )

    # Spaced-out or dotted mobile numbers (0 9 0 - ..., 〇九〇・一二三四・...): look in the squeezed view.
    squeezed = normalized.squeezed
    for match in SQUEEZED_MOBILE.finditer(squeezed.text) if has_digit else ():
        o_start, o_end = squeezed.original_span(match.start(), match.end())
        if any(view.original_span(s, e)[0] <= o_start < view.original_span(s, e)[1] for s, e in taken):
            continue
        if context.is_public_number(match.group()):
            continue
        yield Hit(
            "personal_info",
            o_start,
            o_end,
            "個人の電話番号の可能性があります。",
            "This looks like a private phone number.",
            "公的な問い合わせ先の番号に置き換えてください。",
            "Use the public contact number instead.",
            detector="pii",
        )

    for match in POSTAL.finditer(text) if ("〒" in text or "郵便番号" in text) else ():
        if context.is_public_number(match.group()) or _is_public_context(text, match.start(), match.end()):
            continue
        address_from = match.end() + (1 if text[match.end() : match.end() + 1] == " " else 0)
        block = BLOCK.search(text, address_from, address_from + _LOCALITY_MAX + 12)
        end = block.end() if block and address_start(text, block.start()) <= address_from else match.end()
        if context.is_public_text(text[address_from:end]) or _is_public_context(text, match.start(), end):
            continue
        yield hit(
            match.start(),
            end,
            "個人の住所（郵便番号）の可能性があります。",
            "This looks like a private postal address.",
            "個人の住所は掲載しないでください。",
            "Do not publish private addresses.",
        )

    for match in BLOCK.finditer(text) if _ADDRESS_HINT.search(text) else ():
        start, end = address_start(text, match.start()), match.end()
        if start == match.start() and "丁目" not in match.group():
            continue  # a bare 1-2-3 with no place name before it is not an address
        while end - start > 6 and text[start] in _LEADING_PARTICLES:
            start += 1
        if any(s < end and start < e for s, e in taken):
            continue
        if context.is_public_text(text[start:end]) or _is_public_context(text, start, end):
            continue
        if not PRIVATE_CUE.search(window(text, start, -20) + window(text, end, 10)) and not _has_block_detail(
            text[start:end]
        ):
            continue
        yield hit(
            start,
            end,
            "個人の住所の可能性があります。",
            "This looks like a private street address.",
            "個人の住所は掲載しないでください。",
            "Do not publish private addresses.",
        )

    for match in DATE.finditer(text) if has_digit else ():
        before = window(text, match.start(), -14)
        after = window(text, match.end(), 8)
        if _COHORT.search(window(text, match.start(), -3)) or _COHORT_AFTER.match(after):
            continue  # 平成21年4月2日～平成22年4月1日生まれの方: an age group, not a person
        if BIRTH_CUE.search(before) or re.match(r"\s?(?:生まれ|生|出生)", after):
            yield hit(
                match.start(),
                match.end(),
                "生年月日の可能性があります。",
                "This looks like a date of birth.",
                "個人の生年月日は掲載しないでください。",
                "Do not publish dates of birth.",
            )


def _has_block_detail(address: str) -> bool:
    """番地・号 down to the house: 1-2-3 or 2番3号 (a bare 中央1丁目 is an area, not a home)."""
    return bool(re.search(r"\d+-\d+-\d+|番地?\d+号?|\d+番\d+|丁目\d+-\d+|丁目\d+番", address))
