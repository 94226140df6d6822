"""Lesson files: every shipped lesson halts on both sides with its stated result; parse errors; the
paired stepping; ``avm-debug compare``."""

from __future__ import annotations

import pytest

from avm.core.machine import Machine
from avm.errors import UserError
from debugger.cli.main import main
from debugger.evm.lesson import load_lesson, parse_lesson
from debugger.evm.pairing import AVM, EVM, LessonRun, avm_outcome
from debugger.resources import lesson_names, lesson_path

TOPICS = {"push_add", "gas_loop", "memory", "storage", "stack_depth", "revert", "call_return", "keccak"}


def _lesson(name: str):
    return load_lesson(str(lesson_path(name + ".lesson")))


def test_the_shipped_lessons_cover_the_usual_evm_introduction():
    assert {n.removesuffix(".lesson") for n in lesson_names()} >= TOPICS


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_both_sides_end_with_the_lesson_result(name):
    lesson = _lesson(name)
    run = LessonRun(lesson)
    assert run.evm_outcome == lesson.result
    assert run.avm_outcome == lesson.result
    m = Machine.from_program(lesson.avm, [])      # the AVM side, on the machine alone
    while not m.status:
        m.run(1_000_000)
    assert avm_outcome(m) == lesson.result and m.steps == run.avm_stops[-1]


def test_markers_step_both_sides_together_and_back():
    run = LessonRun(_lesson("push_add"))
    assert run.at_start and "stack machines" in run.note()
    seen = []
    while not run.at_end:
        run.forward()
        seen.append((run.evm_marker(), run.avm_marker()))
    assert seen == [("push", "push"), ("add", "add"), ("mul", "mul"), ("done", "done"), (None, None)]
    assert run.evm_view().stack == ["16"] and run.avm_view().stack[0].startswith("16")
    run.back()
    assert (run.evm_marker(), run.avm_marker()) == ("done", "done")
    assert "16" in run.note()


def test_first_markers_meet_even_when_one_side_has_setup_code():
    run = LessonRun(_lesson("gas_loop"))          # AVM: setgas before the loop, EVM: loop at pc 0
    run.forward()
    assert (run.evm_marker(), run.avm_marker()) == ("loop", "loop")
    assert run.evm.position == 0 and run.avm.step == 1
    run.forward()
    assert (run.evm_marker(), run.avm_marker()) == ("jump", "jump")


def test_one_side_alone():
    run = LessonRun(_lesson("call_return"))
    run.forward(EVM)
    run.forward(EVM)
    assert run.evm_marker() == "enter" and run.avm.step == 0
    run.forward(AVM)
    assert run.avm_marker() == "call"
    run.step(AVM, 3)
    assert run.avm.machine.pc.index == 6 and run.avm_marker() == "enter"   # jumped to square
    run.back(EVM)
    assert run.evm_marker() == "call"
    run.step(EVM, -5)
    assert run.evm.position == 0


def test_proofs_are_shown_for_each_side():
    run = LessonRun(_lesson("storage"))
    while run.evm_marker() != "sload0":
        run.forward()
    ev = run.evm_view()
    assert ev.instruction == "PUSH0"
    run.step(EVM)
    proof = run.evm_view().proof
    assert proof is not None and proof.parts["storage"] > 0 and proof.parts["account"] > 0
    assert run.avm_view().proof is not None and run.avm_view().proof.total > 0


LESSON = """title: t
result: halt 3
=== note add
adding
=== evm
    PUSH1 1
    PUSH1 2     ;@ add
    ADD
=== avm
    push 1
    push 2      ;@ add
    add
    halt
"""


def test_a_lesson_from_text():
    lesson = parse_lesson(LESSON, "t.lesson")
    assert lesson.evm.markers == {2: "add"} and lesson.avm_markers == {1: "add"}
    assert lesson.notes == {"add": "adding"} and LessonRun(lesson).avm_outcome == "halt 3"


@pytest.mark.parametrize("change, where, text", [
    (("    PUSH1 2     ;@ add\n", "    PUSH1 2\n"), "t.lesson:", "marker 'add' is missing on the evm side"),
    (("    ADD\n", "    ADDX\n"), "t.lesson:8:5:", "unknown EVM mnemonic"),
    (("    add\n", "    addx\n"), "t.lesson:12:5:", "unknown mnemonic"),
    (("=== note add", "=== note sub"), "t.lesson:3:1:", "note for unknown marker 'sub'"),
    (("result: halt 3", "result: maybe"), "t.lesson:", "result: halt N"),
    (("=== avm", "=== xvm"), "t.lesson:9:5:", "unknown section"),
    (("title: t", "tittle: t"), "t.lesson:1:1:", "expected 'title:'"),
])
def test_lesson_errors_name_the_lesson_line(change, where, text):
    with pytest.raises(UserError) as err:
        parse_lesson(LESSON.replace(*change), "t.lesson")
    assert str(err.value).startswith(where) and text in str(err.value)


def test_compare_prints_the_table(capsys):
    assert main(["compare", "push_add", "--max-rows", "3"]) == 0
    out = capsys.readouterr().out
    assert "@add" in out and "EVM  step 2" in out and "AVM  step 2" in out
    assert "same result" in out and "more marker stops" in out


def test_compare_exit_1_when_the_sides_disagree(tmp_path, capsys):
    wrong = tmp_path / "wrong.lesson"
    wrong.write_text(LESSON.replace("    PUSH1 2     ;@ add", "    PUSH1 3     ;@ add"))
    assert main(["compare", str(wrong)]) == 1
    assert "DIFFERENT RESULTS" in capsys.readouterr().out


def test_compare_proof_table(capsys):
    assert main(["compare", "push_add", "storage", "--proofs"]) == 0
    out = capsys.readouterr().out
    assert "push_add" in out and "storage" in out and "storage slots" in out


def test_compare_bad_input_is_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.lesson"
    bad.write_text(LESSON.replace("    ADD\n", "    ADDX\n"))
    assert main(["compare", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{bad}:8:5:" in err
    assert main(["compare", str(tmp_path / "missing.lesson")]) == 2


def test_opening_a_bad_lesson_fails_before_any_screen(tmp_path, capsys):
    bad = tmp_path / "bad.lesson"
    bad.write_text(LESSON.replace("    add\n", "    addx\n"))
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:12:5: unknown mnemonic" in err and "Traceback" not in err
    assert main([str(tmp_path / "none.lesson")]) == 2
    assert "no such file" in capsys.readouterr().err
