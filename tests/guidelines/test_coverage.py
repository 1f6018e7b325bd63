"""Coverage statuses never overstate what Koshiki enforces."""

from __future__ import annotations

from pathlib import Path

import pytest

from koshiki.guidelines import ProfileError, build_coverage, get_profile, load_profile, parse_profile
from koshiki.guidelines.components import all_components

FIXTURES = Path(__file__).with_name("fixtures")
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")

#: Clauses carried by running code, re-graded by hand for issue #11 (was 50, 33, 21, 60).
HONEST_ENFORCED = {"iwaki": 43, "ashibetsu": 27, "shinshiro": 17, "moriya-council": 57}


def _report(text: str = MINIMAL) -> dict[str, str]:
    return {c.clause: c.status for c in build_coverage(parse_profile(text, "test.yaml")).clauses}


def _with_account_rule(rule: str, clause: str = "3") -> str:
    return MINIMAL.replace(
        "account:\n", f'account:\n  {rule}:\n    clause: "{clause}"\n    quote: 見直す。\n'
    )


def test_clause_read_by_a_built_component_is_enforced() -> None:
    """operating_policy.items is read by the registry when a policy is saved and checked."""
    assert _report()["1(2)"] == "enforced"


def test_clause_cited_only_by_a_role_is_human() -> None:
    """People assign roles and act in them: a role's citation is not code carrying the clause out."""
    assert _report()["1(1)"] == "human"


@pytest.mark.parametrize("field", ["verification", "per_department"])
def test_clause_cited_only_by_an_unread_field_is_recorded(field: str) -> None:
    text = _with_account_rule(field).replace(
        "    handled_by:\n      - kind: human\n"
        "        guidance: 年に一度ガイドラインを読み直してください。\n",
        "",
    )
    assert _report(text)["3"] == "recorded"


def test_clause_read_by_a_built_component_through_account_field_is_enforced() -> None:
    text = _with_account_rule("purpose_required").replace(
        "    handled_by:\n      - kind: human\n"
        "        guidance: 年に一度ガイドラインを読み直してください。\n",
        "",
    )
    assert _report(text)["3"] == "enforced"


def test_clause_carried_by_an_unbuilt_component_is_planned() -> None:
    assert not next(c for c in all_components() if c.id == "koshiki.reminders").available
    text = MINIMAL.replace(
        "account:\n", 'reviews:\n  guideline_review:\n    clause: "3"\n    quote: 見直す。\naccount:\n'
    )
    assert _report(text)["3"] == "planned"


def test_content_rules_are_enforced_by_the_checker() -> None:
    assert _report()["2(1)"] == "enforced"


def test_clause_with_only_guidance_is_human_judgment() -> None:
    assert _report()["3"] == "human"


def test_handled_by_a_built_workflow_is_enforced() -> None:
    text = MINIMAL.replace(
        "      - kind: human\n        guidance: 年に一度ガイドラインを読み直してください。\n",
        "      - kind: workflow\n        ref: registry.close_account.criteria\n",
    )
    assert _report(text)["3"] == "enforced"


def test_dangling_handled_by_ref_is_an_error() -> None:
    text = MINIMAL.replace(
        "      - kind: human\n        guidance: 年に一度ガイドラインを読み直してください。\n",
        "      - kind: workflow\n        ref: registry.no_such_step\n",
    )
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "bad.yaml")
    [issue] = caught.value.issues
    assert "clauses[3].handled_by[0].ref" in str(issue)
    assert "registry.no_such_step" in str(issue)
    assert "registry.close_account.criteria" in str(issue)


def test_carriers_name_the_rule_id_and_component() -> None:
    report = build_coverage(load_profile(FIXTURES / "minimal.yaml"))
    entry = next(c for c in report.clauses if c.clause == "2(1)")
    assert [(c.ref, c.component) for c in entry.carriers] == [
        ("content.rules.personal_info", "koshiki.checks")
    ]


@pytest.mark.parametrize("profile_id", sorted(HONEST_ENFORCED))
def test_seed_profiles_enforced_counts_match_the_hand_regrade(profile_id: str) -> None:
    counts = build_coverage(get_profile(profile_id)).counts()
    assert counts["enforced"] == HONEST_ENFORCED[profile_id]


@pytest.mark.parametrize("profile_id", sorted(HONEST_ENFORCED))
def test_seed_profiles_no_enforced_clause_rests_on_a_role_or_an_unread_field(profile_id: str) -> None:
    for entry in build_coverage(get_profile(profile_id)).clauses:
        if entry.status == "enforced":
            assert any(c.kind in ("rule", "workflow", "reminder") and c.available for c in entry.carriers), (
                entry
            )


@pytest.mark.parametrize(
    "profile_id,clause,status",
    [
        ("iwaki", "第5 1(5)", "recorded"),  # posting.accuracy: nothing reads it
        ("iwaki", "第10", "human"),  # roles.pr_division only
        ("ashibetsu", "第3章 2(3)", "recorded"),  # account.verification
        ("shinshiro", "3(1)", "recorded"),  # account.per_department
        ("moriya-council", "3(1)イ", "human"),  # roles only
        ("iwaki", "第4 3(3)", "recorded"),  # credentials.fallback_policy
    ],
)
def test_seed_profile_clauses_once_overstated(profile_id: str, clause: str, status: str) -> None:
    report = build_coverage(get_profile(profile_id))
    assert next(c.status for c in report.clauses if c.clause == clause) == status
