"""The four seed profiles: valid, faithful to their text, and complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from koshiki.guidelines import build_coverage, check_quotes, get_profile, iter_rules
from koshiki.guidelines.catalog import BUILTIN_DIR

from ..conftest import SEEDS_DIR

SEEDS = {
    "moriya-council": "000_caddb4b198e7d475.txt",
    "ashibetsu": "001_0a1b85fcda419a91.txt",
    "shinshiro": "003_ac3de1d0d76c8c69.txt",
    "iwaki": "004_5536b3df847376cc.txt",
}


def test_every_seed_has_a_shipped_profile() -> None:
    assert {path.stem for path in BUILTIN_DIR.glob("*.yaml")} == set(SEEDS)


@pytest.mark.parametrize("profile_id", sorted(SEEDS))
def test_profile_id_matches_its_file(profile_id: str) -> None:
    assert get_profile(profile_id).id == profile_id


@pytest.mark.parametrize("profile_id", sorted(SEEDS))
def test_every_quote_stands_in_the_guideline_text(profile_id: str) -> None:
    seed = SEEDS_DIR / SEEDS[profile_id]
    if not seed.exists():
        pytest.skip(f"seed text not found at {seed}")
    issues = check_quotes(get_profile(profile_id), seed.read_text(encoding="utf-8"))
    assert issues == []


@pytest.mark.parametrize("profile_id", sorted(SEEDS))
def test_no_clause_is_left_uncovered(profile_id: str) -> None:
    report = build_coverage(get_profile(profile_id))
    assert [c.clause for c in report.clauses if c.status == "uncovered"] == []


@pytest.mark.parametrize("profile_id", sorted(SEEDS))
def test_every_rule_is_cited_or_marked_silent(profile_id: str) -> None:
    for ref in iter_rules(get_profile(profile_id)):
        assert ref.rule.silent or (ref.rule.clause and ref.rule.quote), ref.rule_id


@pytest.mark.parametrize("profile_id", sorted(SEEDS))
def test_account_manager_role_is_defined(profile_id: str) -> None:
    profile = get_profile(profile_id)
    assert profile.role(profile.account.manager_role).id == "account_manager"


@pytest.mark.parametrize("profile_id", sorted(SEEDS))
def test_a_private_persons_details_block_publication(profile_id: str) -> None:
    rules = {rule.category: rule for rule in get_profile(profile_id).content.rules}
    assert rules["personal_info"].severity == "block"
    assert rules["personal_info"].clause


def test_iwaki_opening_chain_follows_dai4_1_2() -> None:
    workflow = get_profile("iwaki").approvals.open_account
    assert [step.role for step in workflow.steps] == ["info_manager", "policy_director"]
    assert workflow.notify_after == ["ciso"]
    assert workflow.clause == "第4 1(2)"


def test_iwaki_closure_periods_follow_dai4_5_2() -> None:
    closure = get_profile("iwaki").closure
    assert closure.notice_before.days >= 30
    assert closure.keep_notice_after_change.days == 365
    assert closure.keep_notice_after_closure.days == 180
    assert closure.notice_before.clause == "第4 5(2)"


def test_shinshiro_rotates_passwords_every_90_days() -> None:
    rotation = get_profile("shinshiro").credentials.rotation
    assert rotation.max_age_days == 90
    assert rotation.on_staff_change
    assert rotation.clause == "3(7)"


def test_moriya_council_policy_has_fourteen_items() -> None:
    assert len(get_profile("moriya-council").operating_policy.items) == 14


def test_iwaki_after_the_fact_exemptions_are_the_four_of_dai5_1_4() -> None:
    exemptions = get_profile("iwaki").posting.after_the_fact
    assert [e.id for e in exemptions] == ["repost", "established_fact", "law_verbatim", "emergency"]


def test_silent_rules_fall_back_to_documented_defaults() -> None:
    rotation = get_profile("iwaki").credentials.rotation  # いわき市 sets no period
    assert rotation.silent
    assert rotation.max_age_days == 90


def test_citation_carries_the_bodys_name() -> None:
    assert get_profile("iwaki").cite("第5 2(2)①") == "「いわき市 第5 2(2)①」"


def test_shipped_profiles_are_yaml_files_only(tmp_path: Path) -> None:
    assert all(p.suffix == ".yaml" for p in BUILTIN_DIR.iterdir() if p.is_file())


def test_published_json_schema_is_current() -> None:
    from koshiki.guidelines.export_schema import schema_text

    published = Path(__file__).resolve().parents[2] / "docs" / "profile.schema.json"
    assert published.read_text(encoding="utf-8") == schema_text(), "run `make schema`"


def test_silent_chain_defaults_to_the_account_manager() -> None:
    from koshiki.guidelines.workflows import effective_steps

    assert [s.role for s in effective_steps(get_profile("ashibetsu"), "open_account")] == ["account_manager"]
    assert [s.role for s in effective_steps(get_profile("iwaki"), "open_account")] == [
        "info_manager",
        "policy_director",
    ]


def test_a_profile_silent_on_moves_sends_a_moved_approved_post_back_to_approval() -> None:
    """#13 review: an approval is of a text at a time; a profile must opt out explicitly."""
    from koshiki.guidelines.schema import PostApproval

    assert all(get_profile(pid).posting.approval.reapprove_on_reschedule is True for pid in SEEDS)
    assert (
        PostApproval.model_validate(
            {"silent": True, "reapprove_on_reschedule": False}
        ).reapprove_on_reschedule
        is False
    )
