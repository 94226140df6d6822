"""What a step touched: reads, writes and exact tuple diffs."""

from __future__ import annotations

from machine_builders import program

from avm.core.values import Tuple
from debugger.engine.session import Session
from debugger.engine.touches import PathChange, touches_at, tuple_diff


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
