"""``p``: proof export at the cursor, verified before it is written, and the proof view."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tui_helpers import (
    make_app,
    notifications,
    settle,
)

from avm.proofs.proof_file import load_proofs
from avm.proofs.verifier import verify_entry
from debugger.tui.screens.proof import ProofScreen
from debugger.tui.widgets.listing import Listing


def verify_cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "debugger.cli", "verify", str(path)], capture_output=True,
                          text=True, timeout=120)


async def test_proof_of_the_step_about_to_run(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "s")
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        path = tmp_path / "prog-step3.proof.json"
        assert path.is_file()
        assert any(f"proof of step 3 verified and written: {path}" in m for m in notifications(app))
        assert isinstance(app.screen, ProofScreen)
        revealed = app.screen.revealed_summary()
        assert revealed["opcode"] == "in full"
        assert revealed["dataStackBelow"] == "hash only"
        assert revealed["errHandlerHash"] == "hash only"
        assert "step about to run (step 3, instruction #3)" in app.screen.heading
        await pilot.press("escape")
    assert len(json.loads(path.read_text())) == 1
    entries = load_proofs(path)
    assert len(entries) == 1 and verify_entry(entries[0]).ok
    done = verify_cli(path)
    assert done.returncode == 0, done.stdout + done.stderr


async def test_proof_of_an_earlier_execution_of_the_cursor_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "2", "s")
        await settle(app, pilot)
        app.query_one(Listing).cursor_to(13)        # 'add' inside func ran at step 7
        await pilot.press("p")
        await pilot.pause()
        assert (tmp_path / "prog-step7.proof.json").is_file()
        assert "latest step that ran instruction #13: step 7" in app.screen.heading
        await pilot.press("escape")
        app.query_one(Listing).cursor_to(11)        # 'halt' has not run yet
        await pilot.press("p")
        await pilot.pause()
        assert any("#11 has not run" in m for m in notifications(app))
        assert not list(tmp_path.glob("prog-step1[!2]*.json"))


async def test_proof_command_and_halted_machine(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        halted_at = app.session.step
        await pilot.press("p")                        # at the halted state: the step that halted it
        await pilot.pause()
        assert (tmp_path / f"prog-step{halted_at - 1}.proof.json").is_file()
        assert isinstance(app.screen, ProofScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("colon", *"proof after", "enter")
        await pilot.pause()
        assert (tmp_path / "prog-step10.proof.json").is_file()
        assert isinstance(app.screen, ProofScreen)
