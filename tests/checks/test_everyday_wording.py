"""Issue #13 item 10: everyday wordings the checker missed, with their near misses.

Each positive is a general form (a role word before a full name, a call to vote for a candidate or
party, a negative verdict on an official's or a party's policy), written several ways; the near misses
are the neutral notices a 広報 office posts every election and every week.
"""

from __future__ import annotations

import pytest

from koshiki.checks import CheckContext, check


def _categories(text: str, context: CheckContext) -> set[str]:
    """Categories found in the live (fast) mode, the one the composer uses."""
    return {f.category for f in check(text, context=context) if f.severity in ("warn", "block")}


def _spans(text: str, context: CheckContext, category: str) -> list[str]:
    return [text[f.start : f.end] for f in check(text, context=context) if f.category == category]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("担当の山田太郎がご案内します。", "山田太郎"),
        ("担当の山田太郎", "山田太郎"),
        ("本件の担当者は佐藤花子です。", "佐藤花子"),
        ("係の鈴木一郎までお気軽にどうぞ。", "鈴木一郎"),
        ("受付担当 高橋美咲（内線123）", "高橋美咲"),
        ("当日は係員の田中健太が会場を案内します。", "田中健太"),
    ],
)
def test_a_full_name_after_a_role_word_is_personal_info(
    text: str, name: str, iwaki_context: CheckContext
) -> None:
    assert name in "".join(_spans(text, iwaki_context, "personal_info"))


@pytest.mark.parametrize(
    "text",
    [
        "担当：広報広聴課",
        "担当の広報広聴課までお問い合わせください。",
        "担当課は市民課です。",
        "担当の内田広之市長が視察しました。",
        "担当は内田広之です。",  # a public official in the body's public list
        "係の者がご案内します。",
    ],
)
def test_role_words_without_a_private_name_are_not_flagged(text: str, iwaki_context: CheckContext) -> None:
    assert "personal_info" not in _categories(text, iwaki_context)


@pytest.mark.parametrize(
    "text",
    [
        "〇〇候補に投票しましょう",
        "山川候補に投票しましょう！",
        "次の選挙では、みらい党に投票してください。",
        "市民改革党へ清き一票をお願いします。",
        "海野候補への投票をお願いいたします。",
        "山川候補者へのご投票をよろしくお願いします。",
        "明日は山川さんに一票を投じましょう。",
    ],
)
def test_a_call_to_vote_for_a_candidate_or_party_is_political(text: str, iwaki_context: CheckContext) -> None:
    assert "political" in _categories(text, iwaki_context)


@pytest.mark.parametrize(
    "text",
    [
        "〇〇市長の政策は最悪です",
        "〇〇市長の政策は最悪です。",
        "山川知事の方針はひどすぎる。",
        "今の市長のやり方は本当にダメですね。",
        "みらい党の公約は論外だと思います。",
        "政権の対応はお粗末です。",
        "市長の政策は税金の無駄です",
        "〇〇議員の発言は許せない。",
        "与党の答弁はひどい",
    ],
)
def test_a_negative_verdict_on_an_officials_or_partys_policy_is_found(
    text: str, iwaki_context: CheckContext
) -> None:
    assert _categories(text, iwaki_context) & {"political", "defamation"}


@pytest.mark.parametrize(
    "text",
    [
        "投票所のご案内",
        "期日前投票ができます。",
        "市長が視察しました。",
        "担当：広報広聴課",
        "7月10日は投票日です。投票に行きましょう！",
        "投票所では、1人の候補者の氏名を書いて投票してください。",
        "比例代表選挙では、政党名を書いて投票してください。",
        "市長の政策説明会を開催します。",
        "市長は、最悪の事態に備えるよう指示しました。",
        "台風の被害は最悪の場合、数千棟に及ぶおそれがあります。",
        "知事の方針により、県立施設は休館です。",
        "候補者の演説会場では、交通規制が行われます。",
        "開票速報は市ホームページでお知らせします。",
        "市長の政策に関するご意見をお寄せください。",
        "市長の判断は妥当です。",
        "市長の発言は市のホームページで公開しています。",
        "地震の被害は最悪です。",
        "各候補者の政策を選挙公報でご確認ください。",
        "担当の者が伺います。",
    ],
)
def test_election_and_official_notices_stay_clean(text: str, iwaki_context: CheckContext) -> None:
    assert _categories(text, iwaki_context) == set()


def test_a_verdict_on_a_named_official_cites_the_profiles_defamation_clause(
    iwaki_context: CheckContext,
) -> None:
    text = "〇〇市長の政策は最悪です"
    findings = [f for f in check(text, context=iwaki_context) if f.category == "defamation"]
    assert findings and findings[0].severity == "block"
    assert any("第5 2(6)" in clause for clause in findings[0].clauses)


def test_a_named_candidate_is_political_not_a_private_name(iwaki_context: CheckContext) -> None:
    """A candidate is named in a public role (選挙公報): the call to vote is the finding, not the name."""
    text = "山田太郎候補に投票しましょう"
    found = {f.category for f in check(text, context=iwaki_context, thorough=True)}
    assert found == {"political"}
