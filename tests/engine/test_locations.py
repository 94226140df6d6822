"""The location language: places in the machine state and instruction locations, and the commands
that use them (watches, conditions, breakpoints)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avm.core.machine import Machine
from avm.core.program import Program
from avm.core.values import CodePoint, Tuple, values_equal
from avm.errors import UserError
from avm.formats.assembler import assemble
from avm.formats.disassembler import disassemble
from debugger.engine import locations
from debugger.engine.breakpoints import BreakKind
from debugger.engine.conditions import MAX_NESTING, parse_condition
from debugger.engine.locations import add_place_provider, parse_instruction, parse_place
from debugger.engine.session import Session, StopReason

NESTED = """
.static (10, (20, 21, (30, 31, 32)))
    push (1, (2, 3), 4)
    push 7
    auxpush
    push 5
    rset (9, 8)
    push 2
    tset
    halt
"""


@pytest.fixture()
def machine() -> Machine:
    m = Machine.from_program(assemble(NESTED), inbox=[11, Tuple((12, 13))])
    m.run(5)            # stack: (1,(2,3),4), 5 ; aux: 7 ; register (9, 8)
    return m


@pytest.mark.parametrize("text, expected", [
    ("s0", 5),
    ("s1[1][0]", 2),
    ("s1[2]", 4),
    ("stack[0][0]", 1),
    ("stack[-1]", 5),
    ("stack1", Tuple((1, Tuple((2, 3)), 4))),
    ("a0", 7),
    ("aux0", 7),
    ("aux[0]", 7),
    ("register[1]", 8),
    ("reg[0]", 9),
    ("static[1][2][2]", 32),
    ("inbox", 11),
    ("inbox[1][1]", 13),
    ("inbox 1", Tuple((12, 13))),
    ("inbox1[0]", 12),
    (" s0 ", 5),
])
def test_places_read_the_state(machine: Machine, text: str, expected: object) -> None:
    assert values_equal(parse_place(text).read(machine), expected)


def test_codepoint_places(machine: Machine) -> None:
    assert parse_place("pc").read(machine) is machine.pc
    for name in ("errcp", "err", "error"):
        value = parse_place(name).read(machine)
        assert isinstance(value, CodePoint) and value is machine.err_handler


@pytest.mark.parametrize("text", ["s2", "a1", "s0[0]", "s1[5]", "s1[1][0][0]", "inbox[7]", "stack[9]"])
def test_absent_places(machine: Machine, text: str) -> None:
    place = parse_place(text)
    assert place.read(machine) is None
    with pytest.raises(UserError, match="does not exist at step 5"):
        place.value(machine)


@pytest.mark.parametrize("text, column, words", [
    ("s0[", 4, "expected a tuple slot"),
    ("s0[1", 5, "expected ']'"),
    ("s0[9]", 4, "tuple slots are 0..7"),
    ("stack", 6, r"expected '\[N\]'"),
    ("nowhere", 1, "unknown place 'nowhere'"),
    ("s0 junk", 4, "unexpected 'junk'"),
    ("9", 1, "expected a place"),
    ("s" + "9" * 5000, 1, "out of range"),
    ("stack[" + "9" * 5000 + "]", 7, "out of range"),
])
def test_place_errors_name_the_column(text: str, column: int, words: str) -> None:
    with pytest.raises(UserError, match=words) as info:
        parse_place(text)
    assert info.value.column == column
    assert "\n" not in str(info.value)


def test_a_provider_adds_named_places(machine: Machine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations, "_PROVIDERS", [])
    seen: list[Program | None] = []

    def globals_provider(program: Program | None, name: str) -> locations.Reader | None:
        seen.append(program)
        return (lambda m: m.register) if name == "counter" else None

    add_place_provider(globals_provider)
    program = machine.program
    assert parse_place("counter[0]", program).read(machine) == 9
    assert seen == [program]
    assert parse_place("s0", program).read(machine) == 5        # built-in names win
    assert parse_condition("counter[1] == 8", program)(machine)
    with pytest.raises(UserError, match="unknown place 'other'"):
        parse_place("other", program)


# ---------------------------------------------------------------------- instructions
LABELLED = """
start:
    push 1
    push @target
    jump
target:
    tset
    halt
"""


def test_instruction_names() -> None:
    program = assemble(LABELLED.replace("    tset\n", "    push 2\n    push (1, 2)\n    tset\n"))
    p = lambda text: parse_instruction(program, text)  # noqa: E731
    assert p("3").index == 3 and p("0x3").index == 3 and p("#3").index == 3 and p("@3").index == 3
    assert (p("target").index, p("target").label) == (3, "target")
    assert p("@target").index == 3
    assert p("L4").index == 4 and p("@L4").index == 4 and p("L4_2").index == 4
    assert p("tset").opcode == 0x51 and p("tset").index is None
    with pytest.raises(UserError, match="is an opcode"):
        parse_instruction(program, "tset", opcodes=False)


def test_disassembler_labels_are_accepted_everywhere() -> None:
    """Issue 18 #9: every L-name the disassembler prints names its instruction."""
    program = assemble(LABELLED)
    program.labels.clear()                    # as a .mexe without labels: the disassembler names them
    text = disassemble(program)
    names = {word.strip("@,():") for word in text.split() if word.strip("@,():").startswith("L")}
    assert names, text
    session = Session(program)
    for name in sorted(names):
        index = int(name[1:].split("_")[0])
        bp = session.breakpoints.add(name)
        assert (bp.kind, bp.index) == (BreakKind.INSTRUCTION, index)
        assert session.breakpoints.add("@" + name).index == index
        assert session.breakpoints.resolve_location(name)[0] == index


@pytest.mark.parametrize("text, words", [
    ("9" * 5000, "out of range"),
    ("0x" + "f" * 5000, "out of range"),
    (str(1 << 300), "out of range"),
    ("99", "out of range"),
    ("nowhere", "no label or instruction 'nowhere'"),
    ("L" + "9" * 5000, "out of range"),
    ("#tset", "no label or instruction"),
])
def test_bad_instruction_names_are_one_line_errors(text: str, words: str) -> None:
    program = assemble(LABELLED)
    with pytest.raises(UserError, match=words) as info:
        program_bp = Session(program).breakpoints
        program_bp.add(text)
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_break_on_a_mnemonic_is_an_opcode_breakpoint() -> None:
    session = Session(assemble(LABELLED))
    bp = session.breakpoints.add("tset if s0 == 1")
    assert bp.kind is BreakKind.OPCODE and bp.condition is not None
    assert session.breakpoints.add("target").kind is BreakKind.INSTRUCTION   # a label wins


# ---------------------------------------------------------------------- conditions and watches
def test_condition_on_stack_slots_stops_the_run() -> None:
    """Issue 18 #10: ``:break 12 if s0 == 2`` uses the same places as watches."""
    session = Session(assemble(NESTED))
    bp = session.breakpoints.add("6 if s0 == 2 and s1 == 5 and s2[1][1] == 3")
    stop = session.continue_()
    assert (stop.reason, stop.breakpoint, session.machine.pc.index) == (StopReason.BREAKPOINT, bp.number, 6)
    assert parse_condition("a0 == 7 && register[0] == 9 && static[1][0] == 20")(session.machine)
    assert parse_condition("s9 == 1 or s0[0] == 1")(session.machine) is False    # absent places


def test_watch_on_a_tuple_path() -> None:
    session = Session(assemble(NESTED))
    w = session.watches.add("register[1]")
    stop = session.continue_()
    assert stop.reason is StopReason.WATCH and stop.watch == w.number
    assert values_equal(session.machine.register, Tuple((9, 8))) and "register[1]" in stop.detail


@pytest.mark.parametrize("text, words", [
    ("(" * 200 + "step" + ")" * 200, "nested too deeply"),
    ("!" * 1000 + "step", "nested too deeply"),
    ("not " * 1000 + "step", "nested too deeply"),
    ("step == " + "9" * 5000, "256 bits"),
    ("step == 0x" + "f" * 5000, "256 bits"),
    ("s" + "9" * 5000 + " == 1", "out of range"),
])
def test_condition_limits_are_clear_errors(text: str, words: str) -> None:
    """Issue 11 F4/F2: deep nesting and huge numbers give one clear line, never RecursionError."""
    with pytest.raises(UserError, match=words) as info:
        parse_condition(text)
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_long_flat_conditions_and_the_nesting_limit_evaluate() -> None:
    m = Machine.from_program(assemble(NESTED))
    chain = " and ".join(["step == 0"] * 5000)
    assert parse_condition(chain)(m) is True
    assert parse_condition(" || ".join(["step == 1"] * 5000) + " || depth == 0")(m) is True
    deep = "(" * MAX_NESTING + "step == 0" + ")" * MAX_NESTING
    assert parse_condition(deep)(m) is True
    assert parse_condition("!" * MAX_NESTING + "true")(m) is True


def test_huge_numbers_through_break() -> None:
    """Issue 11 F2: ``:break``/``--break`` with a huge number is one clear line."""
    session = Session(assemble(LABELLED))
    for spec in ("9" * 5000, "1 if step == " + "9" * 5000, "when gas > " + "9" * 5000):
        with pytest.raises(UserError) as info:
            session.breakpoints.add(spec)
        assert "\n" not in str(info.value)


def test_session_place_value_for_inspect() -> None:
    session = Session(assemble(NESTED), inbox=[11])
    session.step_forward(5)
    assert session.place_value("s1[1][1]") == 3
    assert session.place_value("inbox") == 11
    with pytest.raises(UserError, match="s7 does not exist at step 5"):
        session.place_value("s7")


# ---------------------------------------------------------------------- fuzzing (issue 11: keep the fuzzers)
_PIECES = st.sampled_from(["s0", "s1", "a0", "stack", "aux", "[", "]", "(", ")", "!", "not ", " and ", " or ",
                           "==", "!=", "<", ">=", "0x", "9" * 90, "1", "-", "register", "static", "inbox",
                           "errcp", "pc", "step", "top", " ", "tset", "L1", "@", "#", "if ", "when ", "=",
                           "\n", "é", "'", '"', "_"])
_TEXT = st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=30).map("".join))
_FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(_TEXT)
def test_any_text_is_a_place_or_one_clear_error(text: str) -> None:
    m = Machine.from_program(assemble(NESTED))
    try:
        place = parse_place(text, m.program)
    except UserError as err:
        assert err.column is not None and "\n" not in str(err)
        return
    place.read(m)


@_FUZZ
@given(_TEXT)
def test_any_text_is_a_condition_or_one_clear_error(text: str) -> None:
    m = Machine.from_program(assemble(NESTED))
    try:
        cond = parse_condition(text, m.program)
    except UserError as err:
        assert err.column is not None and "\n" not in str(err)
        return
    assert cond(m) in (True, False)


@_FUZZ
@given(_TEXT)
def test_any_breakpoint_text_is_a_breakpoint_or_one_clear_error(text: str) -> None:
    session = Session(assemble(LABELLED))
    try:
        session.breakpoints.add(text)
    except UserError as err:
        assert "\n" not in str(err)
