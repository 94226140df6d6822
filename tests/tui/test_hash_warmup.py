"""The code chain is hashed in the background after the first frame: the hash rows fill in when it is
done without disturbing the stop on screen, and a proof taken before it is done is the same."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from tui_helpers import make_app, screen_text

from avm.core.program import Program
from avm.core.values import value_hash
from debugger.tui.widgets.hashes import PENDING, HashesPane
from debugger.tui.widgets.stack_view import StackView

WAIT = 60.0   # a bound for a loaded machine, never reached when things work


@pytest.fixture
def held_warmup(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The background warm-up waits for the returned event before it hashes anything."""
    gate = threading.Event()
    original = Program.warm_hashes

    def held(program: Program) -> None:
        assert gate.wait(WAIT), "the test never released the warm-up"
        original(program)

    monkeypatch.setattr(Program, "warm_hashes", held)
    return gate


async def until(pilot, condition) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await pilot.pause(0.02)


async def test_hash_rows_fill_in_and_the_step_marks_stay(tmp_path: Path, held_warmup) -> None:  # noqa: ANN001
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        hashes = app.query_one("#hashes", HashesPane)
        assert PENDING in hashes.text()                       # first frame painted, chain not hashed yet
        session = app.session
        await pilot.press("s")
        await until(pilot, lambda: session.step == 1 and not app.main.running)
        await pilot.press("s")
        await until(pilot, lambda: session.step == 2 and not app.main.running)
        await pilot.pause()
        data = app.query_one("#data-stack", StackView)
        assert data.unchanged == 1 and "s0 rw 4 (0x4)" in screen_text(app)
        held_warmup.set()
        await until(pilot, lambda: app.main.hashes_ready)
        await pilot.pause()
        assert f"0x{value_hash(session.machine.pc).hex()}" in hashes.text()
        assert f"0x{session.machine.machine_hash().hex()}" in hashes.text()
        assert data.unchanged == 1 and "s0 rw 4 (0x4)" in screen_text(app)   # the step's marks survive


async def proof_at_start(folder: Path, monkeypatch, gate: threading.Event | None) -> bytes:  # noqa: ANN001
    """The file ``p`` writes on the first screen (in ``folder``). ``gate``: the held warm-up, released
    once the proof is written; None: the chain is hashed before the app starts."""
    folder.mkdir()
    monkeypatch.chdir(folder)
    app = make_app(folder)
    if gate is None:
        app.session.program.warm_hashes()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await until(pilot, lambda: any("proof of step 0 verified" in m for m in app.notified))
        if gate is not None:
            assert not app.main.hashes_ready                   # p hashed what it needed on its own
            gate.set()
        await app.workers.wait_for_complete()
    return (folder / "prog-step0.proof.json").read_bytes()


async def test_proof_right_after_start_is_the_same(tmp_path: Path, monkeypatch, held_warmup) -> None:  # noqa: ANN001
    early = await proof_at_start(tmp_path / "early", monkeypatch, held_warmup)
    warm = await proof_at_start(tmp_path / "warm", monkeypatch, None)
    assert early == warm and b'"Proof"' in early
