"""The import graph (a tiny scan over ``ast``, every import including those inside functions):
domain apps never import the web layer, and no two modules import each other round a cycle."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "koshiki"
#: Layers that sit above the domain apps and may import koshiki.web.
ABOVE_WEB = ("koshiki.web", "koshiki.project", "koshiki.cli", "koshiki.demo")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of koshiki this file imports (``from x import y`` counts x.y when that is a module)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and _is_type_checking(block.test)
        for stmt in block.body
        for n in ast.walk(stmt)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue  # `if TYPE_CHECKING:` imports never run

        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_no_domain_app_imports_the_web_layer() -> None:
    offenders = sorted(
        f"{name} → {target}"
        for name, targets in graph().items()
        if not name.startswith(ABOVE_WEB)
        for target in targets
        if target.startswith("koshiki.web")
    )
    assert offenders == []


def test_posts_publishing_and_tasks_do_not_import_each_other() -> None:
    edges = graph()
    assert "koshiki.posts.tasks" not in edges["koshiki.posts.services.publishing"]
    assert "koshiki.posts.tasks" not in edges["koshiki.posts.services.approval"]


#: Known cycles another part of issue #11 owns (audit: shred lives beside
#: retain_free_text and logs its action).
KNOWN_CYCLES = [["koshiki.audit.retention", "koshiki.audit.services"]]


def test_no_new_import_cycles() -> None:
    assert [c for c in _cycles(graph()) if c not in KNOWN_CYCLES] == []


@pytest.mark.parametrize(
    "module",
    [
        "koshiki.posts.services.publishing",
        "koshiki.posts.tasks",
        "koshiki.core.attention",
        "koshiki.notify.service",
    ],
)
def test_each_module_imports_in_a_fresh_interpreter(module: str) -> None:
    """Imported first and alone (after django.setup), so an import-order dependency shows up."""
    code = f"import django; django.setup(); import importlib; importlib.import_module({module!r})"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "koshiki.project.pytest_settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_scanner_sees_imports_inside_functions() -> None:
    """Guard for the scan itself: publishing's lazy import of channels (inside a function) is seen."""
    assert "koshiki.posts.channels" in graph()["koshiki.posts.services.publishing"]
