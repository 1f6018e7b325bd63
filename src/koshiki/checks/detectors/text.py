"""Small text helpers and context cues shared by detectors."""

from __future__ import annotations

import re


def window(text: str, position: int, size: int) -> str:
    """``size`` characters after position, or before it when size is negative."""
    if size < 0:
        return text[max(0, position + size) : position]
    return text[position : position + size]


#: Words that mark a public office, facility or contact point near an address or number.
PUBLIC_PLACE_CUE = re.compile(
    r"市役所|町役場|村役場|役場|区役所|県庁|庁舎|支所|出張所|本庁|課|係|室(?![内外])|センター|館|公民館|図書館|体育館|"
    r"会館|ホール|公園|学校|小学校|中学校|高校|保育園|幼稚園|病院|消防|警察|交番|施設|会場|窓口|問い?合わ?せ|"
    r"お問合せ|代表|事務局|事務所|協会|組合|商工会|観光案内所|駅|場所|所在地|避難所|集合|受付|ダイヤル|相談|"
    r"局|署|ホットライン|テレホン|予約|申込|申し込み"
)
#: Words that mark a private person's home or own contact details.
PRIVATE_CUE = re.compile(
    r"自宅|宅(?!地)|さん方|様方|方まで|個人の|携帯|ご本人|本人|私の|僕の|住所は|住所:|実家|お住まい|住んで"
)
