"""End to end: the *installed* ``avm-debug`` in a real terminal (tmux), driven by keys.

Opens a program, steps, sets a breakpoint from the ``:`` prompt, continues to it, exports a proof with
``p`` and checks that ``avm-debug verify`` accepts the file, then quits with ``q``. A second run types a
whole command line in one burst right after start-up: no key after ``:`` may reach the main screen.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from terminal_helpers import SCRIPT, Terminal, need_tmux
from tui_helpers import (
    PROGRAM,
)


def test_real_terminal_session(tmp_path: Path) -> None:
    tmux = need_tmux()
    (tmp_path / "prog.s").write_text(PROGRAM)
    term = Terminal(tmux, tmp_path, "prog.s")
    try:
        first = term.wait_for("^p palette")
        assert "prog.s" in first and "main:" in first
        term.keys("s", "s", "s")
        screen = term.wait_for("step 3/3")
        assert "7 (0x7)" in screen                                   # 3 + 4 on the data stack
        term.keys(":")
        term.wait_for(":")
        term.keys("break func", literal=True)
        term.keys("Enter")
        term.wait_for("breakpoint #1")
        term.keys("c")
        screen = term.wait_for("breakpoint: #1")
        assert "▶" in screen
        term.keys("p")
        term.wait_for("verified")
        proof = tmp_path / "prog-step6.proof.json"
        assert proof.is_file()
        term.keys("Escape")
        time.sleep(0.3)
        term.keys("q")
        term.wait_for("EXIT=0")
    finally:
        term.close()
    done = subprocess.run([str(SCRIPT), "verify", str(proof)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_command_typed_in_one_burst_after_start_up(tmp_path: Path) -> None:
    """``:break countdown`` + Enter sent in one write as soon as the app is up: the prompt gets every
    key (``b`` would toggle a breakpoint, ``k`` step back, ``n`` step over...), then ``c`` stops there."""
    from debugger.resources import sample_path

    tmux = need_tmux()
    term = Terminal(tmux, tmp_path, str(sample_path("tour.s")))
    try:
        term.wait_for("^p palette")
        term.run("send-keys", "-t", term.name, ":break countdown", "Enter")
        term.wait_for("breakpoint #1")
        screen = term.screen()
        assert "step 0/0" in screen                  # no key reached the main screen's bindings
        term.keys("c")
        screen = term.wait_for("breakpoint: #1")
        line = next(row for row in screen.splitlines() if "▶" in row)
        assert "countdown" in line
        term.keys("q")
        term.wait_for("EXIT=0")
    finally:
        term.close()


def test_ctrl_q_during_a_long_run_quits(tmp_path: Path, shared_bench_dir: Path) -> None:
    """Issue 18 #5: ctrl+q while ``c`` runs a long keccakf loop used to leave a hung process."""
    tmux = need_tmux()
    program = shared_bench_dir / "keccakf_1_1.mexe"
    term = Terminal(tmux, tmp_path, str(program))
    try:
        term.wait_for("^p palette")
        term.keys("c")
        term.wait_for("steps/s")                       # running, with progress in the status line
        time.sleep(1)
        asked = time.monotonic()
        term.keys("C-q")
        term.wait_for("EXIT=0", timeout=10)
        # not a speed figure: a hung process never gets here; a healthy one takes well under a second
        assert time.monotonic() - asked < 5
    finally:
        term.close()
