"""Structural rules of the code base: the machine package never depends on Textual or the debugger."""

from __future__ import annotations

import ast
from pathlib import Path

import avm

AVM_DIR = Path(avm.__file__).resolve().parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_avm_package_never_imports_textual_or_debugger() -> None:
    sources = sorted(AVM_DIR.rglob("*.py"))
    assert len(sources) > 5, "the avm package looks empty"
    offenders = {}
    for path in sources:
        bad = {m for m in _imported_modules(path) if m.split(".")[0] in {"textual", "debugger", "rich"}}
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}
