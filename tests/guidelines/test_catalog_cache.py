"""Finding a profile costs no folder scan per call (issue #12 P: pages called it once per row, 172 globs
for one dashboard), yet a file dropped into a profile folder is still found at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from koshiki.guidelines import catalog, get_profile

from .test_loader_errors import MINIMAL


def test_repeated_lookups_do_not_scan_the_folders_again(monkeypatch: pytest.MonkeyPatch) -> None:
    get_profile("iwaki")
    scans = []
    real_glob = Path.glob

    def counting_glob(self: Path, pattern: str) -> object:
        scans.append(self)
        return real_glob(self, pattern)

    monkeypatch.setattr(Path, "glob", counting_glob)
    for _ in range(50):
        get_profile("iwaki")
    assert scans == []


def test_a_file_added_after_a_lookup_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOSHIKI_PROFILE_DIRS", str(tmp_path))
    get_profile("iwaki")
    (tmp_path / "latertown.yaml").write_text(
        MINIMAL.replace("id: minimal", "id: latertown"), encoding="utf-8"
    )
    assert "latertown" in catalog.profile_paths()
    assert get_profile("latertown").body.name == "試験市"
