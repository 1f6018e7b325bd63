"""A malformed profile gets errors that name the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from koshiki.guidelines import ProfileError, load_profile, parse_profile
from koshiki.guidelines.catalog import UnknownProfile, get_profile

FIXTURES = Path(__file__).with_name("fixtures")
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def _errors(text: str) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "bad.yaml")
    return [str(issue) for issue in caught.value.issues]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_minimal_fixture_is_valid() -> None:
    assert load_profile(FIXTURES / "minimal.yaml").id == "minimal"


def test_unknown_role_in_approval_chain_names_line_and_field() -> None:
    text = MINIMAL.replace(
        "account:\n",
        "approvals:\n  open_account:\n    silent: true\n    steps:\n      - role: mayor\naccount:\n",
    )
    errors = _errors(text)
    assert errors == [
        f"bad.yaml:{_line_of(text, 'role: mayor')}: approvals.open_account.steps[0].role: "
        "未定義の役割 'mayor' です。roles に定義されているのは account_manager です / unknown role"
    ]


def test_bad_severity_names_the_allowed_values() -> None:
    text = MINIMAL.replace("severity: block", "severity: forbidden")
    (error,) = _errors(text)
    assert error.startswith(f"bad.yaml:{_line_of(text, 'severity: forbidden')}: content.rules[0].severity:")
    assert "'block', 'warn' or 'info'" in error


def test_rule_without_clause_or_silent_is_refused() -> None:
    text = MINIMAL.replace('      clause: "2(1)"\n', "")
    (error,) = _errors(text)
    assert "content.rules[0]" in error and "silent: true" in error


def test_citing_a_clause_missing_from_the_index_is_refused() -> None:
    text = MINIMAL.replace('clause: "2(1)"', 'clause: "9(9)"', 1)
    (error,) = _errors(text)
    assert "content.rules[0].clause" in error and "9(9)" in error


def test_misspelled_field_is_reported_as_unknown() -> None:
    text = MINIMAL.replace("  name_en: Test City", "  name_english: Test City")
    errors = _errors(text)
    assert any(e.startswith(f"bad.yaml:{_line_of(text, 'name_english')}: body.name_english:") for e in errors)
    assert any("body.name_en:" in e and "required" in e for e in errors)


def test_broken_yaml_names_its_line() -> None:
    text = MINIMAL.replace("  kind: city", "  kind: [city")
    (error,) = _errors(text)
    assert error.startswith("bad.yaml:") and "(YAML)" in error


def test_unknown_report_target_in_a_playbook_is_refused() -> None:
    text = MINIMAL.replace(
        "clauses:\n",
        "incidents:\n  - kind: takeover\n    title: 乗っ取り\n    silent: true\n    steps:\n"
        "      - action: 報告する\n        silent: true\n        report_to: [fbi]\nclauses:\n",
    )
    (error,) = _errors(text)
    assert "incidents[0].steps[0].report_to[0]" in error and "fbi" in error


def test_a_new_body_is_added_by_a_yaml_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "newtown.yaml").write_text(MINIMAL.replace("id: minimal", "id: newtown"), encoding="utf-8")
    monkeypatch.setenv("KOSHIKI_PROFILE_DIRS", str(tmp_path))
    assert get_profile("newtown").body.name == "試験市"


def test_unknown_profile_id_lists_the_known_ones() -> None:
    with pytest.raises(UnknownProfile, match="iwaki"):
        get_profile("atlantis")


def test_a_self_approval_exception_must_name_an_after_the_fact_exemption() -> None:
    text = MINIMAL.replace(
        "content:\n", "posting:\n  self_approval:\n    silent: true\n    exceptions: [repost]\ncontent:\n", 1
    )
    errors = _errors(text)
    assert errors == [
        f"bad.yaml:{_line_of(text, 'exceptions: [repost]')}: posting.self_approval.exceptions[0]: "
        "事後報告の例外 'repost' は after_the_fact にありません。あるのは emergency です"
        " / unknown after-the-fact exemption"
    ]


def test_by_default_only_the_emergency_notice_goes_out_by_its_author_alone() -> None:
    from koshiki.guidelines.posting import self_publish_exemptions

    profile = parse_profile(MINIMAL, "minimal.yaml")
    assert profile.posting.self_approval.silent and self_publish_exemptions(profile) == ["emergency"]
