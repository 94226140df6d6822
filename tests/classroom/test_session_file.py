"""Session files: save, reopen at the same step with the same breakpoints, watches, bookmarks and notes;
`avm-debug replay`; bad session files are one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tui_helpers import PROGRAM, make_session

from avm.errors import UserError
from debugger.engine.session_file import load_session_file, restore, save_session


def saved(tmp_path: Path) -> Path:
    session = make_session()
    session.breakpoints.add("func")
    session.breakpoints.add("tget if depth > 0", one_shot=True)
    session.watches.add("s0")
    session.step_forward(5)
    session.annotations.mark("a", 3)
    session.annotations.add_note(5, "about to jump into func")
    return save_session(session, tmp_path / "prog.session.json", "prog.s")


def test_reopens_at_the_same_step_with_the_same_state(tmp_path: Path) -> None:
    path = saved(tmp_path)
    session, state, title = load_session_file(path)
    assert title == "prog.s" and session.step == 0
    assert restore(session, state) == []
    assert session.step == 5
    titles = [bp.title(session.program) for bp in session.breakpoints]
    assert titles == ["#1 at #12 func", "#2 opcode tget if depth > 0"]
    assert session.breakpoints.list()[1].one_shot
    assert [w.target for w in session.watches] == ["s0"]
    assert session.annotations.bookmark("a") == 3
    assert session.annotations.notes_at(5) == ["about to jump into func"]
    original = make_session()
    original.step_forward(5)
    assert session.machine.machine_hash() == original.machine.machine_hash()


def test_a_mexe_program_is_saved_by_path_and_hash(tmp_path: Path, conformance_dir: Path) -> None:
    from debugger.engine.session import Session

    exe = next(sorted((conformance_dir / "executables").glob("*.mexe")).__iter__())
    session = Session.load(exe)
    session.step_forward(3)
    path = save_session(session, tmp_path / "x.session.json", exe.name)
    doc = json.loads(path.read_text())
    assert "source" not in doc["program"] and len(doc["program"]["sha256"]) == 64
    again, state, _ = load_session_file(path)
    restore(again, state)
    assert again.step == session.step and again.machine.machine_hash() == session.machine.machine_hash()


def test_a_changed_program_file_is_reported(tmp_path: Path) -> None:
    from debugger.engine.session import Session

    src = tmp_path / "p.s"
    src.write_text(PROGRAM)
    session = Session.load(src)
    session.program.source_text = None          # force saving by path
    path = save_session(session, tmp_path / "p.session.json", "p.s")
    src.write_text(PROGRAM + "    halt\n")
    with pytest.raises(UserError, match="changed since the session was saved"):
        load_session_file(path)


@pytest.mark.parametrize("text, message", [
    ("[]", "not an avm-debug session file"),
    ('{"format": "avm-debug-session", "version": 9}', "version 9"),
    ('{"format": "avm-debug-session", "version": 1, "program": {"source": "push"}}', "does not assemble"),
    ('{"format": "avm-debug-session", "version": 1, "program": {"source": "halt"}, "step": -1}',
     "'step' must be 0 or more"),
    ('{"format": "avm-debug-session", "version": 1, "program": {"source": "halt"}, "bookmarks": {"ab": 1}}',
     "one letter"),
    ('{"format": "avm-debug-session", "version": 1, "program": {"source": "halt"}, "notes": [1]}',
     "notes\\[0\\]"),
])
def test_bad_session_files_are_user_errors_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.session.json"
    path.write_text(text)
    with pytest.raises(UserError, match=message) as info:
        load_session_file(path)
    assert info.value.path == str(path) and str(info.value).startswith(str(path))


def test_a_breakpoint_that_no_longer_parses_is_dropped_with_a_message(tmp_path: Path) -> None:
    path = saved(tmp_path)
    doc = json.loads(path.read_text())
    doc["breakpoints"].append({"spec": "nolabel", "enabled": True})
    path.write_text(json.dumps(doc))
    session, state, _ = load_session_file(path)
    problems = restore(session, state)
    assert len(problems) == 1 and "nolabel" in problems[0] and session.step == 5


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed CLI, run outside the source tree (so ``-m debugger`` cannot find the checkout)."""
    return subprocess.run([sys.executable, "-m", "debugger.cli", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_replay_goes_to_the_step_and_exports_a_verified_proof(tmp_path: Path) -> None:
    path = saved(tmp_path)
    out = tmp_path / "step7.proof.json"
    done = run_cli("replay", str(path), "--to", "7", "--export-proof", str(out), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["step"] == 7 and report["status"] == "running" and report["breakpoints"] == 2
    check = run_cli("verify", str(out), cwd=tmp_path)
    assert check.returncode == 0 and "1 passed, 0 failed" in check.stdout


def test_replay_past_the_end_exits_1_and_bad_files_exit_2(tmp_path: Path) -> None:
    path = saved(tmp_path)
    done = run_cli("replay", str(path), "--to", "100000", cwd=tmp_path)
    assert done.returncode == 1 and "before step 100,000" in done.stdout
    bad = tmp_path / "bad.session.json"
    bad.write_text("{")
    done = run_cli("replay", str(bad), cwd=tmp_path)
    assert done.returncode == 2 and "bad.session.json" in done.stderr and "Traceback" not in done.stderr


def test_rerun_after_an_edit_keeps_breakpoints_by_label_and_the_step() -> None:
    from avm.formats.assembler import assemble
    from debugger.engine.session_file import rerun

    session = make_session()
    session.breakpoints.add("func")
    session.annotations.mark("b", 2)
    session.step_forward(6)
    edited = assemble("    nop\n" + PROGRAM, "prog.s")       # every instruction moves one down
    new, problems = rerun(session, edited)
    assert problems == [] and new.step == 6
    assert [bp.index for bp in new.breakpoints] == [13]       # still at the label func
    assert new.annotations.bookmark("b") == 2
    short = assemble("    halt\n", "prog.s")
    again, problems = rerun(session, short)
    assert again.step == 1 and any("stops at step 1," in p for p in problems)
    assert any("func" in p for p in problems)                  # the label is gone: dropped, said so
