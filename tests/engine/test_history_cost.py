"""Checkpoints by cost (issue 18 #6): stepping back over an expensive instruction re-executes it at
most once, and an interrupt ends a long backward search promptly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from interrupts import interrupt_in_worker
from machine_builders import COUNT_FOREVER, EC_LOOP, EC_PASSES

import avm.core.machine as machine_module
from avm.core.machine import Machine
from avm.core.opcodes import Op
from avm.formats.assembler import assemble
from debugger.engine.history import History
from debugger.engine.session import Session, StopReason


@pytest.fixture()
def ecmul_calls() -> Iterator[list[int]]:
    """Counts executions of ``ecmul`` (the machine's semantics table, restored afterwards)."""
    calls: list[int] = []
    table = machine_module._SEMANTICS
    real = table[Op.ECMUL]
    assert real is not None

    def counted(m: Machine, cp: object) -> object:
        calls.append(m.steps)
        return real(m, cp)  # type: ignore[arg-type]

    table[Op.ECMUL] = counted  # type: ignore[call-overload]
    try:
        yield calls
    finally:
        table[Op.ECMUL] = real


def test_history_takes_a_checkpoint_after_an_expensive_stretch() -> None:
    m = Machine.from_program(assemble(EC_LOOP))
    history = History(m, interval=10**6)
    budget = history.replay_budget
    m.run(3)
    history.extend(m, seconds=budget / 2)              # dear, but less than the replay budget
    assert history.checkpoint_steps() == [0]
    m.run(1)
    history.extend(m, seconds=budget / 2)              # now it adds up
    assert history.checkpoint_steps() == [0, 4]
    m.run(2)
    history.extend(m, seconds=0.0)
    history.rate = 1.0                                 # 2 steps at 1 step/s: 3 s is not unusual
    m.run(2)
    history.extend(m, seconds=3.0)
    assert history.checkpoint_steps() == [0, 4]


def test_stepping_back_over_expensive_instructions(ecmul_calls: list[int]) -> None:
    """The forward run ends a chunk before each ecmul, and the stretch that ran one is far slower than
    usual, so it gets a checkpoint: each step back replays at most one ecmul."""
    session = Session(assemble(EC_LOOP), history_interval=10**6, replay_budget=0.0)  # no step-count cps
    assert session.continue_().reason is StopReason.HALTED
    assert len(ecmul_calls) == EC_PASSES
    while session.step > 0:
        before = len(ecmul_calls)
        session.step_back()
        assert len(ecmul_calls) - before <= 1, f"step back to {session.step} re-ran ecmul more than once"
    before = len(ecmul_calls)
    session.goto(session.history_end - 1)
    assert len(ecmul_calls) - before <= 1




def test_interrupt_ends_a_reverse_search_within_half_a_second() -> None:
    session = Session(assemble(COUNT_FOREVER))
    session.goto(400_000)
    session.breakpoints.add("when register == 0x" + "f" * 60)       # never true: replays everything
    stop = interrupt_in_worker(session, session.reverse_continue)
    assert stop.reason is StopReason.INTERRUPTED and session.step == 400_000


def test_checkpoints_sit_just_before_and_just_after_each_expensive_step(ecmul_calls: list[int]) -> None:
    session = Session(assemble(EC_LOOP), history_interval=10**6, replay_budget=0.0)
    assert session.continue_().reason is StopReason.HALTED
    cps = set(session.history.checkpoint_steps())
    assert ecmul_calls and all(s in cps and s + 1 in cps for s in ecmul_calls)


def test_stops_around_an_expensive_instruction_replay_none(ecmul_calls: list[int]) -> None:
    """Every stop near an ecmul (before, on, after it; reached forwards, backwards, by goto): the stop
    itself re-runs at most one ecmul, and the stop display's previous state and marks re-run none."""
    from debugger.engine.touches import marks_at

    session = Session(assemble(EC_LOOP), history_interval=10**6, replay_budget=0.0)
    assert session.continue_().reason is StopReason.HALTED
    first = ecmul_calls[2]                                   # the state about to run the third ecmul
    for target in range(first - 2, first + 4):
        for move in ("goto", "back", "forward"):
            session.goto(target + 1 if move == "back" else target - 1 if move == "forward" else 0)
            before = len(ecmul_calls)
            if move == "goto":
                session.goto(target)
            elif move == "back":
                session.step_back()
            else:
                session.step_forward()
            assert session.step == target
            ran = len(ecmul_calls) - before
            assert ran <= 1, f"{move} to {target} re-ran ecmul {ran} times"
            before = len(ecmul_calls)
            session.previous_state()
            marks_at(session)
            session.changes()
            assert len(ecmul_calls) == before, f"stop display at {target} ({move}) re-ran ecmul"
