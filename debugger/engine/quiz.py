"""Predict, then step: a student types what the next instruction will do, the step runs, and the answer
is judged against the machine.

A prediction is one of
  ``error`` / ``halt`` / ``blocked``  the step raises an AVM error / halts / blocks on an empty inbox;
  ``cost = N``                        the step costs N ArbGas;
  ``next = LABEL|INDEX``              the instruction that runs next (``pc`` is a synonym of ``next``);
  ``EXPR = VALUE`` (or ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``)  any comparison of the condition
                                      language (``s0 = 42``, ``register[1] = 7``, ``depth > 2``), judged on
                                      the state after the step.
Lessons pin questions to an instruction with a ``;?`` note (``;? s0 = 42``): when the pc reaches it, the
quiz asks that question and judges the student's answer by the same rules, ``yes``/``no`` against the
teacher's prediction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from avm.core.machine import Event, Machine, Status
from avm.errors import UserError
from avm.teach.explain import explanation_for
from debugger.engine.conditions import parse_condition, parse_expression
from debugger.engine.display import instruction_text, summary
from debugger.engine.locations import instruction_index
from debugger.engine.session import Session

_SINGLE_EQUALS = re.compile(r"(?<![=!<>])=(?!=)")
_COMPARISON = re.compile(r"(==|!=|<=|>=|<|>)")
_WORDS = {"error": "raises an AVM error", "halt": "halts", "blocked": "blocks on an empty inbox"}
_YES = {"y", "yes", "true", "right"}
_NO = {"n", "no", "false", "wrong"}


@dataclass
class Verdict:
    """One judged prediction."""

    prediction: str
    correct: bool
    actual: str          # what really happened, in words
    step: int            # the step that ran (state ``step`` -> ``step + 1``)
    instruction: str     # its text (``push 3``)
    explanation: str     # what the instruction does


Judge = Callable[[Machine, Machine, int], tuple[bool, str]]   # before, after, events -> (right?, actual)


def _event_judge(word: str) -> Judge:
    def judge(before: Machine, after: Machine, ev: int) -> tuple[bool, str]:
        happened = {"error": bool(ev & Event.ERROR), "halt": after.status == Status.HALTED,
                    "blocked": bool(ev & Event.BLOCKED)}
        said = [w for w, yes in happened.items() if yes]
        actual = " and ".join(_WORDS[w] for w in said) if said else "runs without an error"
        return happened[word], actual
    return judge


def parse_prediction(text: str, session: Session) -> Judge:
    """Compile a prediction (``UserError`` with the column on bad text; nothing runs)."""
    source = text.strip()
    word = source.lower()
    if word in _WORDS:
        return _event_judge(word)
    if not source:
        raise UserError("type a prediction: s0 = 42, register = 7, cost = 3, next = loop, error, halt")
    left, sep, right = _split(source)
    name = left.lower()
    if name == "cost":
        expected = _number(right, source)

        def cost(before: Machine, after: Machine, ev: int) -> tuple[bool, str]:
            spent = after.gas_used - before.gas_used
            return _compare(sep, spent, expected), f"costs {spent} ArbGas"
        return cost
    if name in ("next", "pc"):
        target = instruction_index(session.program, right.strip())

        def nxt(before: Machine, after: Machine, ev: int) -> tuple[bool, str]:
            index = after.pc.index
            where = session.program.labels.get(index)
            shown = f"#{index}" + (f" ({where})" if where else "") if index >= 0 else "code built at run time"
            return _compare(sep, index, target), f"next runs {shown}"
        return nxt
    condition = parse_condition(f"{left} {sep} {right}", session.program)
    value = parse_expression(left, session.program)

    def compare(before: Machine, after: Machine, ev: int) -> tuple[bool, str]:
        actual = value(after)
        shown = "nothing (absent)" if actual is None else summary(actual)
        return condition(after), f"{left.strip()} is {shown}"
    return compare


def _split(source: str) -> tuple[str, str, str]:
    text = _SINGLE_EQUALS.sub("==", source, count=1)
    match = _COMPARISON.search(text)
    if match is None:
        raise UserError(f"{source!r}: expected NAME = VALUE (or error, halt, blocked)")
    return text[:match.start()].strip(), match.group(1), text[match.end():].strip()


def _number(text: str, source: str) -> int:
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:
        raise UserError(f"{source!r}: {text!r} is not a number") from None


def _compare(op: str, a: int, b: int) -> bool:
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


@dataclass
class Quiz:
    """A quiz over a session: each :meth:`answer` judges a prediction by running one step."""

    session: Session
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def score(self) -> tuple[int, int]:
        return sum(v.correct for v in self.verdicts), len(self.verdicts)

    def score_text(self) -> str:
        right, asked = self.score
        return f"{right} of {asked} right" if asked else "no answers yet"

    def pinned_question(self) -> str | None:
        """The lesson's ``;?`` question for the instruction about to run, if any."""
        index = self.session.machine.pc.index
        return self.session.program.questions.get(index) if index >= 0 else None

    def _judge_for(self, text: str) -> tuple[Judge, bool, str]:
        question = self.pinned_question()
        reply = text.strip().lower()
        if question is not None and reply in _YES | _NO:
            return parse_prediction(question, self.session), reply in _YES, f"{question}? {reply}"
        return parse_prediction(text, self.session), True, text.strip()

    def validate(self, text: str) -> None:
        """Raise ``UserError`` when ``text`` is not a prediction; nothing runs."""
        self._judge_for(text)

    def answer(self, text: str) -> Verdict:
        """Judge ``text`` for the next step and run it. For a pinned question, ``yes``/``no`` answer
        the teacher's prediction; anything else is a prediction of its own."""
        judge, expect_true, prediction = self._judge_for(text)
        session = self.session
        if session.machine.status != Status.EXTENSIVE:
            raise UserError("the machine has stopped: there is no next step to predict")
        before = session.machine.clone()
        step = session.step
        ev = before.clone().step()
        session.step_forward(1)
        after = session.machine
        holds, actual = judge(before, after, int(ev))
        entry = explanation_for(before.pc.op)
        explanation = entry.summary
        if before.pc.imm is not None:          # `push 3` is nop with an immediate; `add 1` adds it
            explanation = ("puts its immediate value on the data stack" if entry.name == "nop"
                           else "its immediate is pushed first, then: " + entry.summary)
        verdict = Verdict(prediction, holds == expect_true, actual, step,
                          instruction_text(before.pc, labels=session.program.labels), explanation)
        self.verdicts.append(verdict)
        return verdict
