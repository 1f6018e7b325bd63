"""Finding a profile costs no folder scan per call (issue #12 P: pages called it once per row, 172 globs
for one dashboard), yet a file dropped into a profile folder is still found at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from koshiki.guidelines import build_coverage, catalog, get_profile

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


def test_the_dashboard_counts_are_worked_out_once_per_profile() -> None:
    """The dashboard shows a profile's clause counts on every request: one report per loaded profile."""
    from koshiki.guidelines.coverage import coverage_of

    profile = get_profile("iwaki")
    first = coverage_of(profile)
    assert coverage_of(profile) is first
    assert first.counts() == build_coverage(profile).counts()
    assert coverage_of(get_profile("shinshiro")) is not first


def test_a_component_registered_later_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    from koshiki.guidelines import components
    from koshiki.guidelines.coverage import coverage_of

    profile = get_profile("iwaki")
    before = coverage_of(profile)
    monkeypatch.setattr(components, "_registered", [*components._registered])
    components.register(components.Component("koshiki.test", "試験", "A test component.", reads=("reviews",)))
    assert coverage_of(profile) is not before
