"""Origin of a value: property tests on random programs, against a machine whose stacks log each write."""

from __future__ import annotations

import random

import pytest
from dataflow_programs import last_writes, random_program
from machine_builders import program

from avm.core.values import Tuple, values_equal
from debugger.engine.locations import parse_place
from debugger.engine.provenance import TERMINALS, origin
from debugger.engine.session import Session


def _check_chain(session: Session, o, value) -> None:
    """Every link is what the machine did, checked by identity within one replay: the step of a link
    writes its place with the very object its source place held, and running on from there, that
    object is what the next link (or the query) finds. The chain ends at a terminal."""
    assert o.complete and o.links
    assert o.links[-1].terminal and o.links[-1].kind in TERMINALS
    target_step, target_place = o.at, o.place
    for link in o.links:
        m = session.state_at(link.step)
        if link.kind in ("initial", "static"):
            x = parse_place(link.place).read(m)
        else:
            assert m.pc.index == link.index
            if link.kind == "immediate":
                src = m.pc.imm
                for k in parse_place(link.place).path:
                    src = src.items[k]
            else:
                src = None if link.terminal else parse_place(link.source).read(m)
            m.step()
            x = parse_place(link.place).read(m)
            assert src is None or x is src, link
        while m.steps < target_step:
            m.run(target_step - m.steps)
        assert parse_place(target_place).read(m) is x, link
        assert values_equal(x, value)
        target_step, target_place = link.step, link.source


@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("SEEDS", 12))))
def test_origin_matches_the_machine_on_random_programs(seed: int) -> None:
    rng = random.Random(seed)
    prog = random_program(rng)
    end = rng.randrange(200, 2500)
    session = Session(prog, history_interval=rng.choice([16, 64, 300]))
    session.goto(end)
    for _ in range(3):
        n = rng.randrange(1, session.history_end + 1)
        oracle, data_writes, aux_writes = last_writes(prog, n)
        session.goto(n)
        m = session.machine
        assert all(values_equal(a, b) for a, b in zip(m.stack, oracle.stack, strict=True))
        places = [f"s{k}" for k in range(len(m.stack))] + [f"a{k}" for k in range(len(m.aux))]
        places += ["register"] + [f"s{k}[{i}]" for k in range(min(3, len(m.stack))) for i in range(3)]
        for text in places:
            place = parse_place(text)
            value = place.read(m)
            if value is None:
                continue
            o = origin(session, place, max_links=100_000)
            _check_chain(session, o, value)
            first = o.links[0]
            if text[0] in "sa" and "[" not in text:
                slot = len(m.stack if text[0] == "s" else m.aux) - 1 - int(text[1:])
                expected = (data_writes if text[0] == "s" else aux_writes)[slot]
                assert first.step == expected, (text, first)
            slow = origin(session, place, fast=False, max_links=100_000)
            assert slow.links == o.links
        assert session.step == n


def test_origin_through_aux_register_and_tuples() -> None:
    t = Tuple((10, 20, Tuple((7, 8))))
    prog = program(("nop", t), ("auxpush",), ("nop", 0), ("xget", 2), ("rset",), ("rpush",),
                   ("tget", 1), ("dup0",), ("halt",))
    session = Session(prog)
    session.goto(8)                 # stack [0, 8, 8]
    o = origin(session, parse_place("s0"))
    kinds = [(link.step, link.kind, link.instruction.split()[0], link.source) for link in o.links]
    assert kinds == [(7, "move", "dup0", "s0"), (6, "tget", "tget", "s0[1]"),
                     (5, "move", "rpush", "register[1]"), (4, "move", "rset", "s0[1]"),
                     (3, "tget", "xget", "aux0[2][1]"), (1, "move", "auxpush", "s0[2][1]"),
                     (0, "immediate", "push", "the immediate")]
    _check_chain(session, o, 8)


def test_origin_of_a_slot_kept_by_tset_and_of_a_tset_value() -> None:
    prog = program(("nop", Tuple((1, 2, 3))), ("nop", 99), ("swap1",), ("tset", 0), ("halt",))
    session = Session(prog)
    session.goto(4)
    kept = origin(session, parse_place("s0[1]"))          # slot 1: kept from the immediate tuple
    assert [(link.step, link.kind) for link in kept.links] == [(2, "move"), (0, "immediate")]
    put = origin(session, parse_place("s0[0]"))
    assert [(link.step, link.kind) for link in put.links] == [(3, "tset"), (2, "move"), (1, "immediate")]
    whole = origin(session, parse_place("s0"))
    assert [(link.step, link.kind) for link in whole.links] == [(3, "computed")]


def test_origin_of_static_initial_register_and_inbox() -> None:
    prog = program(("spush",), ("inbox",), ("rpush",), ("halt",), inbox=[Tuple((4, 5))])
    session = Session(prog)
    session.goto(3)
    assert [link.kind for link in origin(session, parse_place("s2")).links] == ["move", "static"]
    assert [link.kind for link in origin(session, parse_place("s1")).links] == ["inbox"]
    assert [link.kind for link in origin(session, parse_place("s0")).links] == ["move", "initial"]


def test_origin_far_back_uses_the_fast_test(counted_loop_session) -> None:
    session = counted_loop_session
    o = origin(session, parse_place("a0"))
    assert o.complete
    assert o.links[0].kind == "move" and o.links[0].instruction == "auxpush"


@pytest.fixture
def counted_loop_session() -> Session:
    from machine_builders import counted_loop_source

    from avm.formats.assembler import assemble

    session = Session(assemble("      push 5\n      auxpush\n" + counted_loop_source(3000)))
    session.goto(20_000)
    return session


def test_origin_of_an_absent_place_and_bad_roots() -> None:
    from avm.errors import UserError

    session = Session(program(("nop", 1), ("halt",)))
    session.goto(1)
    assert origin(session, parse_place("s4")).links == []
    with pytest.raises(UserError):
        origin(session, parse_place("pc"))


def test_origin_is_interruptible() -> None:
    from machine_builders import counted_loop_source

    from avm.formats.assembler import assemble

    session = Session(assemble("      push 5\n" + counted_loop_source(5000)), history_interval=256)
    session.goto(20_000)
    calls = []
    checkpoint_at = session.history.checkpoint_at

    def interrupting(step: int):          # Esc pressed while the search is under way
        calls.append(step)
        if len(calls) == 10:
            session.interrupt()
        return checkpoint_at(step)

    session.history.checkpoint_at = interrupting
    o = origin(session, parse_place("stack[0]"))
    assert not o.complete and o.links == [] and len(calls) == 10
    session.history.checkpoint_at = checkpoint_at
    done = origin(session, parse_place("stack[0]"))
    assert done.complete and [link.kind for link in done.links] == ["immediate"] and done.links[0].step == 0


def test_origin_outside_the_history_is_a_user_error() -> None:
    from avm.errors import UserError

    session = Session(program(("nop", 1), ("halt",)))
    with pytest.raises(UserError, match="outside the recorded history"):
        origin(session, parse_place("s0"), 5)


def test_origin_of_the_error_handler_and_an_inbox_slot() -> None:
    prog = program(("pcpush",), ("errset",), ("inbox",), ("tget", 1), ("halt",), inbox=[Tuple((4, 5))])
    session = Session(prog)
    session.goto(4)
    assert [(link.kind, link.instruction) for link in origin(session, parse_place("errcp")).links] == [
        ("move", "errset"), ("computed", "pcpush")]
    slot = origin(session, parse_place("s0")).links
    assert [(link.kind, link.source) for link in slot] == [("tget", "s0[1]"), ("inbox", "inbox message #0")]
