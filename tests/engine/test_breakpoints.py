"""The condition language, the breakpoint manager and watches (no running here: see test_session)."""

from __future__ import annotations

import pytest

from avm.core.machine import Event, Machine
from avm.core.values import NONE, Tuple
from avm.errors import UserError
from avm.formats.assembler import assemble
from debugger.engine.breakpoints import BreakKind, BreakpointManager, WatchManager, watch_changed
from debugger.engine.conditions import parse_condition

PROGRAM = """
.static (@loop)
start:
    push 7
    push (1, 2)
loop:
    pop
    add 1
    log
    breakpoint
    halt
"""


class FakeState:
    """Only the attributes the condition language reads."""

    def __init__(self, **kw: object) -> None:
        self.steps = 10
        self.gas = 500
        self.gas_used = 25
        self.stack: list = [3, 0x2A]
        self.aux: list = [NONE]
        self.register = 9
        self.pc = type("PC", (), {"index": 4})()
        self.__dict__.update(kw)


@pytest.mark.parametrize("text, expected", [
    ("step == 10", True),
    ("step != 10", False),
    ("gas < 0x1f5 and gas_used >= 25", True),
    ("gas > 500 or depth == 2", True),
    ("not (depth == 2)", False),
    ("!(aux_depth > 1) && top == 42", True),
    ("top == 0x2a || false", True),
    ("top_type == int", True),
    ("top_type == tuple", False),
    ("register <= 9 and register > 8", True),
    ("pc == 4", True),
    ("1_000 == 1000", True),
    ("0xFF == 255", True),
    ("top", True),
    ("true and not false", True),
    ("((step == 10))", True),
])
def test_condition_values(text: str, expected: bool) -> None:
    assert parse_condition(text)(FakeState()) is expected


def test_condition_absent_and_non_integer_values() -> None:
    empty = FakeState(stack=[], register=Tuple((1, 2)))
    assert parse_condition("top == 0")(empty) is False
    assert parse_condition("top != 0")(empty) is True
    assert parse_condition("top < 1")(empty) is False
    assert parse_condition("top")(empty) is False
    assert parse_condition("top_type == int")(empty) is False
    # tuples compare by AVM equality and are never ordered
    assert parse_condition("register == 1")(empty) is False
    assert parse_condition("register > 0")(empty) is False
    same = FakeState(stack=[Tuple((1, 2))], register=Tuple((1, 2)))
    assert parse_condition("top == register")(same) is True
    assert parse_condition("top_type == tuple")(same) is True


@pytest.mark.parametrize("text, column, words", [
    ("step ==", 8, "end of condition"),
    ("step = 5", 6, "use == to compare"),
    ("(gas < 1", 9, "expected ')'"),
    ("foo > 1", 1, "unknown name 'foo'"),
    ("1 < 2 < 3", 7, "do not chain"),
    ("0xzz == 1", 1, "bad integer"),
    ("", 1, "empty condition"),
    ("gas $ 1", 5, "unexpected character '$'"),
    ("gas < 1 2", 9, "unexpected '2'"),
    ("gas < )", 7, "unexpected ')'"),
    ("top == 0x1" + "0" * 64, 8, "256 bits"),
    ("and gas", 1, "unexpected 'and'"),
])
def test_condition_parse_errors_carry_the_column(text: str, column: int, words: str) -> None:
    with pytest.raises(UserError) as info:
        parse_condition(text)
    assert info.value.column == column
    assert words in str(info.value)
    assert f"column {column}" in str(info.value)


def test_condition_is_not_python() -> None:
    for text in ("__import__('os')", "step.__class__", "[1]", "step if 1 else 2", "'a' == 'a'"):
        with pytest.raises(UserError):
            parse_condition(text)


# ---------------------------------------------------------------------- manager
@pytest.fixture()
def manager() -> BreakpointManager:
    return BreakpointManager(assemble(PROGRAM))


def test_add_by_index_label_opcode_condition_event(manager: BreakpointManager) -> None:
    b1 = manager.add("2")
    b2 = manager.add("loop")
    b3 = manager.add("op add")
    b4 = manager.add("when gas < 10")
    b5 = manager.add("log")
    b6 = manager.add("loop if top == 1", one_shot=True)
    b7 = manager.add("opcode halt if depth > 0")
    b8 = manager.add("0x3")
    assert [b.number for b in manager.list()] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert (b1.kind, b1.index) == (BreakKind.INSTRUCTION, 2)
    assert (b2.kind, b2.index, b2.label) == (BreakKind.INSTRUCTION, 2, "loop")
    assert (b3.kind, b3.opcode) == (BreakKind.OPCODE, 0x01)
    assert b4.kind is BreakKind.CONDITION and b4.condition is not None
    assert b5.kind is BreakKind.LOG
    assert b6.one_shot and b6.condition is not None and b6.condition.source == "top == 1"
    assert b7.kind is BreakKind.OPCODE and b7.condition is not None
    assert b8.index == 3
    assert manager.add_event("error").kind is BreakKind.ERROR
    assert manager.add_event("send").kind is BreakKind.SEND
    assert manager.add_event("halt").kind is BreakKind.HALT
    assert [b.number for b in manager.at_index(2)] == [1, 2, 6]
    assert b2.describe() == "#2 at #2 loop"
    assert b3.describe() == "#3 opcode add"
    assert b4.describe() == "#4 when gas < 10"
    assert b5.describe() == "#5 on log"
    assert b6.describe() == "#6 at #2 loop if top == 1 [once]"


@pytest.mark.parametrize("spec, words", [
    ("nowhere", "no label or instruction"),
    ("99", "out of range"),
    ("op frobnicate", "unknown opcode"),
    ("loop when x", "expected 'if CONDITION'"),
    ("when step ==", "column"),
    ("", "empty breakpoint"),
])
def test_bad_breakpoints_are_user_errors(manager: BreakpointManager, spec: str, words: str) -> None:
    with pytest.raises(UserError, match=words):
        manager.add(spec)
    assert len(manager) == 0


def test_enable_delete_toggle_and_one_shot(manager: BreakpointManager) -> None:
    b = manager.add("loop")
    version = manager.version
    manager.enable(b.number, False)
    assert not b.enabled and manager.version > version
    assert "[disabled]" in b.describe()
    manager.enable(b.number)
    manager.hit(b)
    assert b.hits == 1 and "hits 1" in b.describe()
    manager.delete(b.number)
    assert len(manager) == 0
    with pytest.raises(UserError):
        manager.delete(b.number)
    added = manager.toggle_at(3)
    assert added is not None and added.index == 3
    assert manager.toggle_at(3) is None and len(manager) == 0
    once = manager.add("loop", one_shot=True)
    manager.hit(once)
    assert len(manager) == 0 and once.hits == 1
    manager.add("1")
    manager.clear()
    assert manager.list() == []


def test_plan_fast_path_uses_codepoints_and_event_mask(manager: BreakpointManager) -> None:
    program = manager.program
    manager.add("loop")
    manager.add("op add")
    manager.add("log")
    manager.add("halt")
    off = manager.add("start")
    manager.enable(off.number, False)
    plan = manager.plan()
    assert set(plan.stop_at) == {program.code[2], program.code[3]}
    assert plan.stop_events & Event.LOG and plan.stop_events & Event.HALT
    assert plan.stop_events & Event.BREAKPOINT          # the opcode stops runs by default
    assert not plan.per_step
    assert not manager.plan(compiled=False).stop_events & Event.BREAKPOINT
    manager.add("when step > 3")
    assert manager.plan().per_step


def test_opcode_breakpoints_go_per_step_with_run_time_code() -> None:
    manager = BreakpointManager(assemble("errcodepoint\npushinsn 0x3b\nhalt\n"))
    manager.add("op nop")
    plan = manager.plan()
    assert plan.per_step and plan.opcode_bps and not plan.stop_at


def test_compiled_breakpoints_enter_the_plan() -> None:
    program = assemble("push 1\n.break\npop\nhalt\n")
    assert program.compiled_breakpoints == {1}
    plan = BreakpointManager(program).plan()
    assert program.code[1] in plan.stop_at and plan.compiled == {1}


# ---------------------------------------------------------------------- watches
def test_watch_specs_read_the_right_slot() -> None:
    program = assemble(PROGRAM)
    m = Machine.from_program(program)
    m.run(2)                                  # stack: 7, (1, 2)
    watches = WatchManager()
    register = watches.add("register")
    static = watches.add("static")
    bottom = watches.add("stack[0]")
    top = watches.add("s0")
    below = watches.add("s1")
    from_top = watches.add("stack[-1]")
    missing = watches.add("aux[0]")
    missing_top = watches.add("a0")
    assert register.read(m) is NONE
    assert static.read(m) is program.static
    assert bottom.read(m) == 7 and below.read(m) == 7
    assert top.read(m) is m.stack[-1] and from_top.read(m) is m.stack[-1]
    assert missing.read(m) is None and missing_top.read(m) is None
    assert [w.number for w in watches.list()] == [1, 2, 3, 4, 5, 6, 7, 8]
    watches.enable(2, False)
    assert "disabled" in static.describe()
    watches.delete(1)
    assert len(watches) == 7
    for bad in ("regster", "stack[x]", "s", "aux[]", ""):
        with pytest.raises(UserError):
            watches.add(bad)


def test_watch_changed_uses_avm_equality() -> None:
    assert not watch_changed(5, 5)
    assert watch_changed(5, 6)
    assert not watch_changed(Tuple((1, 2)), Tuple((1, 2)))
    assert watch_changed(Tuple((1, 2)), Tuple((2, 1)))
    assert watch_changed(None, 0) and watch_changed(0, None)
    assert not watch_changed(None, None)
