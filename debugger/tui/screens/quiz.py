"""Predict, then step: a panel over the bottom of the main screen where the student types what the next
instruction will do; the step runs (in the worker, like every step) and the panel says right or wrong,
with what really happened and what the instruction does. A lesson's ``;?`` question for the instruction
is asked instead (answer yes or no, or type a prediction of your own). Esc ends the quiz with the score.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from avm.errors import UserError
from debugger.engine.display import instruction_text
from debugger.engine.quiz import Quiz, Verdict
from debugger.engine.session import Session
from debugger.tui.guard import DismissOnce, while_shown


class QuizHost(Protocol):
    """The screen a quiz runs over: the main screen, or the AVM side of a lesson screen."""

    last_message: str

    @property
    def session(self) -> Session: ...
    @property
    def running(self) -> bool: ...
    def start_run(self, label: str, fn: Callable[[], Any],
                  then: Callable[[Any], None] | None = None) -> None: ...

HINT = "predict: s0 = 42 · register = 7 · cost = 3 · next = loop · depth > 2 · error · halt"


class QuizScreen(DismissOnce, ModalScreen[str]):
    """Dismisses with the final score text."""

    BINDINGS = [Binding("escape", "finish", "End the quiz", priority=True)]
    DEFAULT_CSS = """
    QuizScreen { align: center bottom; background: transparent; }
    QuizScreen > Vertical { height: auto; width: 100%; border: round $accent; background: $surface;
                            padding: 0 1; }
    QuizScreen #quiz-question { height: auto; }
    QuizScreen #quiz-verdict { height: auto; }
    QuizScreen #quiz-verdict.right { color: $success; }
    QuizScreen #quiz-verdict.wrong { color: $error; }
    """

    def __init__(self, main: QuizHost) -> None:
        super().__init__()
        self.main = main
        self.quiz = Quiz(main.session)
        self.last: Verdict | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="quiz-question", markup=False)
            yield Input(placeholder=HINT, id="quiz-input")
            yield Static("", id="quiz-verdict", markup=False)

    @while_shown
    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "quiz: predict, then step"
        self._ask()
        self.query_one(Input).focus()

    def _ask(self) -> None:
        session = self.main.session
        question = self.quiz.pinned_question()
        upcoming = instruction_text(session.machine.pc, labels=session.program.labels)
        step = f"step {session.step:,}, next: {upcoming}"
        text = (f"{step}\nthe lesson asks: {question} ? (yes / no, or your own prediction)" if question
                else f"{step}\nwhat will it do?")
        self.query_one("#quiz-question", Static).update(text + f"    score: {self.quiz.score_text()}")

    @on(Input.Submitted, "#quiz-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value
        if not text.strip() or self.main.running:
            return
        verdict = self.query_one("#quiz-verdict", Static)
        try:
            self.quiz.validate(text)
        except UserError as err:
            verdict.update(str(err))
            verdict.set_classes("wrong")
            event.input.value = ""              # a rejected answer is not kept: type the next one afresh
            return
        event.input.value = ""
        self.main.start_run("quiz", lambda: self.quiz.answer(text), then=self._judged)

    @while_shown            # the quiz may have been closed while its step ran
    def _judged(self, result: Any) -> None:
        verdict = self.query_one("#quiz-verdict", Static)
        if not isinstance(result, Verdict):        # the step could not run: the main screen said why
            verdict.update(self.main.last_message)
            verdict.set_classes("wrong")
            return
        self.last = result
        mark = "right" if result.correct else "wrong"
        verdict.update(f"{'✓' if result.correct else '✗'} {mark}: {result.actual}.  "
                       f"[{result.instruction}] {result.explanation}")
        verdict.set_classes(mark)
        self._ask()

    def action_finish(self) -> None:
        self.dismiss(f"quiz over: {self.quiz.score_text()}")
