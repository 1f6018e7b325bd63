"""Row locks lock only the rows they change (issue #12).

``select_for_update()`` over a ``select_related`` join locks every joined row FOR UPDATE: the
organization row too, which blocks every other writer's foreign-key check on it (KEY SHARE) and, with
the audit chain head taken in between, deadlocked writers in one body. Every lock in src/koshiki names
``of=("self",)`` and takes FOR NO KEY UPDATE (we never change a key), the lock a plain UPDATE takes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import koshiki

SOURCE = Path(koshiki.__file__).parent


def _locks() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "select_for_update":
                found.append((str(path.relative_to(SOURCE)), node.lineno, node))
    return found


def _keyword(call: ast.Call, name: str) -> object:
    for keyword in call.keywords:
        if keyword.arg == name:
            return ast.literal_eval(keyword.value)
    return None


def test_every_row_lock_names_only_its_own_table_and_leaves_keys_shareable() -> None:
    locks = _locks()
    assert len(locks) >= 30  # the scan found the services' locks
    wide = [f"{path}:{line}" for path, line, call in locks if _keyword(call, "of") != ("self",)]
    key_blocking = [f"{path}:{line}" for path, line, call in locks if _keyword(call, "no_key") is not True]
    assert wide == [] and key_blocking == []
