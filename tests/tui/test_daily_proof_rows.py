"""The in-app proof view and `avm-debug inspect` show the same rows (issue 18 #19): stack fields named
with their positions (s0, s1), and the BufferProof rows of a buffer instruction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import DataTable
from tui_helpers import make_app, settle

from debugger.tui.screens.proof import ProofScreen

BUFFER_PROGRAM = """\
    newbuffer
    push 0x41
    setbuffer8 5
    halt
"""


async def test_proof_screen_rows_are_the_inspect_rows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path, BUFFER_PROGRAM, name="buf.s")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("2", "s")
        await settle(app, pilot)
        await pilot.press("p")                        # the proof of setbuffer8 (step 2)
        await settle(app, pilot)
        assert isinstance(app.screen, ProofScreen)
        table = app.screen.query_one(DataTable)
        shown = [[str(table.get_cell_at((y, x))) for x in range(len(table.columns))]
                 for y in range(table.row_count)]
        await pilot.press("escape")
    proof = tmp_path / "buf-step2.proof.json"
    cli = subprocess.run([sys.executable, "-m", "debugger.cli", "inspect", str(proof)],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    lines = cli.stdout.splitlines()
    printed = lines[2:2 + len(shown)]
    assert len(printed) == len(shown)
    for cells, line in zip(shown, printed, strict=True):
        section, offset, length, name, seen, value = cells
        assert line.split()[:3] == [section, offset, length]
        assert name.strip()[:28] in line and f" {seen} " in line and value in line
    names = [cells[3].strip() for cells in shown]
    assert any(name.endswith("(s0, immediate)") for name in names)
    assert any("(s1)" in name for name in names)
    assert any(cells[0] == "BufferProof" for cells in shown)
