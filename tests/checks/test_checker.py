"""The checker on the traps the issue names, per category; spans point into the original text."""

from __future__ import annotations

import pytest

from koshiki.checks import CheckContext, CheckInputError, check
from koshiki.guidelines import get_profile


def _found(text: str, context: CheckContext, platform: str = "x") -> list[tuple[str, str]]:
    return [(f.category, text[f.start : f.end]) for f in check(text, context=context, platform=platform)]


@pytest.mark.parametrize(
    "text",
    [
        "デマに注意してください。",
        "パスワードの使い回しに注意しましょう。",
        "投票日のお知らせ：7月10日（日）は市議会議員選挙の投票日です。期日前投票もご利用ください。",
        "〇〇神社の例大祭が開催されます。観光客の皆様もぜひお越しください。",
        "素晴らしい夕日が見られました。",
        "ゴミ収集日が変わります。",
        "いわき市長 内田広之が式典に出席しました。",
        "問い合わせ：いわき市役所 0246-22-1111",
        "詳しくは https://www.city.iwaki.lg.jp/www/index.html をご覧ください。",
        "国の発表は https://www.mhlw.go.jp/ をご覧ください。",
        "シネマ上映会を開催します。",
        "受付番号 12-3456 の方はお越しください。予算額は1,234,567円です。",
    ],
)
def test_clean_look_alikes_are_not_flagged(text: str, iwaki_context: CheckContext) -> None:
    assert _found(text, iwaki_context) == []


def test_full_width_phone_is_found_with_original_offsets(iwaki_context: CheckContext) -> None:
    text = "連絡先は０９０－１２３４－５６７８です"
    assert _found(text, iwaki_context) == [("personal_info", "０９０－１２３４－５６７８")]


def test_kanji_numeral_phone_is_found(iwaki_context: CheckContext) -> None:
    assert ("personal_info", "〇九〇ー一二三四ー五六七八") in _found(
        "電話〇九〇ー一二三四ー五六七八まで", iwaki_context
    )


def test_private_name_with_honorific_is_found(iwaki_context: CheckContext) -> None:
    assert _found("山田花子さんが落とし物を届けてくれました。", iwaki_context) == [
        ("personal_info", "山田花子さん")
    ]


def test_private_email_is_found_but_the_bodys_is_not(iwaki_context: CheckContext) -> None:
    assert _found("taro.yamada@gmail.com まで", iwaki_context) == [("personal_info", "taro.yamada@gmail.com")]
    assert _found("kouhou@city.iwaki.lg.jp まで", iwaki_context) == []


def test_mynumber_needs_its_check_digit(iwaki_context: CheckContext) -> None:
    assert _found("番号 1234 5678 9018", iwaki_context) == [("personal_info", "1234 5678 9018")]
    assert _found("番号 1234 5678 9012", iwaki_context) == []


def test_birth_date_in_wareki_is_found(iwaki_context: CheckContext) -> None:
    assert ("personal_info", "昭和45年3月2日") in _found("申込者の生年月日：昭和45年3月2日", iwaki_context)


def test_an_age_group_is_not_a_birth_date(iwaki_context: CheckContext) -> None:
    assert _found("平成21年4月2日～平成22年4月1日生まれの方が対象です。", iwaki_context) == []


def test_event_date_is_not_a_birth_date(iwaki_context: CheckContext) -> None:
    assert _found("令和7年3月2日に開催します。", iwaki_context) == []


def test_private_address_is_found(iwaki_context: CheckContext) -> None:
    found = _found("自宅は福島県いわき市平字梅本1-2-3です", iwaki_context)
    assert ("personal_info", "福島県いわき市平字梅本1-2-3") in found


def test_url_shortener_is_blocked_with_its_clause(iwaki_context: CheckContext) -> None:
    (finding,) = check("詳しくは https://bit.ly/3abcd", context=iwaki_context)
    assert (finding.category, finding.severity) == ("url_shortener", "block")
    assert finding.clauses[0] == "「いわき市 第4 4(4)」"


def test_bare_shortener_without_scheme_is_found(iwaki_context: CheckContext) -> None:
    assert _found("→ tinyurl.com/abc123", iwaki_context) == [("url_shortener", "tinyurl.com/abc123")]


def test_third_party_link_is_noted(iwaki_context: CheckContext) -> None:
    assert _found("参考 https://example.com/page", iwaki_context) == [
        ("third_party_link", "https://example.com/page")
    ]


def test_punycode_look_alike_is_flagged(iwaki_context: CheckContext) -> None:
    found = _found("https://xn--cty-iwaki-6ya.lg.example/login", iwaki_context)
    assert found and found[0][0] == "third_party_link"


def test_ip_literal_link_is_a_security_risk(iwaki_context: CheckContext) -> None:
    assert _found("http://192.168.10.5/admin", iwaki_context)[0][0] == "security_risk"


@pytest.mark.parametrize(
    "text,category,span",
    [
        ("ば　か じゃないの", "defamation", "ば　か"),
        ("爆◯予告がありました", "illegal", "爆◯"),
        ("ｼﾈ", "defamation", "ｼﾈ"),
        ("あの店は来月閉店するらしいです。", "rumor", "らしいです"),
        ("パスワードは Abc12345 です", "security_risk", "パスワードは Abc12345"),
        ("この計画はまだ未発表ですが、来年度に実施予定です。", "confidential", "未発表"),
        ("個人的には、この政策には反対です。", "personal_opinion", "個人的には"),
    ],
)
def test_violations_are_found(text: str, category: str, span: str, iwaki_context: CheckContext) -> None:
    assert (category, span) in _found(text, iwaki_context)


def test_severity_and_clause_come_from_the_profile() -> None:
    shinshiro = CheckContext.from_profile(get_profile("shinshiro"))
    (finding,) = check("山田花子さん", context=shinshiro)
    assert finding.severity == "block" and finding.clauses == ("「新城市 4(3)」",)


def test_silent_category_uses_koshiki_default_without_clause() -> None:
    context = CheckContext.from_profile(get_profile("shinshiro"))
    findings = check("https://example.com/x", context=context)
    assert findings and all(f.clauses or f.category != "third_party_link" for f in findings)


def test_x_counts_cjk_double_and_urls_as_23(iwaki_context: CheckContext) -> None:
    assert _found("あ" * 140, iwaki_context) == []
    assert _found("あ" * 141, iwaki_context)[0][0] == "platform_limit"
    exactly_280 = "あ" * 128 + " https://www.city.iwaki.lg.jp/" + "a" * 0
    assert _found(exactly_280, iwaki_context, "x") == []
    assert _found(exactly_280 + " ", iwaki_context, "x")[0][0] == "platform_limit"


def test_bluesky_counts_graphemes(iwaki_context: CheckContext) -> None:
    family = "👨‍👩‍👧‍👦"
    assert _found(family * 300, iwaki_context, "bluesky") == []
    assert _found(family * 301, iwaki_context, "bluesky")[0][0] == "platform_limit"


def test_instagram_hashtag_limit(iwaki_context: CheckContext) -> None:
    text = " ".join(f"#tag{i}" for i in range(31))
    assert _found(text, iwaki_context, "instagram")[0][0] == "platform_limit"


def test_unmarked_correction_and_missing_alt_text(iwaki_context: CheckContext) -> None:
    findings = check("開催日は5月3日です。", context=iwaki_context, is_correction=True, alt_texts=[""])
    assert {f.category for f in findings} == {"correction_unmarked", "missing_alt_text"}
    assert check("【訂正】開催日は5月3日です。", context=iwaki_context, is_correction=True) == []


def test_over_long_input_gets_a_clear_error(iwaki_context: CheckContext) -> None:
    with pytest.raises(CheckInputError, match="長すぎます"):
        check("あ" * 1_000_000, context=iwaki_context)


def test_unknown_platform_is_refused(iwaki_context: CheckContext) -> None:
    with pytest.raises(CheckInputError):
        check("test", context=iwaki_context, platform="myspace")


@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01\x1b[31m", "a\ud800b", "👩🏽‍💻👨‍👩‍👧", "\u202eabc\u202c", "\u200b" * 50, "\n" * 1000],
)
def test_odd_input_never_crashes(text: str, iwaki_context: CheckContext) -> None:
    for finding in check(text, context=iwaki_context):
        assert 0 <= finding.start <= finding.end <= len(text)


@pytest.mark.parametrize(
    "profile_id,citation",
    [
        ("iwaki", "「いわき市 第5 2(2)①」"),
        ("moriya-council", "「守谷市議会 "),
        ("ashibetsu", "「芦別市 第1章 5(2)」"),
        ("shinshiro", "「新城市 4(3)」"),
    ],
)
def test_each_seed_profile_blocks_a_private_phone_with_its_own_clause(profile_id: str, citation: str) -> None:
    context = CheckContext.from_profile(get_profile(profile_id))
    (finding,) = check("連絡は 090-1234-5678 まで", context=context)
    assert finding.severity == "block"
    assert finding.clauses[0].startswith(citation)


@pytest.mark.parametrize("profile_id", ["iwaki", "moriya-council", "ashibetsu", "shinshiro"])
def test_each_seed_profile_sets_the_shortener_rule(profile_id: str) -> None:
    profile = get_profile(profile_id)
    (finding,) = check("https://bit.ly/abc", context=CheckContext.from_profile(profile))
    assert finding.severity == profile.content.url_shortener.severity
