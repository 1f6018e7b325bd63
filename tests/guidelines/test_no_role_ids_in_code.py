"""No role id of a profile is written in Python: permissions come from the
profile (kind / may), so a body whose
guideline names its roles differently loses nothing. The one exception is the
defaults table, which is keyed by
role *kind*, and kinds are deliberately not role ids."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import koshiki
from koshiki.guidelines.catalog import BUILTIN_DIR
from koshiki.guidelines.permissions import DEFAULT_CAPABILITIES

SRC = Path(koshiki.__file__).parent
FIXTURES = Path(__file__).with_name("fixtures")
#: Where a role id may appear: nowhere but the defaults table (which holds kinds, checked below).
ALLOWED = {SRC / "guidelines" / "permissions.py"}


def known_role_ids() -> set[str]:
    ids: set[str] = set()
    for path in [*BUILTIN_DIR.glob("*.yaml"), *FIXTURES.glob("*.yaml")]:
        ids |= {role["id"] for role in yaml.safe_load(path.read_text(encoding="utf-8"))["roles"]}
    return ids


def test_the_shipped_profiles_name_the_usual_role_ids() -> None:
    assert {"account_manager", "operator", "ciso", "pr_division", "tantosha"} <= known_role_ids()


def test_no_role_id_is_written_in_python() -> None:
    ids = "|".join(sorted(map(re.escape, known_role_ids())))
    pattern = re.compile(rf"""["']({ids})["']""")
    found = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if path not in ALLOWED and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def test_the_defaults_table_is_keyed_by_kinds_that_are_not_role_ids() -> None:
    assert not set(DEFAULT_CAPABILITIES) & known_role_ids()
