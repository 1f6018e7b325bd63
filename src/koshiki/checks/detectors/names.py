"""Private persons' names, from Sudachi's 人名 tags plus honorifics and context.

A name counts when it is a full name (姓+名) or carries an honorific (さん, 様, 氏...),
unless it is in the body's public list or is followed by an official title (市長, 議長...):
officials in their public role are fine to name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import CheckContext
from ..findings import Hit
from ..morph import Token
from ..normalize import Normalized

HONORIFICS = frozenset({"さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿", "先生"})
OFFICIAL_TITLES = re.compile(
    r"^(?:副?(?:市長|町長|村長|区長|知事|議長)|議員|委員長|委員|教育長|部長|局長|次長|課長|係長|室長|所長|館長|"
    r"園長|校長|署長|センター長|会長|理事長|大臣|副大臣|政務官|市議|県議|参事|主幹|主査|主任|主事|選手|監督|"
    r"名誉市民|候補者?(?![地日])|氏(?:が|は)?(?:就任|講演))"
)
#: The fast pass: where a private person's name may stand. Only these sentences go to Sudachi.
NAME_CUE = re.compile(
    r"(?<![皆客方])(?:さん|様|さま|氏|君|くん|ちゃん|殿)|氏名|名前|申込者|届出人|連絡者|受賞者|代表者|世話人|"
    r"(?:担当者?|(?<![関連])係員?)(?:[:：は]|の(?!方|者|皆)|[ 　])|"
    r"[\u4e00-\u9fff々]{2,4}[ 　]?[\u4e00-\u9fff々]{1,3}[ 　]*(?:[(（]\d{1,3}[)）]|\d{1,3}歳)|在住の"
)
NAME_LABEL = re.compile(
    r"(?:氏名|お名前|名前|申込者|届出人|連絡者|担当者?|(?<![関連])係員?)(?:[:：\s]*|[のは])$"
)


def _adjacent(tokens: list[Token], i: int, j: int, text: str) -> bool:
    """Token j follows token i directly or after one space (宮下 沙織 さん)."""
    gap = text[tokens[i].end : tokens[j].start]
    return gap == "" or (len(gap) == 1 and gap in " 　")


def _group_names(tokens: list[Token], text: str = "") -> Iterator[tuple[int, int, int]]:
    """Runs of person-name tokens as (first token index, last+1, number of tokens)."""
    real = [k for k, t in enumerate(tokens) if t.surface.strip()]
    position = 0
    while position < len(real):
        i = real[position]
        if tokens[i].is_person_name:
            end = position + 1
            while (
                end < len(real)
                and tokens[real[end]].is_person_name
                and _adjacent(tokens, real[end - 1], real[end], text)
            ):
                end += 1
            # A name Sudachi splits oddly (岡本+蒼): one short kanji token right before an honorific.
            if (
                end < len(real) - 1
                and _KANJI.match(tokens[real[end]].surface)
                and len(tokens[real[end]].surface) <= 2
                and tokens[real[end + 1]].surface in HONORIFICS
                and _adjacent(tokens, real[end - 1], real[end], text)
            ):
                end += 1
            yield i, real[end - 1] + 1, end - position
            position = end
        else:
            position += 1


_KANJI = re.compile(r"^[\u4e00-\u9fff々]{1,3}$")
_KANJI_NAME = re.compile(r"^[\u4e00-\u9fff々]{3,6}$")  # 徳川家康: a full name Sudachi keeps whole


def _surname_before(tokens: list[Token], i: int) -> bool:
    """A given name right after a short kanji proper noun (佐多+稲子): a family
    name Sudachi tagged as a place."""
    if i == 0 or not tokens[i].is_given_name:
        return False
    before = tokens[i - 1]
    return (
        before.end == tokens[i].start and before.pos[1] == "固有名詞" and bool(_KANJI.match(before.surface))
    )


def _proper_noun_before_honorific(tokens: list[Token]) -> Iterator[tuple[int, int, int]]:
    """佐多様, 小野寺さん: kanji proper nouns (often a surname Sudachi calls a place) + honorific."""
    for k, token in enumerate(tokens):
        if token.surface not in HONORIFICS or token.surface == "先生" or k == 0:
            continue
        i = k
        # 岡本(地名)+蒼+さん: a given name Sudachi does not know, after a proper noun
        if (
            k >= 2
            and _KANJI.match(tokens[k - 1].surface)
            and len(tokens[k - 1].surface) <= 2
            and tokens[k - 2].pos[1] == "固有名詞"
            and tokens[k - 1].pos[1] != "固有名詞"
            and _KANJI.match(tokens[k - 2].surface)
            and tokens[k - 2].end == tokens[k - 1].start
        ):
            i = k - 1
        while i > 0 and k - i < 2:
            before = tokens[i - 1]
            if (
                before.end != tokens[i].start
                or before.pos[1] != "固有名詞"
                or not _KANJI.match(before.surface)
            ):
                break
            i -= 1
        if i < k and not any(t.is_person_name for t in tokens[i:k]):
            yield i, k, k - i


_KANA_CHILD = re.compile(
    r"(?<=[（(「\s　、])([ぁ-ゖァ-ヺー]{2,6}[ 　]?[ぁ-ゖァ-ヺー]{2,6})"
    r"[ 　]?(?:くん|ちゃん|さん)(?=[・、）)\s　]|\d)"
)


def _name_hit(normalized: Normalized, start: int, end: int) -> Hit:
    o_start, o_end = normalized.norm.original_span(start, end)
    return Hit(
        "personal_info",
        o_start,
        o_end,
        "個人の氏名の可能性があります。",
        "This looks like a private person's name.",
        "本人の同意と必要性を確認し、不要なら削除してください。",
        "Check consent and need; remove the name if it is not needed.",
        detector="names",
    )


def find_names(normalized: Normalized, tokens: list[Token], context: CheckContext) -> Iterator[Hit]:
    text = normalized.norm.text
    # たなか ゆうと くん: names in kana (children, lost-child notices), which Sudachi does not tag.
    for match in _KANA_CHILD.finditer(text):
        if not context.is_public_text(match.group(1)):
            yield _name_hit(normalized, match.start(1), match.end(1))
    for i, j, count in [*_group_names(tokens, text), *_proper_noun_before_honorific(tokens)]:
        if _surname_before(tokens, i):
            i, count = i - 1, count + 1
        run = tokens[i:j]
        start, end = run[0].start, run[-1].end
        name = text[start:end]
        following = text[end : end + 8]
        following_tokens = [t for t in tokens[j : j + 2] if t.surface.strip()]
        nxt = following_tokens[0] if following_tokens else None
        honorific = nxt is not None and nxt.surface in HONORIFICS and nxt.start - end <= 1
        full_name = (
            (any(t.is_surname for t in run) and any(t.is_given_name for t in run) and count >= 2)
            or (count == 1 and run[0].pos[3] == "一般" and bool(_KANJI_NAME.match(run[0].surface)))
            or (count >= 2 and run[0].pos[1] == "固有名詞" and run[-1].is_given_name)
        )
        labelled = bool(NAME_LABEL.search(text[max(0, start - 8) : start]))
        if not (honorific or full_name or labelled):
            continue
        if OFFICIAL_TITLES.match(following.lstrip()) or context.is_public_text(name):
            continue
        if honorific and nxt is not None and nxt.surface == "先生":
            continue  # teachers and doctors named in their role
        yield _name_hit(normalized, start, nxt.end if honorific and nxt is not None else end)
