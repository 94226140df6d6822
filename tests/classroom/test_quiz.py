"""Predict, then step: predictions judged against the machine, lessons' ';?' questions, the score."""

from __future__ import annotations

import pytest

from avm.errors import UserError
from avm.formats.assembler import assemble
from debugger.engine.quiz import Quiz
from debugger.engine.session import Session

LESSON = """\
main:
;? s0 = 3
    push 3
    push 4
    add            ;? s0 = 8
    push 0
    swap1
    div            ; 7 / 0
    halt
"""


def quiz() -> Quiz:
    return Quiz(Session(assemble(LESSON, "lesson.s")))


def test_a_right_and_a_wrong_prediction() -> None:
    q = quiz()
    right = q.answer("s0 = 3")
    assert right.correct and right.step == 0 and right.instruction == "push 3" and "s0 is 3" in right.actual
    wrong = q.answer("s0 == 5")
    assert not wrong.correct and "s0 is 4" in wrong.actual and wrong.explanation
    assert q.score == (1, 2) and q.score_text() == "1 of 2 right"
    assert q.session.step == 2


def test_pinned_questions_from_the_lesson_are_answered_yes_or_no() -> None:
    q = quiz()
    assert q.pinned_question() == "s0 = 3"
    assert q.answer("yes").correct
    assert q.pinned_question() is None
    q.answer("depth = 2")
    assert q.pinned_question() == "s0 = 8"
    verdict = q.answer("yes")                     # 3 + 4 is 7: the teacher's statement is false
    assert not verdict.correct and "s0 is 7" in verdict.actual
    assert q.pinned_question() is None


def test_cost_next_and_error_predictions() -> None:
    q = quiz()
    assert q.answer("cost = 1").correct
    assert q.answer("next = 2").correct
    verdict = q.answer("cost > 3")                 # add costs 3
    assert verdict.correct is False and verdict.actual == "costs 3 ArbGas"
    assert q.answer("s0 = 0").correct              # push 0
    assert q.answer("s1 = 0").correct              # swap1
    verdict = q.answer("error")                    # div by zero is an AVM error
    assert verdict.correct and "raises an AVM error" in verdict.actual
    with pytest.raises(UserError, match="stopped"):  # no error handler: the machine is in ErrorStop
        q.answer("halt")


def test_bad_predictions_are_user_errors_and_do_not_step() -> None:
    q = quiz()
    for text in ("", "s0", "s0 = (", "nosuch = 1", "next = nolabel"):
        with pytest.raises(UserError):
            q.answer(text)
    assert q.session.step == 0 and q.score == (0, 0)


def test_a_question_with_no_instruction_after_it_is_an_assembly_error() -> None:
    with pytest.raises(UserError, match="quiz question ';\\?' with no instruction after it"):
        assemble("    halt\n;? s0 = 1\n", "q.s")
