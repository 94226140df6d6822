"""End to end in a real terminal (tmux): ``avm-debug upgradetests_upgrade1_old.mexe --source-dir ...``,
source mode on, stepping by line forward and back, the globals in the Variables pane, quit."""

from __future__ import annotations

import shutil
from pathlib import Path

from terminal_helpers import Terminal, need_tmux


def test_stepping_by_source_line_in_a_terminal(tmp_path: Path, arbos_dir: Path, source_dir: Path) -> None:
    tmux = need_tmux()
    shutil.copy(arbos_dir / "upgradetests_upgrade1_old.mexe", tmp_path)     # sources only via the flag
    term = Terminal(tmux, tmp_path, f"upgradetests_upgrade1_old.mexe --source-dir {source_dir}")
    try:
        term.wait_for("^p palette")
        term.keys("v")
        term.wait_for("source mode on")
        term.keys("s")
        screen = term.wait_for("step 2/2")
        assert "main upgrade1_old.mini:14" in screen and "upgrade1_old.mini" in screen
        term.keys("s")
        screen = term.wait_for("step 4/4")
        assert "15▶     global1 = 5;" in screen
        term.keys("s")
        term.wait_for("step 7/7")                  # one key at a time: a key typed during a run is refused
        term.keys("s")
        screen = term.wait_for("step 13/13")
        assert "18▶     let (sz, buf)" in screen
        assert "global1: uint = 5" in screen and "global2: option<int> = Some(-3s)" in screen
        term.keys("S")
        screen = term.wait_for("step 7/13")
        assert "16▶     global2 = Some(-3s)" in screen          # (clipped at 100 columns)
        term.keys("q")
        term.wait_for("EXIT=0")
    finally:
        term.close()
