"""Conditions and watches checked only after the steps that can change what they read (``when
register == 5``: after rset) stop a run exactly where checking after every step does, forward and
backward, on random looping programs; what each place and condition can be changed by comes from the
opcode table (``OpInfo.writes``)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from random_programs import programs

from avm.core.opcodes import WRITERS, Op
from avm.core.program import Program
from avm.formats.assembler import assemble
from debugger.engine.conditions import parse_condition
from debugger.engine.locations import parse_place
from debugger.engine.session import Session
from debugger.engine.stops import StopReason

LOCATED = ["when register == {k}", "when register != 0", "when register[0] == 1", "when register > {k}",
           "when inbox == {k}", "when errcp == errcp", "when static == 0",
           "when register == {k} or inbox == 1", "if register < {k}"]
WATCHED = ["register", "errcp", "inbox", "static", "register[1]"]
BODY = ["rset {k}", "rpush\n    add 1\n    rset", "rpush\n    pop", "spush\n    tget 0\n    errset",
        "errset @after", "inbox\n    rset", "inbox\n    pop", "push {k}\n    pop", "error", "tget 0", "add 1",
        "dup0\n    rset", "nop"]


def looped(rng: random.Random) -> Program:
    """A loop (through the static codepoint) of random instructions that set the register, the
    error handler and read the inbox, with errors on the way."""
    body = "\n".join("    " + rng.choice(BODY).format(k=rng.randint(0, 6)) for _ in range(rng.randint(3, 14)))
    return assemble(f".static (@loop)\n    push 0\nloop:\n{body}\nafter:\n    spush\n    tget 0\n    jump\n",
                    "loop.s")


def stops(program: Program, inbox: list, specs: list[str], watches: list[str], located: bool,
          runs: int = 40) -> tuple[list, list]:
    """The stops of repeated ``c`` (run_limit 400), then of repeated reverse-continue."""
    session = Session(program, inbox=list(inbox), history_interval=50)
    if not located:     # the reference: conditions and watches checked after every step
        session.breakpoints._check_at = lambda plan: None  # type: ignore[method-assign]
    for spec in specs:
        session.breakpoints.add(spec)
    for w in watches:
        session.watches.add(w)
    assert session._plan().per_step is not located or session.breakpoints._has_runtime_code
    session.run_limit = 400
    forward = []
    for _ in range(runs):
        stop = session.continue_()
        forward.append((stop.step, stop.reason, stop.breakpoint, stop.watch))
        if stop.terminal:
            break
    backward = []
    for _ in range(runs):
        stop = session.reverse_continue()
        backward.append((stop.step, stop.reason, stop.breakpoint, stop.watch))
        if stop.reason is StopReason.START_OF_HISTORY:
            break
    return forward, backward


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_located_checks_stop_where_per_step_checks_do(rng: random.Random) -> None:
    program = looped(rng)
    inbox = [rng.randint(0, 2) for _ in range(rng.randint(0, 30))]
    specs = [rng.choice(LOCATED).format(k=rng.randint(0, 6)) for _ in range(rng.randint(1, 3))]
    watches = rng.sample(WATCHED, rng.randint(0, 2))
    assert stops(program, inbox, specs, watches, True) == stops(program, inbox, specs, watches, False)


@settings(max_examples=40, deadline=None)
@given(programs(), st.sampled_from(LOCATED), st.sampled_from(WATCHED))
def test_the_same_on_the_differential_programs(case, spec: str, watch: str) -> None:
    program, inbox = case
    spec = spec.format(k=1)
    assert stops(program, inbox, [spec], [watch], True, runs=5) == \
        stops(program, inbox, [spec], [watch], False, runs=5)


def test_what_can_change_a_place_or_condition_comes_from_the_opcode_table() -> None:
    assert WRITERS == {"register": {Op.RSET}, "errcp": {Op.ERRSET}, "inbox": {Op.INBOX}}
    assert parse_place("register[2]").changed_by == {Op.RSET}
    assert parse_place("static").changed_by == set() and parse_place("inbox[3]").changed_by == set()
    assert parse_place("s0").changed_by is None and parse_place("pc").changed_by is None
    assert parse_condition("register == 5 and errcp == errcp").changed_by == {Op.RSET, Op.ERRSET}
    assert parse_condition("register == 5 and step > 3").changed_by is None
    assert parse_condition("1 == 2").changed_by == set()


@pytest.mark.parametrize(("spec", "located"), [("when register == 9", True), ("when s0 == 9", False),
                                                ("when step == 9", False)])
def test_only_conditions_on_few_writers_leave_the_fast_path(spec: str, located: bool) -> None:
    session = Session(looped(random.Random(3)))
    session.breakpoints.add(spec)
    plan = session._plan()
    assert plan.per_step is not located
    if located:
        assert plan.check_at is not None
        assert {cp.op for cp in plan.check_at} <= {Op.RSET}
