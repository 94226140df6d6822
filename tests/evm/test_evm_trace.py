"""Time travel over a recorded EVM run: every move is exact and bounded by the trace."""

from __future__ import annotations

from debugger.evm.asm import assemble_evm
from debugger.evm.runner import run_bytecode
from debugger.evm.trace import EvmCursor

LOOP = "PUSH1 3\nloop:\nJUMPDEST\nPUSH1 1\nSWAP1\nSUB\nDUP1\nPUSH @loop\nJUMPI\nSTOP\n"


def test_step_back_goto_and_bounds():
    cur = EvmCursor(run_bytecode(assemble_evm(LOOP).code))
    assert cur.position == 0 and cur.previous is None and cur.next_step.text == "PUSH1 0x03"
    cur.step(3)
    assert cur.state.stack == (3, 1) and cur.last_step.text == "PUSH1 0x01"
    cur.back()
    assert cur.state.stack == (3,)
    assert cur.goto(10_000) == cur.end and cur.at_end and cur.next_step is None
    assert cur.state.stack == (0,)
    assert cur.goto(-5) == 0


def test_continue_and_reverse_continue_to_a_condition():
    prog = assemble_evm(LOOP)
    cur = EvmCursor(run_bytecode(prog.code))
    at_loop = [p for p, st in enumerate(cur.run.states) if st.pc == prog.labels["loop"]]
    assert len(at_loop) == 3                                     # three passes: 3, 2, 1
    def is_loop(st):
        return st.pc == prog.labels["loop"]
    assert [cur.continue_(is_loop) for _ in range(3)] == at_loop
    assert cur.continue_(is_loop) == cur.end                     # no more: the end
    assert [cur.reverse_continue(is_loop) for _ in range(3)] == at_loop[::-1]
    assert cur.reverse_continue(is_loop) == 0
    cur.goto(at_loop[1])
    assert cur.state.stack == (2,)
