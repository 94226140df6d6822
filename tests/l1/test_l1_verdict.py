"""Where the L1 contracts see a step differently, the debugger says so: ``l1_rejection`` decides, a single
step shows it in the Output events, an exported proof carries it (the TUI adds it to the proof view and
Output), and ``avm-debug prove`` prints it. No EVM needed: the contracts' side is checked in
test_oracle_programs.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from g2_points import off_subgroup_g2_point

from avm.core.machine import Machine
from avm.core.opcodes import Op
from avm.core.values import Tuple
from avm.formats.assembler import assemble
from avm.proofs.l1_verdict import PREFIX, l1_prover, l1_rejection
from debugger.cli.main import main
from debugger.engine.proof_export import export_instruction_proof
from debugger.engine.session import Session


def pairing_source() -> str:
    x0, x1, y0, y1 = off_subgroup_g2_point()
    return (f"    push ((1, 2, {x0}, {x1}, {y0}, {y1}), ())\n"
            "    ecpairing\n"
            "    halt\n")


def test_the_verdict_names_the_off_subgroup_pairing_only_where_it_runs() -> None:
    m = Machine.from_program(assemble(pairing_source(), "pair.s"))
    assert l1_rejection(m) is None                     # push: nothing special
    m.step()
    warning = l1_rejection(m)
    assert warning is not None and warning.startswith(PREFIX) and "pair 0" in warning
    m.stack[-1] = Tuple((Tuple((1, 2, 0, 0, 0, 0)), Tuple(())))   # G2 at infinity: fine on both sides
    assert l1_rejection(m) is None
    m.gas = 10_000                                     # out of gas: both sides take the error path
    m.stack[-1] = Tuple((Tuple((1, 2) + off_subgroup_g2_point()), Tuple(())))
    assert l1_rejection(m) is None


def test_a_raw_value_inbox_read_is_flagged_but_not_while_stepping() -> None:
    m = Machine.from_program(assemble("    inbox\n    halt\n", "in.s"), [Tuple((1, 2))])
    assert "raw values" in (l1_rejection(m) or "")
    assert l1_rejection(m, inbox=False) is None


def test_a_single_step_over_it_shows_a_warning_in_output(tmp_path: Path) -> None:
    session = Session(assemble(pairing_source(), "pair.s"))
    session.step_forward()
    assert not [e for e in session.outputs if e.kind == "l1"]
    session.step_forward()
    warnings = [e for e in session.outputs if e.kind == "l1"]
    assert len(warnings) == 1 and warnings[0].step == 2 and warnings[0].index == 1
    assert warnings[0].text.startswith(PREFIX)
    session.step_back()
    session.step_forward()                             # the replay does not repeat the line
    assert len([e for e in session.outputs if e.kind == "l1"]) == 1


def test_the_exported_proof_carries_the_warning(tmp_path: Path) -> None:
    session = Session(assemble(pairing_source(), "pair.s"))
    session.step_forward(2)
    result = export_instruction_proof(session, 1, tmp_path, "pair.s")
    assert result.step == 1 and result.l1_warning and result.l1_warning.startswith(PREFIX)
    assert export_instruction_proof(session, 0, tmp_path, "pair.s").l1_warning is None


def test_prove_prints_the_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "pair.s"
    src.write_text(pairing_source())
    assert main(["prove", str(src), "--all", "-o", str(tmp_path / "p.json")]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and f"{src}: step 1: warning: {PREFIX}" in err


async def test_tui_step_and_proof_show_the_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui_helpers import make_app, settle

    from debugger.tui.screens.proof import ProofScreen
    from debugger.tui.widgets.output import OutputPane

    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path, pairing_source(), name="pair.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s")
        await settle(app, pilot)
        assert any(e.kind == "l1" for e in app.session.outputs)
        assert any(PREFIX in line for line in app.query_one(OutputPane).lines_text)
        app.query_one("Listing").cursor_to(1)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProofScreen) and PREFIX in app.screen.heading
        await pilot.press("escape")


def test_each_opcode_goes_to_the_contract_that_proves_it() -> None:
    """The contracts' opInfo routing (the L1 oracle calls the contracts through it, so a wrong route
    fails the reference entries there too)."""
    by_prover: dict[str, set[str]] = {}
    for op in Op:
        by_prover.setdefault(l1_prover(op), set()).add(op.name.lower())
    assert by_prover["OneStepProofHash"] == {"hash", "type", "ethhash2", "keccakf", "sha256f"}
    assert by_prover["OneStepProof2"] == {"send", "getbuffer8", "getbuffer64", "getbuffer256", "setbuffer8",
                                          "setbuffer64", "setbuffer256"}
    assert {"add", "newbuffer", "inbox", "ecpairing", "halt"} <= by_prover["OneStepProof"]
