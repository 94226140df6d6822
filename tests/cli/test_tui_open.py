"""Opening the TUI: ``avm-debug PROGRAM [--inbox] [--theme] [--break]``; loading errors are printed
before any screen appears (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tui_helpers import (
    PROGRAM,
    make_app,
    settle,
)

from avm.errors import UserError
from debugger.cli.tui import check_theme, prepare_session


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "debugger.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=60, stdin=subprocess.DEVNULL)


def test_assembly_errors_are_printed_before_any_screen(tmp_path: Path) -> None:
    (tmp_path / "bad.s").write_text("main:\n    pusj 3\n")
    done = run_cli("bad.s", cwd=tmp_path)
    assert done.returncode == 2
    assert "bad.s:2:5: unknown mnemonic 'pusj'" in done.stderr
    assert "\x1b[" not in done.stdout + done.stderr          # no terminal control: no screen was opened


@pytest.mark.parametrize("args, expected", [
    (["missing.s"], "missing.s: no such file"),
    (["."], "is a directory"),
    (["prog.s", "--theme", "nope"], "unknown theme 'nope'"),
    (["prog.s", "--break", "nowhere"], "nowhere"),
    (["prog.s", "--inbox", "missing.json"], "missing.json"),
])
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str], expected: str) -> None:
    (tmp_path / "prog.s").write_text(PROGRAM)
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr and "Traceback" not in done.stderr


def test_no_program_opens_the_tour() -> None:
    session, name = prepare_session(None)
    assert name == "tour.s"
    assert session.program.notes and len(session.program.code) > 10


def test_breaks_and_inbox_are_applied(tmp_path: Path) -> None:
    (tmp_path / "prog.s").write_text(PROGRAM)
    (tmp_path / "inbox.json").write_text(json.dumps([5, [1, 2]]))
    session, name = prepare_session(str(tmp_path / "prog.s"), str(tmp_path / "inbox.json"), ["func", "9"])
    assert name == "prog.s"
    assert [bp.index for bp in session.breakpoints.list()] == [12, 9]
    assert len(session.machine.inbox) == 2


def test_break_accepts_what_the_prompt_accepts(tmp_path: Path) -> None:
    """``--break tset`` is an opcode breakpoint, as ``:break tset`` (one entry for breakpoint text)."""
    (tmp_path / "prog.s").write_text(PROGRAM)
    session, _name = prepare_session(str(tmp_path / "prog.s"), None, ["tget", "add if top == 1"])
    assert [bp.kind.value for bp in session.breakpoints.list()] == ["opcode", "opcode"]


def test_known_themes_pass_the_check() -> None:
    for name in ("avm-dark", "avm-light", "avm-contrast", "textual-dark", "nord"):
        check_theme(name)
    with pytest.raises(UserError):
        check_theme("no-such-theme")


async def test_first_frame_of_a_mexe(tmp_path: Path, conformance_dir: Path) -> None:
    path = next(iter(sorted((conformance_dir / "executables").glob("*.mexe"))))
    session, name = prepare_session(str(path))
    app = make_app(tmp_path, session=session, name=name)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.query_one("#listing").count == len(session.program.code)
        await pilot.press("s")
        await settle(app, pilot)
        assert session.step == 1
