"""How the TUI is put together: one command registry, one guarded dispatch, modules that do not lean
on each other."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from debugger.tui import registry
from debugger.tui.guard import is_guarded
from debugger.tui.screens.main import MainScreen

TUI = Path(__file__).resolve().parents[2] / "debugger" / "tui"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
    return out


def test_app_and_commands_do_not_import_each_other() -> None:
    assert "debugger.tui.commands" not in _imports(TUI / "app.py")
    assert "debugger.tui.app" not in _imports(TUI / "commands.py")


def test_registry_and_commands_do_not_import_textual() -> None:
    for name in ("registry.py", "commands.py", "keymap.py", "locations.py", "search.py", "marks.py",
                 "chain_hashes.py", "explain_text.py"):
        assert not any(m.startswith("textual") for m in _imports(TUI / name)), name


def test_every_registry_action_exists_on_the_main_screen() -> None:
    from textual.actions import parse

    for cmd in registry.COMMANDS:
        assert cmd.action or cmd.handler, cmd.id
        if cmd.action:
            _dest, name, _params = parse(cmd.action)
            assert callable(getattr(MainScreen, f"do_{name}", None)), cmd.id


def test_names_and_keys_are_unique() -> None:
    names = [name for cmd in registry.COMMANDS for name in cmd.names]
    assert len(names) == len(set(names))
    ids = [cmd.id for cmd in registry.COMMANDS]
    assert len(ids) == len(set(ids))


def test_handlers_run_through_the_guard() -> None:
    """The dispatch and every event handler or callback of the main screen turn exceptions into
    messages (a handler added without the guard fails here)."""
    for name, member in inspect.getmembers(MainScreen, inspect.isfunction):
        if (name in ("execute", "run_command", "refresh_views", "on_resize")
                or getattr(member, "_textual_on", None) or name.startswith("_") and name.endswith(
                    ("_done", "_closed", "_finished", "_warmed", "_quit", "_progress"))):
            assert is_guarded(member), name
