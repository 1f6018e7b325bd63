"""Accuracy guard: the labelled dev corpus keeps meeting the recall and false-alarm targets.

(Accuracy, not speed: speed is measured by `make bench`.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[2] / "benchmarks" / "eval_checks.py"


def test_dev_corpus_meets_every_target(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("eval_checks", EVAL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missed = module.evaluate("iwaki", verbose=False)
    assert missed == 0, capsys.readouterr().out
