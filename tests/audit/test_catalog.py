"""The audit action catalog: every code a call site can write is declared once, with
both labels and a description."""

from __future__ import annotations

import ast
import importlib
import io
import logging
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

import koshiki
from koshiki.audit import catalog
from koshiki.audit.models import AuditEntry
from koshiki.audit.services import log_action

SRC = Path(koshiki.__file__).resolve().parent
REPO = SRC.parent.parent


def _code_argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[index] if len(call.args) > index else None


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _parameters(fn: ast.FunctionDef) -> list[str]:
    return [a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)]


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SRC.rglob("*.py"))}


def _forwarders(trees: dict[Path, ast.Module]) -> dict[str, tuple[int, str]]:
    """Functions that pass one of their parameters on as the code: name → (position, parameter)."""
    found: dict[str, tuple[int, str]] = {"log_action": (0, "action"), "log_actions": (0, "action")}
    changed = True
    while changed:
        changed = False
        for tree in trees.values():
            for fn in ast.walk(tree):
                if not isinstance(fn, ast.FunctionDef) or fn.name in found:
                    continue
                params = _parameters(fn)
                for call in ast.walk(fn):
                    if isinstance(call, ast.Call) and _callee(call) in found:
                        arg = _code_argument(call, *found[_callee(call)])
                        if isinstance(arg, ast.Name) and arg.id in params:
                            found[fn.name] = (params.index(arg.id), arg.id)
                            changed = True
                            break
    return found


def _resolve(node: ast.expr, module: Any, where: str) -> set[str]:
    """Every code an argument can take; a form the scan cannot see through fails the test."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _resolve(node.body, module, where) | _resolve(node.orelse, module, where)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        family = getattr(module, node.value.id, None)
        assert isinstance(family, catalog.CodeFamily), (
            f"{where}: {node.value.id} is not a catalog.family(...)"
        )
        return set(family.values())
    raise AssertionError(
        f"{where}: the action code is not a literal, a conditional of literals or a catalog.family"
    )


def used_codes() -> dict[str, str]:
    """code → first call site, from every log_action call and every helper that forwards its code."""
    trees = _trees()
    forwarders = _forwarders(trees)
    used: dict[str, str] = {}
    for path, tree in trees.items():
        module_name = ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")
        module = None
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            params = _parameters(fn)
            for call in ast.walk(fn):
                if not (isinstance(call, ast.Call) and _callee(call) in forwarders):
                    continue
                arg = _code_argument(call, *forwarders[_callee(call)])
                where = f"{path.relative_to(REPO)}:{call.lineno}"
                if arg is None or (isinstance(arg, ast.Name) and arg.id in params):
                    continue  # a forwarder passing its own parameter on: its callers are scanned
                module = module or importlib.import_module(module_name)
                for code in _resolve(arg, module, where):
                    used.setdefault(code, where)
    return used


def test_every_code_used_by_a_call_site_is_declared() -> None:
    used = used_codes()
    assert len(used) > 60  # the scan sees the whole code base, not one file
    missing = {code: where for code, where in used.items() if code not in catalog.ACTIONS}
    assert missing == {}


def test_every_family_picked_at_run_time_is_declared() -> None:
    for info in pkgutil.walk_packages(koshiki.__path__, "koshiki."):
        if ".migrations" not in info.name and not info.name.startswith("koshiki.project.wsgi"):
            importlib.import_module(info.name)
    families = catalog.families()
    assert {"registry.account.change_announced", "registry.account.closure_completed"} <= {
        code for family in families for code in family.values()
    }
    assert all(code in catalog.ACTIONS for family in families for code in family.values())


def test_every_declared_code_is_used_somewhere() -> None:
    assert set(catalog.ACTIONS) - set(used_codes()) == set()


def test_every_entry_has_both_labels_and_a_description() -> None:
    for action in catalog.ACTIONS.values():
        assert action.description.strip(), action.code
        with translation.override("en"):
            english = str(action.label)
        with translation.override("ja"):
            japanese = str(action.label)
        assert english.strip() and japanese.strip(), action.code
        assert japanese != english, f"{action.code}: no Japanese label in django.po"
        assert action.label_ja == japanese


def test_a_label_follows_the_viewer_language() -> None:
    with translation.override("ja"):
        assert catalog.label("registry.account.step_approved") == "申請の段階承認"
    with translation.override("en"):
        assert catalog.label("registry.account.step_approved") == "Request approved at one step"


def test_unknown_code_is_refused_in_tests(db: Any) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(catalog.UnknownAction, match="registry.acount.step_approved"):
        log_action("registry.acount.step_approved", actor=None)
    assert AuditEntry.objects.count() == before


def test_unknown_code_in_production_is_logged_and_still_written(
    db: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.DEBUG = False
    settings.LOCAL = False
    with caplog.at_level(logging.ERROR, logger="koshiki.audit"):
        entry = log_action("registry.acount.step_approved", actor=None)
    assert AuditEntry.objects.filter(pk=entry.pk, action="registry.acount.step_approved").exists()
    assert any("registry.acount.step_approved" in r.getMessage() for r in caplog.records)


def test_known_code_in_production_logs_nothing(
    db: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.DEBUG = False
    settings.LOCAL = False
    with caplog.at_level(logging.ERROR, logger="koshiki.audit"):
        log_action("core.keys.resealed", actor=None)
    assert not caplog.records


def test_an_old_entry_with_a_retired_code_shows_the_code() -> None:
    assert catalog.label("retired.code") == "retired.code"


def test_docs_page_is_generated_from_the_catalog() -> None:
    out = io.StringIO()
    catalog.write_markdown(out)
    text = out.getvalue()
    assert "| `registry.account.step_approved` | 申請の段階承認 | Request approved at one step |" in text
    assert (REPO / "docs" / "AUDIT.md").read_text(encoding="utf-8") == text, (
        "run: koshiki audit catalog --format md > docs/AUDIT.md"
    )


def test_cli_prints_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    from koshiki.cli import main

    assert main(["audit", "catalog", "--format", "md"]) == 0
    assert "`posts.post.published`" in capsys.readouterr().out
