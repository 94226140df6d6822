"""What a step touched: reads, writes and exact tuple diffs."""

from __future__ import annotations

import random

from dataflow_programs import random_program
from machine_builders import program

import avm.core.machine as machine_module
from avm.core.machine import Status
from avm.core.opcodes import Op
from avm.core.values import Tuple
from debugger.engine.session import Session
from debugger.engine.stops import StopReason
from debugger.engine.touches import PathChange, marks_at, touches_at, tuple_diff


def test_reads_writes_and_diffs_of_a_tset() -> None:
    inner = Tuple((7, 8))
    t = Tuple((10, 20, inner))
    session = Session(program(("nop", t), ("nop", 5), ("swap1",), ("tset", 1), ("auxpush",), ("halt",)))
    session.goto(5)
    tset = touches_at(session, 3)
    assert tset.instruction.startswith("tset") and tset.reads == ["s1", "s0", "immediate"]
    assert tset.writes == ["s0"] and tset.popped == 1
    assert tset.diffs["s0"] == [PathChange((), "new"), PathChange((0,), "shared"),
                                PathChange((1,), "replaced"), PathChange((2,), "shared")]
    swap = touches_at(session, 2)
    assert swap.reads == ["s1", "s0"] and swap.writes == ["s1", "s0"]
    push = touches_at(session, 4)
    assert push.reads == ["s0"] and push.writes == ["aux0"]
    here = touches_at(session, 5)           # the step about to run (halt) is probed on a copy
    assert here.writes == [] and session.step == 5


def test_dup_and_swap2_write_only_what_they_change() -> None:
    session = Session(program(("nop", 1), ("nop", 2), ("nop", 3), ("swap2",), ("dup1",), ("halt",)))
    session.goto(5)
    assert touches_at(session, 3).writes == ["s2", "s0"]
    assert touches_at(session, 4).writes == ["s0"] and touches_at(session, 4).reads == ["s1"]


def test_an_error_writes_nothing_but_pops() -> None:
    session = Session(program(("nop", 1), ("nop", 2), ("tget",), ("halt",)))
    session.goto(3)
    bad = touches_at(session, 2)
    assert bad.errored and bad.writes == [] and bad.popped == 2


def test_tuple_diff_nested_and_limits() -> None:
    shared = Tuple((1, 2))
    old = Tuple((shared, Tuple((3, 4)), 5))
    new = Tuple((shared, Tuple((3, 9)), 5))
    assert tuple_diff(old, new) == [
        PathChange((), "new"), PathChange((0,), "shared"), PathChange((1,), "new"),
        PathChange((2,), "shared"),
        PathChange((1, 0), "shared"), PathChange((1, 1), "replaced")]
    assert tuple_diff(old, old) == [PathChange((), "shared")]
    assert tuple_diff(None, new) == [PathChange((), "added")]
    assert len(tuple_diff(old, new, limit=2)) == 2


def _marks_by_running(session: Session) -> dict[str, str]:
    """The marks as the stack panes first drew them: both steps run again on copies (the oracle)."""
    out: dict[str, str] = {}
    if session.step > session.history.start:
        out = {name: "w" for name in touches_at(session, session.step - 1).writes}
    m = session.machine
    if m.status == Status.EXTENSIVE and not m.blocked:
        for name in touches_at(session, session.step).reads:
            if name != "immediate":
                out[name] = "r" + out.get(name, "")
    return out


def test_marks_agree_with_running_the_steps_again() -> None:
    """Errors (looping back through errset), dups, aux moves, tuples: every state of random programs."""
    for seed in range(6):
        session = Session(random_program(random.Random(seed)))
        for _ in range(150):
            assert marks_at(session) == _marks_by_running(session), (seed, session.step)
            if session.step_forward(1).reason is not StopReason.STEP:
                break


def test_marks_never_run_an_expensive_instruction() -> None:
    """The stack panes draw the marks on the UI thread: an ``ecpairing`` of seconds there froze the
    screen (and quitting) at every stop before and after one. Here an ``ecmul`` is counted."""
    twice_g = ("nop", 2), ("nop", 2), ("nop", 1)            # 2·(1, 2), then 1·(1, 1): not on the curve
    bad = ("nop", 1), ("nop", 1), ("nop", 1)
    code = program(*twice_g, ("ecmul",), ("pop",), ("pop",), *bad, ("ecmul",), ("halt",))
    session = Session(code, history_interval=1)   # every state kept: only the marks could run ecmul
    calls = [0]
    real = machine_module._SEMANTICS[Op.ECMUL]
    assert real is not None

    def counted(m: machine_module.Machine, cp: object) -> object:
        calls[0] += 1
        return real(m, cp)  # type: ignore[arg-type]

    def marks() -> dict[str, str]:
        before = calls[0]
        out = marks_at(session)
        assert calls[0] == before, f"the marks at step {session.step} ran ecmul"
        return out

    machine_module._SEMANTICS[Op.ECMUL] = counted  # type: ignore[call-overload]
    try:
        session.goto(3)                                       # ecmul about to run
        assert marks() == {"s0": "rw", "s1": "r", "s2": "r"}
        session.step_forward(1)                               # it ran: wrote x and y
        assert calls[0] == 1 and marks() == {"s0": "rw", "s1": "w"}   # pop reads s0
        session.goto(9)                                       # the second ecmul: an invalid point
        assert marks() == {"s0": "rw", "s1": "r", "s2": "r"}
        session.step_forward(1)
        assert session.machine.status == Status.ERRORSTOP and marks() == {}
        session.step_back(1)
        assert marks() == {"s0": "rw", "s1": "r", "s2": "r"}
    finally:
        machine_module._SEMANTICS[Op.ECMUL] = real  # type: ignore[call-overload]
