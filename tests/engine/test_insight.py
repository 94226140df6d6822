"""Call stack, gas profile, last-step changes and trace export."""

from __future__ import annotations

import io
import json
from pathlib import Path

from avm.core.machine import Machine
from avm.formats.assembler import assemble
from avm.formats.mexe import load_mexe
from debugger.engine.insight import diff_states, export_trace
from debugger.engine.loading import load_program
from debugger.engine.session import Session
from debugger.resources import samples_dir


def calls() -> Session:
    return Session(load_program(samples_dir() / "calls.s"), history_interval=8)


def test_call_stack_from_aux_codepoints() -> None:
    session = calls()
    labels = {name: idx for idx, name in session.program.labels.items()}
    session.breakpoints.add("fact_base")
    session.continue_()
    frames = session.call_stack()
    assert frames[0].level == 0 and frames[0].function == "fact_base"
    assert frames[0].index == labels["fact_base"]
    assert [f.function for f in frames[1:]] == ["fact_ret"] * 5 + ["ret3"]
    assert frames[-1].index == labels["ret3"] and frames[-1].aux_position == 0
    assert frames[1].location is not None and frames[1].location.line > 0
    assert frames[0].describe().startswith("#0 fact_base at #")
    assert "returns to" in frames[1].describe()
    session.continue_()
    assert len(session.call_stack()) == 1


def test_gas_profile_totals_groups_and_increments() -> None:
    session = calls()
    session.continue_()
    total_steps = session.step
    profile = session.gas_profile()
    assert profile.steps == total_steps and profile.complete
    assert sum(profile.counts.values()) == total_steps
    assert profile.total_gas == session.machine.gas_used
    functions = {name: (n, gas) for name, n, gas in profile.by_function()}
    assert functions["square"] == (2 * 4, 2 * (1 + 3 + 1 + 4))    # dup0, mul, auxpop, jump
    assert sum(n for n, _ in functions.values()) == total_steps
    lines = profile.by_line()
    assert all(key.split(":")[-1].isdigit() for key, _, _ in lines)
    assert sum(n for _, n, _ in lines) == total_steps
    opcodes = dict((name, n) for name, n, _ in profile.by_opcode())
    assert opcodes["halt"] == 1 and opcodes["mul"] == 2 + 5
    top = profile.by_instruction()[0]
    assert top[2] == max(profile.gas.values())
    # extending a profile gives the same as computing it at once; going back recomputes
    other = calls()
    other.continue_()
    other.goto(20)
    part = other.gas_profile()
    assert part.steps == 20 and sum(part.counts.values()) == 20
    other.goto(total_steps)
    assert other.gas_profile().counts == profile.counts
    other.goto(10)
    assert sum(other.gas_profile().counts.values()) == 10


def test_gas_profile_of_compiler_output_uses_source_lines(conformance_dir: Path) -> None:
    program = load_mexe(conformance_dir / "arbos-tests" / "looptest_upgrade2_base.mexe")
    session = Session(program)
    session.step_forward(200)
    profile = session.gas_profile()
    keys = [key for key, _, _ in profile.by_line()]
    assert any(key != "(no location)" and ":" in key for key in keys)
    assert profile.total_gas == session.machine.gas_used


def test_changes_of_the_last_step() -> None:
    session = Session(assemble("push 7\npush 8\nrset\nauxpush\nerrset @h\npop\npush 1\nh:\n    halt\n"))
    assert not session.changes().any
    session.step_forward()
    ch = session.changes()
    assert ch.stack_new == [0] and ch.stack_popped == 0 and ch.gas == -1 and ch.gas_used == 1
    session.step_forward()
    session.step_forward()                        # rset 8
    ch = session.changes()
    assert ch.register and ch.stack_popped == 1 and ch.stack_new == []
    session.step_forward()                        # auxpush 7
    ch = session.changes()
    assert ch.aux_new == [0] and ch.stack_popped == 1
    session.step_forward()                        # errset
    assert session.changes().err_handler
    session.step_forward()                        # pop -> underflow error -> handler
    ch = session.changes()
    assert ch.jumped and ch.gas_used == 5 and session.changes() is ch       # cached per step
    prev = session.state_at(session.step - 1)
    assert diff_states(prev, session.machine).gas_used == session.machine.gas_used - prev.gas_used
    session.continue_()
    assert session.changes().status


def test_export_trace_jsonl() -> None:
    session = calls()
    session.continue_()
    out = io.StringIO()
    n = session.export_trace(out, start=5, end=15, hashes=True)
    assert n == 11
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["step"] for r in records] == list(range(5, 16))
    m = Machine.from_program(session.program)
    m.run(5)
    first = records[0]
    assert first["pc"] == m.pc.index and first["gas"] == m.gas and first["gas_used"] == m.gas_used
    assert first["hash"] == "0x" + m.machine_hash().hex()
    assert first["depth"] == len(m.stack)
    m.run(10)
    assert records[-1]["hash"] == "0x" + m.machine_hash().hex()
    assert {"op", "top", "aux_depth"} <= set(first)
    plain = io.StringIO()
    assert export_trace(session, plain, 0, 3) == 4
    assert "hash" not in json.loads(plain.getvalue().splitlines()[0])


def test_export_trace_to_a_file(tmp_path: Path) -> None:
    session = calls()
    session.step_forward(10)
    path = tmp_path / "trace.jsonl"
    assert session.export_trace(path) == 11            # the whole history: states 0..10
    assert len(path.read_text().splitlines()) == 11


def test_gas_profile_going_back_resumes_from_a_saved_state(monkeypatch) -> None:
    import debugger.engine.insight as insight

    monkeypatch.setattr(insight, "PROFILE_SNAPSHOT_EVERY", 10)
    session = calls()
    session.continue_()
    full = session.gas_profile()
    cache = session.profile_cache
    assert len(cache.snapshots) >= 3
    for upto in (57, 25, 3, full.steps):
        session.goto(upto)
        got = session.gas_profile()
        fresh = calls()
        fresh.goto(upto)
        expected = fresh.gas_profile()
        assert (got.steps, got.counts, got.gas) == (expected.steps, expected.counts, expected.gas)
