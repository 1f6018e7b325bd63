"""Show that a reformatting commit changed no behaviour: ``python scripts/ast_unchanged.py BASE_REV``.

For every .py file changed since BASE_REV: the set of string constants (``ast`` joins implicit
concatenation, so a split literal is still one constant) must be identical, and so must the whole AST,
docstrings compared with all whitespace removed (wrapping a docstring only moves whitespace).
"""

import ast
import subprocess
import sys

_DOC_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, _DOC_OWNERS) and node.body:
            first = node.body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def _constants(tree: ast.AST, docs: set[int]) -> set[str]:
    return {
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    }


def _normalized(tree: ast.AST, docs: set[int]) -> str:
    for node in ast.walk(tree):
        if id(node) in docs and isinstance(node, ast.Constant):
            node.value = "".join(node.value.split())
    return ast.dump(tree)


def main(base: str) -> int:
    changed = subprocess.run(
        ["git", "diff", "--name-only", "--diff-filter=M", base, "--", "*.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    problems = 0
    for path in changed:
        show = ["git", "show", f"{base}:{path}"]
        old_src = subprocess.run(show, capture_output=True, text=True, check=True)
        with open(path, encoding="utf-8") as f:
            new = ast.parse(f.read())
        old = ast.parse(old_src.stdout)
        old_docs, new_docs = _docstrings(old), _docstrings(new)
        if _constants(old, old_docs) != _constants(new, new_docs):
            problems += 1
            print("string constants differ:", path, _constants(old, old_docs) ^ _constants(new, new_docs))
        if _normalized(old, old_docs) != _normalized(new, new_docs):
            problems += 1
            print("AST differs:", path)
    print(f"{len(changed)} files checked, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
