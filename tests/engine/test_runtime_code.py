"""Code built at run time (issue 18 #18): a synthetic listing entry names the step that built it, and
its errors say they happened in run-time code."""

from __future__ import annotations

from avm.formats.assembler import assemble
from debugger.engine.session import Session, StopReason


def built(op: int) -> Session:
    return Session(assemble(f"""
    push @done
    push {op:#x}
    pushinsn
    jump
done:
    halt
"""), history_interval=2)


def test_the_pc_in_runtime_code_has_a_synthetic_entry() -> None:
    session = built(0x3B)                      # nop, whose next is `done`
    assert session.runtime_entry() is None     # in the listing
    session.step_forward(4)
    entry = session.runtime_entry()
    assert entry is not None and entry.codepoint is session.machine.pc
    assert (entry.built_at, entry.builder) == (2, 2)
    assert entry.text == "runtime code built at step 2 by #2: nop"
    session.step_forward(2)
    assert session.last_stop is not None and session.last_stop.reason is StopReason.HALTED
    assert session.runtime_entry() is None


def test_an_error_in_runtime_code_says_so() -> None:
    session = built(0xFE)                      # an invalid opcode, built at run time
    stop = session.continue_()
    assert stop.reason is StopReason.ERROR_STOP and stop.where == -1
    [error] = [e for e in session.outputs if e.kind == "error"]
    assert error.index == -1 and error.detail.startswith("runtime code built at step ")
    assert "invalid opcode 0xfe" in error.detail
    entry = session.runtime_entry()
    assert entry is not None and entry.built_at == 2
