"""Coverage statuses never overstate what Koshiki enforces."""

from __future__ import annotations

from pathlib import Path

from koshiki.guidelines import build_coverage, load_profile
from koshiki.guidelines.coverage import COMPONENTS

FIXTURES = Path(__file__).with_name("fixtures")


def _status(clause: str) -> str:
    report = build_coverage(load_profile(FIXTURES / "minimal.yaml"))
    return next(c.status for c in report.clauses if c.clause == clause)


def test_clause_carried_by_a_built_component_is_enforced() -> None:
    assert COMPONENTS["roles"].available
    assert _status("1(1)") == "enforced"


def test_clause_carried_by_an_unbuilt_component_is_planned() -> None:
    from koshiki.guidelines import load_profile as load
    from koshiki.guidelines.coverage import build_coverage as build

    assert not COMPONENTS["reviews"].available
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace(
        "account:\n", 'reviews:\n  guideline_review:\n    clause: "3"\n    quote: 見直す。\naccount:\n')
    path = FIXTURES.parent / "_tmp_posting.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        report = build(load(path))
    finally:
        path.unlink()
    assert next(c.status for c in report.clauses if c.clause == "3") == "planned"


def test_content_rules_are_enforced_by_the_checker() -> None:
    assert COMPONENTS["content"].available
    assert _status("2(1)") == "enforced"


def test_clause_with_only_guidance_is_human_judgment() -> None:
    assert _status("3") == "human"


def test_carriers_name_the_rule_id() -> None:
    report = build_coverage(load_profile(FIXTURES / "minimal.yaml"))
    entry = next(c for c in report.clauses if c.clause == "2(1)")
    assert [c.ref for c in entry.carriers] == ["content.rules.personal_info"]
