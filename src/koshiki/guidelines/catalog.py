"""Where profiles live: the ones Koshiki ships, plus folders named in KOSHIKI_PROFILE_DIRS.

A new body's guideline is added by dropping a YAML file into such a folder: no code.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .loader import load_profile
from .schema import Profile

BUILTIN_DIR = Path(__file__).with_name("profiles")


def profile_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("KOSHIKI_PROFILE_DIRS", "").split(os.pathsep) if p]
    return [BUILTIN_DIR, *extra]


def _mtime_ns(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=16)
def _scan(folders: tuple[Path, ...], mtimes: tuple[int, ...]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            found[path.stem] = path
    return found


def profile_paths() -> dict[str, Path]:
    """Profile id (the file's stem) to its file; later folders override earlier ones.

    Pages ask once per row (issue #12: 172 times for one dashboard), so the scan is kept until a folder's
    modification time changes (a file added, removed or renamed there): a stat per folder, not a glob.
    """
    folders = tuple(profile_dirs())
    return dict(_scan(folders, tuple(_mtime_ns(folder) for folder in folders)))


class UnknownProfile(LookupError):
    pass


@lru_cache(maxsize=64)
def _load_cached(path: Path, mtime_ns: int) -> Profile:
    return load_profile(path)


def get_profile(profile_id: str) -> Profile:
    """Load a profile by id; raises UnknownProfile or ProfileError with clear words."""
    paths = profile_paths()
    if profile_id not in paths:
        known = ", ".join(sorted(paths)) or "(なし)"
        raise UnknownProfile(f"プロファイル '{profile_id}' はありません（あるもの: {known}）")
    path = paths[profile_id]
    return _load_cached(path, path.stat().st_mtime_ns)
