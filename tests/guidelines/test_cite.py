"""One way to cite a rule: its clause, or nothing (or a stated default label)
where the guideline is silent."""

from __future__ import annotations

from pathlib import Path

from koshiki.guidelines import citations, cite, load_profile
from koshiki.guidelines.schema import Cited, Role

FIXTURES = Path(__file__).with_name("fixtures")
PROFILE = load_profile(FIXTURES / "minimal.yaml")
PREFIX = PROFILE.guideline.citation_prefix


def test_a_cited_rule_gives_the_body_and_clause() -> None:
    rule = Cited(clause="2(1)", quote="定める。")
    assert cite(PROFILE, rule) == f"「{PREFIX} 2(1)」"


def test_a_silent_rule_is_never_cited_even_with_a_clause() -> None:
    rule = Cited(silent=True, clause="2(1)")
    assert cite(PROFILE, rule) == ""


def test_a_silent_rule_gives_the_documented_default_label_when_asked() -> None:
    assert cite(PROFILE, Cited(silent=True), default="（既定値）") == "（既定値）"
    assert cite(PROFILE, None, default="（既定値）") == "（既定値）"


def test_subclasses_such_as_roles_are_cited_the_same_way() -> None:
    role = Role(
        id="r", name="課長", name_en="Section chief", scope="organization", silent=True, clause="1(1)"
    )
    assert cite(PROFILE, role) == ""


def test_citations_list_the_main_clause_then_the_others_and_none_when_silent() -> None:
    rule = Cited(clause="2(1)", quote="定める。", also=["3"])
    assert citations(PROFILE, rule) == (f"「{PREFIX} 2(1)」", f"「{PREFIX} 3」")
    assert citations(PROFILE, Cited(silent=True, clause="2(1)", also=["3"])) == ()
