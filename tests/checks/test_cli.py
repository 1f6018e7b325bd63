"""`koshiki check`: exit 0 clean, 1 warnings only, 2 when anything blocks; JSON and JSON Lines."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from koshiki.cli import main


def _run(monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["check", "-", *args])


def test_clean_post_exits_0(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(monkeypatch, "図書館の休館日のお知らせです。", "--profile", "iwaki") == 0
    assert "No findings" in capsys.readouterr().out


def test_warning_only_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(monkeypatch, "個人的には楽しみです。", "--profile", "shinshiro") == 1


def test_block_exits_2_and_marks_the_span_with_its_clause(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, "連絡先 090-1234-5678", "--profile", "iwaki") == 2
    out = capsys.readouterr().out
    assert "⟦090-1234-5678⟧1" in out and "「いわき市 第5 2(2)①」" in out


def test_json_output_lists_findings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(monkeypatch, "https://bit.ly/abc", "--profile", "iwaki", "--format", "json")
    (finding,) = json.loads(capsys.readouterr().out)
    assert finding["category"] == "url_shortener" and finding["start"] == 0


def test_own_domain_and_public_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    public = tmp_path / "public.txt"
    public.write_text("市民会館 0246-99-9999\n", encoding="utf-8")
    text = "https://www.example-city.lg.jp/a 会場 0246-99-9999"
    assert (
        _run(
            monkeypatch,
            text,
            "--profile",
            "iwaki",
            "--own-domain",
            "www.example-city.lg.jp",
            "--public",
            str(public),
        )
        == 0
    )


def test_jsonl_writes_one_line_per_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = "\n".join(
        json.dumps(x, ensure_ascii=False)
        for x in [
            {"id": "a", "text": "clean post", "platform": "x"},
            {"id": "b", "text": "携帯 090-1234-5678", "platform": "bluesky"},
        ]
    )
    assert _run(monkeypatch, lines, "--profile", "iwaki", "--jsonl") == 2
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["findings"] == []
    assert out[1]["findings"][0]["category"] == "personal_info" and out[1]["findings"][0]["clauses"]


def test_org_takes_context_from_the_database(
    iwaki: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, "https://city.iwaki.lg.jp/ 山田花子さん", "--org", "072044") == 2
    assert "「いわき市 第5 2(2)①」" in capsys.readouterr().out


def test_unknown_profile_exits_2_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, "x", "--profile", "atlantis") == 2
    assert "atlantis" in capsys.readouterr().err


def test_over_long_input_exits_2_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, "あ" * 1_000_001, "--profile", "iwaki") == 2
    assert "長すぎます" in capsys.readouterr().err
