"""History of a place: lazy change lists and continue-until-change both ways, against brute force."""

from __future__ import annotations

import itertools
import random

import pytest
from dataflow_programs import random_program, register_loop_source
from machine_builders import program

from avm.core.values import values_equal
from debugger.engine.breakpoints import watch_changed
from debugger.engine.locations import parse_place
from debugger.engine.place_history import (
    Interrupted,
    continue_until_change,
    find_change,
    iter_changes,
    writer_codepoints,
)
from debugger.engine.session import Session, StopReason


def _brute_changes(session: Session, place, start: int, end: int) -> list[tuple[int, object]]:
    m = session.state_at(start)
    old = place.read(m)
    out = []
    while m.steps < end:
        m.step()
        new = place.read(m)
        if watch_changed(old, new):
            out.append((m.steps, new))
            old = new
    return out


@pytest.mark.parametrize("seed", range(8))
def test_changes_match_brute_force_on_random_programs(seed: int) -> None:
    rng = random.Random(100 + seed)
    session = Session(random_program(rng), history_interval=rng.choice([16, 100]))
    session.goto(rng.randrange(300, 2000))
    end = session.history_end
    for text in ("register", "s0", "a0", "s1[0]", "errcp"):
        place = parse_place(text)
        expected = _brute_changes(session, place, 0, end)
        got = [(c.step, c.new) for c in iter_changes(session, place)]
        assert [s for s, _ in got] == [s for s, _ in expected], text
        assert all(a is b or values_equal(a, b) for (_, a), (_, b) in zip(got, expected, strict=True))
        here = rng.randrange(0, end + 1)
        before = [s for s, _ in expected if s < here]
        after = [s for s, _ in expected if s > here]
        back = find_change(session, place, backward=True, origin=here)
        assert (back.step if back else None) == (before[-1] if before else None), (text, here)
        fwd = find_change(session, place, backward=False, origin=here)
        assert (fwd.step if fwd else None) == (after[0] if after else None), (text, here)


def _register_loop(passes: int) -> Session:
    from avm.formats.assembler import assemble

    return Session(assemble(register_loop_source(passes)))


def test_register_history_uses_the_fast_path_and_is_lazy() -> None:
    session = _register_loop(5000)
    session.goto(40_000)
    place = parse_place("register")
    assert writer_codepoints(session, place)
    first = list(itertools.islice(iter_changes(session, place), 3))
    assert [(c.step, c.new) for c in first] == [(2, 0), (6, 1), (14, 2)]
    assert first[0].index == 1 and first[1].index == 5
    assert values_equal(first[0].old, place.read(session.state_at(0)))


def test_continue_until_change_both_ways_and_equals() -> None:
    session = _register_loop(5000)
    session.goto(1000)
    place = parse_place("register")
    stop = continue_until_change(session, place, backward=True)
    assert stop.reason is StopReason.WATCH and session.step == 998
    stop = continue_until_change(session, place, backward=True, equals=10)
    assert session.step == 78 and place.read(session.machine) == 10
    stop = continue_until_change(session, place, equals=100)
    assert session.step == 798 and stop.reason is StopReason.WATCH
    session.goto(0)
    stop = continue_until_change(session, place, backward=True)
    assert session.step == 0 and "no earlier change" in stop.detail


def test_interrupt_stops_a_history_query() -> None:
    session = Session(program(("nop", 1), ("pop",), ("nop", 2), ("pop",), ("halt",)))
    session.goto(4)
    changes = iter_changes(session, parse_place("register"))
    session.interrupt()
    with pytest.raises(Interrupted):
        next(changes)
