"""The layer contracts in pyproject.toml ([tool.importlinter]) hold, and they have teeth: a domain app that
imports the web layer, or a Django-free module that imports Django, breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=src,
    )


def _copy_of_src(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "koshiki",
        src / "koshiki",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "*.yaml", "data", "templates", "static"),
    )
    return src


def test_the_layer_contracts_hold() -> None:
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        (
            "notify/service.py",
            "from koshiki.web import views",
            "koshiki.notify is not allowed to import koshiki.web",
        ),
        (
            "core/jobs.py",
            "from koshiki.registry import models",
            "koshiki.core is not allowed to import koshiki.registry",
        ),
        (
            "guidelines/rules.py",
            "from koshiki.core import errors",
            "koshiki.guidelines is not allowed to import koshiki.core",
        ),
        ("connectors/tid.py", "import django", "koshiki.connectors is not allowed to import django"),
    ],
)
def test_a_layer_violation_breaks_the_contracts(tmp_path: Path, module: str, line: str, broken: str) -> None:
    src = _copy_of_src(tmp_path)
    target = src / "koshiki" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint(src)
    assert result.returncode != 0
    assert broken in result.stdout
