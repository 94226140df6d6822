"""Session-side support for the TUI without a screen: which step to prove for an instruction, the
verified proof export, per-instruction counts and the trace file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tui_helpers import BUILT_AT_RUN_TIME, PROGRAM, make_session

from avm.errors import UserError
from avm.proofs.proof_file import load_proofs
from avm.proofs.verifier import verify_entry
from debugger.engine.proof_export import export_instruction_proof, export_step_proof, proof_file_name


def test_last_step_at_finds_the_latest_earlier_state() -> None:
    session = make_session()
    session.step_forward(12)            # 0..5 main, 12..15 func (steps 6..9), 6.. after
    assert session.last_step_at(13, session.step) == 7        # 'add' in func ran from state 7
    assert session.last_step_at(0, session.step) == 0         # the entry: state 0 itself
    assert session.last_step_at(13, 7) is None                # not before state 7
    assert session.last_step_at(11, session.step) is None     # 'halt' has not run


def test_proof_step_for_an_instruction() -> None:
    session = make_session()
    session.step_forward(3)
    assert session.proof_step_for(3)[0] == 3                              # the step about to run
    assert "step about to run" in session.proof_step_for(3)[1]
    assert session.proof_step_for(1) == (1, "the latest step that ran instruction #1: step 1")
    session.step_forward(9)
    session.goto(2)
    step, why = session.proof_step_for(13)                                 # only later in the history
    assert step == 7 and "ran later" in why
    with pytest.raises(UserError, match="#11 has not run"):
        session.proof_step_for(11)


def test_export_writes_a_verified_proof(tmp_path: Path) -> None:
    session = make_session()
    session.step_forward(12)
    result = export_instruction_proof(session, 13, tmp_path, "lesson.s")
    assert result.step == 7 and result.path == tmp_path / "lesson-step7.proof.json"
    entries = load_proofs(result.path)
    assert len(entries) == 1 and verify_entry(entries[0]).ok
    assert result.proof_hex == json.loads(result.path.read_text())[0]["Proof"]
    assert proof_file_name("dir/x.mexe", 12) == "x-step12.proof.json"
    assert proof_file_name("", 0) == "program-step0.proof.json"


def test_export_of_a_halted_state_is_refused(tmp_path: Path) -> None:
    session = make_session()
    session.continue_()
    with pytest.raises(UserError, match="cannot be proved"):
        export_step_proof(session, session.step, tmp_path, "prog.s")
    assert not list(tmp_path.iterdir())


def test_instruction_counts_and_executed_instructions() -> None:
    session = make_session()
    session.step_forward(8)                   # states 0..8: main 0..5, func 12..13
    hits = session.instruction_counts("hits")
    assert len(hits) == len(session.program.code)
    assert hits[0] == hits[5] == hits[12] == hits[13] == 1 and hits[6] == 0
    gas = session.instruction_counts("gas")
    assert gas[2] > 0 and gas[6] == 0
    assert session.executed_instructions() == {0, 1, 2, 3, 4, 5, 12, 13}


def test_write_trace(tmp_path: Path) -> None:
    session = make_session(PROGRAM)
    session.continue_()
    path = tmp_path / "trace.jsonl"
    count = session.write_trace(path)
    assert count == len(path.read_text().splitlines()) > 0
    with pytest.raises(UserError, match="cannot write"):
        session.write_trace(tmp_path / "missing" / "trace.jsonl")


def test_proof_step_on_a_halted_machine(tmp_path: Path) -> None:
    """Issue 18 #3: on a halted machine, the current instruction proves the step that halted it; any
    other the latest step that ran it."""
    session = make_session()
    session.continue_()
    halted_at = session.step
    assert session.machine.pc.index == 11
    step, why = session.proof_step_for(11)
    assert step == halted_at - 1 and "halted the machine" in why
    assert session.proof_step_for(13)[0] == 7
    result = export_instruction_proof(session, 11, tmp_path, "prog.s")
    [entry] = load_proofs(result.path)
    assert result.step == halted_at - 1 and verify_entry(entry).ok


def test_proof_step_on_an_error_stopped_machine(tmp_path: Path) -> None:
    session = make_session("    push 1\n    push 0\n    swap1\n    div\n    halt\n")
    stop = session.continue_()
    assert stop.reason.value == "error_stop" and session.machine.pc.index == 3
    step, why = session.proof_step_for(3)
    assert step == session.step - 1 == 3 and "error-stopped" in why
    [entry] = load_proofs(export_instruction_proof(session, 3, tmp_path, "err.s").path)
    assert verify_entry(entry).ok


def test_proof_step_for_code_built_at_run_time_names_it_as_the_listing_does() -> None:
    session = make_session(BUILT_AT_RUN_TIME)
    session.step_forward(4)                      # jumped into the instruction pushinsn built at step 2
    assert session.machine.pc.index == -1
    step, why = session.proof_step_for(-1)
    assert step == 4 and "#-1" not in why
    assert why == "the step about to run (step 4, runtime code built at step 2 by #2: invalid(0xfe))", why
    session.step_forward()                        # the invalid opcode error-stops the machine
    step, why = session.proof_step_for(-1)
    assert step == 4 and "#-1" not in why and "error-stopped" in why and "runtime code built at step 2" in why
