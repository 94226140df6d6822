"""One step-number convention everywhere (issue 18 #4): step N is the state after N instructions, and
"proving step N" proves the instruction that runs from state N. The challenge game, ``prove --step``,
the session's goto and proof export, and proof file names agree on one program."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from machine_builders import counted_loop_source

from avm.formats.assembler import assemble
from avm.proofs.proof_file import load_proofs
from debugger.cli.main import main
from debugger.engine import dispute
from debugger.engine.display import codepoint_label
from debugger.engine.proof_export import export_step_proof, proof_file_name
from debugger.engine.session import Session

N = 40          # the state the disputed instruction runs from


@pytest.fixture()
def program_file(tmp_path: Path) -> Path:
    path = tmp_path / "loop.s"
    path.write_text(counted_loop_source(10))
    return path


def test_every_command_numbers_steps_the_same_way(program_file: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    program = assemble(program_file.read_text(), str(program_file))
    program.path = str(program_file)
    # the session: goto N shows state N; its next instruction is what step N proves
    session = Session(program)
    session.goto(N)
    assert session.step == N == session.machine.steps
    instruction = session.machine.pc
    entry = session.proof_for_step(N)
    assert entry["step"] == N
    # the proof file of step N is named after N and holds the same entry
    path, _ = export_step_proof(session, N, tmp_path, "loop.s")
    assert path.name == proof_file_name("loop.s", N) == f"loop-step{N}.proof.json"
    [saved] = load_proofs(path)
    assert "0x" + saved.proof.hex() == entry["Proof"] and saved.extras["step"] == N
    # avm-debug prove --step N: the same instruction, the same bytes
    out = tmp_path / "cli.json"
    assert main(["prove", str(program_file), "--step", str(N), "-o", str(out)]) == 0
    [cli] = json.loads(out.read_text())
    assert cli["Proof"] == entry["Proof"] and cli["step"] == N
    # the challenge game with a lie in state N + 1 ends on the instruction that runs from state N
    game = dispute.simulate(dispute.Timeline(program), lie_at=N + 1)
    assert game.one_step is not None and game.one_step.step == N + 1
    assert game.one_step.entry["Proof"] == entry["Proof"] and game.one_step.entry["step"] == N
    assert codepoint_label(program, instruction) in game.one_step.instruction
    text = dispute.render(game)
    assert f"runs from the agreed state {N:,}" in text and f"prove --step {N:,}" in text
    capsys.readouterr()
