"""The stop judge (one rule for forward and backward runs), stops as data, and run-to by time."""

from __future__ import annotations

import pytest
from machine_builders import counted_loop_source

from avm.formats.assembler import assemble
from debugger.engine.session import Session
from debugger.engine.stops import Stop, StopReason

LOOP = """
.static (@loop)
    push 0
loop:
    add 1
    dup0
    dup0
    rset
    log
    dup0
    eq 12
    iszero
    spush
    tget 0
    cjump
    halt
"""
# 0 push 0 | 1 add (loop) | 2 dup0 | 3 dup0 | 4 rset | 5 log | 6 dup0 | 7 eq 12 | 8 iszero | 9 spush |
# 10 tget 0 | 11 cjump | 12 halt ; one pass = 11 steps


def _session(interval: int = 8) -> Session:
    return Session(assemble(LOOP), history_interval=interval)


def _setups(session: Session) -> None:
    session.breakpoints.add("7 if s0 == 5")
    session.breakpoints.add("when register == 9")
    session.watches.add("register")
    session.breakpoints.add("op tget if s0 == 11")


@pytest.mark.parametrize("interval", [3, 8, 1000])
def test_forward_and_backward_runs_stop_at_the_same_states(interval: int) -> None:
    """Continue from the start and reverse-continue from the end visit the same stops, whatever the
    checkpoint segments: both ask the same judge."""
    session = _session(interval)
    _setups(session)
    forward: list[tuple[int, StopReason, int | None, int | None]] = []
    while True:
        stop = session.continue_()
        if stop.terminal:
            break
        forward.append((stop.step, stop.reason, stop.breakpoint, stop.watch))
    backward = []
    while True:
        stop = session.reverse_continue()
        if stop.reason is StopReason.START_OF_HISTORY:
            break
        backward.append((stop.step, stop.reason, stop.breakpoint, stop.watch))
    assert len(forward) > 10
    assert {s[0] for s in backward} == {s[0] for s in forward}
    assert [s[:2] for s in backward[::-1]] == [s[:2] for s in forward]


def test_stops_are_data() -> None:
    session = _session()
    stop = session.step_forward()
    assert (stop.quiet, stop.final, stop.terminal, stop.where) == (True, False, False, 1)
    session.breakpoints.add("log")
    stop = session.continue_()
    assert (stop.reason, stop.quiet, stop.final, stop.where) == (StopReason.BREAKPOINT, False, False, 6)
    session.breakpoints.clear()
    stop = session.continue_()
    assert (stop.reason, stop.terminal, stop.final, stop.where) == (StopReason.HALTED, True, True, 12)
    assert stop.text == f"halted: halted after {stop.step:,} steps"
    back = session.goto(0)
    assert back.final and back.quiet
    assert Stop(StopReason.INTERRUPTED, "", 3).final


# ---------------------------------------------------------------------- run to, by time
def test_run_to_goes_forward_to_the_next_time_the_instruction_runs() -> None:
    """Issue 18 #2: the direction is time, not the listing index."""
    session = Session(assemble(counted_loop_source(50)))
    top = session.program.code[1]                    # the loop head (pcpush), index 1
    session.goto(40)                                 # somewhere inside a later pass
    here = session.machine.pc.index
    assert here > top.index
    stop = session.run_to(top.index)
    assert stop.reason is StopReason.TARGET and session.machine.pc is top and session.step > 40
    assert stop.detail == f"reached #1 at step {session.step:,}"
    after = session.step
    back = session.run_to(1, direction=-1)           # the previous time: one pass earlier
    assert back.reason is StopReason.TARGET and session.machine.pc is top and back.step < after
    assert session.run_to(1).step == after


def test_run_to_never_runs_again_stays_put() -> None:
    session = Session(assemble(counted_loop_source(5)))
    session.goto(20)
    origin, outputs = session.step, len(session.outputs)
    stop = session.run_to(0)                         # `push 5` runs only at step 0
    assert stop.reason is StopReason.NOT_FOUND and stop.final and session.step == origin
    assert "does not run again" in stop.detail and "halts at step" in stop.detail
    assert len(session.outputs) >= outputs
    back = session.run_to(12, direction=-1)          # `halt` never ran before
    assert back.reason is StopReason.NOT_FOUND and session.step == origin
    assert "did not run before step 20" in back.detail
    assert session.run_to(0, direction=-1).step == 0  # ran at the very start


def test_run_to_is_stopped_by_breakpoints_on_the_way() -> None:
    session = _session()
    session.breakpoints.add("log")
    stop = session.run_to(12)
    assert stop.reason is StopReason.BREAKPOINT and session.machine.pc.index == 6   # after the log
