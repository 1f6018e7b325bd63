"""`koshiki guideline validate|show|coverage`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from koshiki.cli import main
from koshiki.guidelines import build_coverage, get_profile

FIXTURES = Path(__file__).with_name("fixtures")


def test_validate_ok_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guideline", "validate", str(FIXTURES / "minimal.yaml")]) == 0
    assert "OK" in capsys.readouterr().out


def test_validate_checks_quotes_against_the_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "text.txt"
    source.write_text("全く別のガイドライン", encoding="utf-8")
    assert main(["guideline", "validate", str(FIXTURES / "minimal.yaml"), "--source", str(source)]) == 1
    assert "quote not in the text" in capsys.readouterr().err


def test_validate_malformed_exits_1_with_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("kind: city", "kind: metropolis")
    )
    assert main(["guideline", "validate", str(bad)]) == 1
    assert f"{bad}:6: body.kind:" in capsys.readouterr().err


def test_show_prints_rules_with_citations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guideline", "show", "iwaki"]) == 0
    out = capsys.readouterr().out
    assert "approvals.open_account" in out and "「いわき市 第4 1(2)」" in out


@pytest.mark.parametrize("profile_id", ["iwaki", "moriya-council", "ashibetsu", "shinshiro"])
def test_coverage_text_lists_every_clause(profile_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guideline", "coverage", profile_id]) == 0
    out = capsys.readouterr().out
    for entry in get_profile(profile_id).clauses:
        assert get_profile(profile_id).cite(entry.clause) in out


def test_coverage_json_counts_match_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guideline", "coverage", "iwaki", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    report = build_coverage(get_profile("iwaki"))
    assert data["total"] == len(report.clauses)
    assert data["counts"] == report.counts()
    assert sum(data["counts"].values()) == data["total"]


def test_unknown_profile_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guideline", "coverage", "atlantis"]) == 1
    assert "atlantis" in capsys.readouterr().err


def test_profiles_doc_lists_the_fields_as_the_component_registry_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """docs/PROFILES.md's table of acted-on and recorded fields is the output of
    `guideline fields --format md`."""
    assert main(["guideline", "fields", "--format", "md"]) == 0
    table = capsys.readouterr().out
    doc = (Path(__file__).resolve().parents[2] / "docs" / "PROFILES.md").read_text(encoding="utf-8")
    assert doc.split("<!-- fields:start -->\n")[1].split("<!-- fields:end -->")[0] == table
    assert "| `posting.accuracy` | recorded | — |" in table
    assert "| `content.rules` | acted on | koshiki.checks (投稿前チェック) |" in table
