"""The side-by-side lesson screen: a lesson's EVM run (py-evm) and AVM run, stepped marker by marker.

Keys (the main screen's where they mean the same): n / space / → / c next marker, b / ← / C previous
marker (both sides, or the focused side alone after tab), s j ↓ / S k ↑ one instruction forward /
back, r or g the start, G the end, 1 2 3 the tabs at narrow widths, p a quiz on the AVM side (predict,
then step), q quit.
Wide terminals (>= WIDE columns) show EVM | note and proofs | AVM; narrower ones show the same three
panes as tabs. Moves run in a worker thread (they are table look-ups plus an AVM replay, well under a
frame) and Esc interrupts the AVM replay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from avm.errors import UserError
from debugger.engine.session import Session
from debugger.evm.pairing import AVM, BOTH, EVM, LessonRun, SideView
from debugger.evm.report import format_growth
from debugger.tui.guard import DismissOnce, while_shown
from debugger.tui.widgets.compare_side import render_proofs, render_side

WIDE = 120
FOCUS_ORDER = (BOTH, EVM, AVM)
FOCUS_TEXT = {BOTH: "both sides", EVM: "EVM alone", AVM: "AVM alone"}


class CompareScreen(DismissOnce, Screen[None]):
    BINDINGS = [
        Binding("n,space,right,c", "marker(1)", "Next marker"),
        Binding("b,left,C", "marker(-1)", "Back a marker"),
        Binding("s,j,down", "single(1)", "Step"),
        Binding("S,k,up", "single(-1)", "Step back"),
        Binding("g", "restart", "Start", show=False),
        Binding("G", "to_end", "End", show=False),
        Binding("tab", "switch_side", "Both / EVM / AVM", priority=True),
        Binding("r", "restart", "Restart"),
        Binding("1", "tab('evm')", "EVM", show=False),
        Binding("2", "tab('avm')", "AVM", show=False),
        Binding("3", "tab('note')", "Note", show=False),
        Binding("escape", "interrupt", "Stop", show=False),
        Binding("p", "quiz", "Predict (quiz)"),
        Binding("q", "quit_lesson", "Quit"),
    ]
    DEFAULT_CSS = """
    CompareScreen { layout: vertical; }
    CompareScreen #cmp-status { height: 1; background: $panel; padding: 0 1; }
    CompareScreen #cmp-wide { height: 1fr; }
    CompareScreen #cmp-wide > VerticalScroll { border: round $foreground 35%; }
    CompareScreen #cmp-wide-evm, CompareScreen #cmp-wide-avm { width: 1fr; }
    CompareScreen #cmp-wide-note { width: 42; }
    CompareScreen #cmp-tabs { height: 1fr; display: none; }
    CompareScreen #cmp-note-line { height: auto; max-height: 4; display: none; padding: 0 1; }
    CompareScreen.narrow #cmp-note-line { display: block; }
    CompareScreen.narrow #cmp-wide { display: none; }
    CompareScreen.narrow #cmp-tabs { display: block; }
    """

    def __init__(self, run: LessonRun) -> None:
        super().__init__()
        self.run = run
        self.side = BOTH
        self.busy = False
        self.last_message = ""
        self._pending: list[tuple[str, int, str]] = []
        self._shown: dict[str, SideView] = {}
        self._growth = format_growth(width=10)

    def compose(self) -> ComposeResult:
        yield Static(id="cmp-status")
        yield Static(id="cmp-note-line")
        with Horizontal(id="cmp-wide"):
            with VerticalScroll(id="cmp-wide-evm"):
                yield Static(id="wide-evm")
            with VerticalScroll(id="cmp-wide-note"):
                yield Static(id="wide-note")
            with VerticalScroll(id="cmp-wide-avm"):
                yield Static(id="wide-avm")
        with TabbedContent(id="cmp-tabs", initial="tab-evm"):
            with TabPane("1 EVM", id="tab-evm"), VerticalScroll():
                yield Static(id="tab-evm-body")
            with TabPane("2 AVM", id="tab-avm"), VerticalScroll():
                yield Static(id="tab-avm-body")
            with TabPane("3 Note & proofs", id="tab-note"), VerticalScroll():
                yield Static(id="tab-note-body")
        yield Footer()

    @while_shown
    def on_mount(self) -> None:
        self.set_class(self.app.size.width < WIDE, "narrow")
        self.show()

    @on(Resize)
    def _resized(self, event: Resize) -> None:
        narrow = event.size.width < WIDE
        if narrow != self.has_class("narrow"):
            self.set_class(narrow, "narrow")
            self.show()

    # ------------------------------------------------------------------ rendering
    def status_text(self) -> str:
        run = self.run
        moving = "busy..." if self.busy else f"moving: {FOCUS_TEXT[self.side]} (tab)"
        where = "start" if run.at_start else ("end" if run.at_end else "")
        lesson = run.lesson
        return f" {lesson.title}  |  {moving}" + (f"  |  {where}" if where else "")

    def show(self) -> None:
        run = self.run
        evm, avm = run.evm_view(), run.avm_view()
        evm_text = render_side(run, EVM, evm, self._shown.get(EVM), self.side == EVM)
        avm_text = render_side(run, AVM, avm, self._shown.get(AVM), self.side == AVM)
        self._shown = {EVM: evm, AVM: avm}
        note = run.note()
        middle = Text()
        if run.at_end:
            same = run.evm_outcome == run.avm_outcome
            middle.append(f"The end. EVM: {run.evm_outcome}   AVM: {run.avm_outcome}   "
                          f"{'same result' if same else 'DIFFERENT results'}\n\n", "bold")
        marker = evm.marker or avm.marker
        middle.append(f"@{marker}\n" if marker and not run.at_start else "", "bold green")
        middle.append((note or "(no note here)") + "\n\n")
        middle.append_text(render_proofs(evm, avm))
        middle.append("\n" + self._growth + "\n", "dim")
        self.query_one("#cmp-status", Static).update(self.status_text())
        marker_text = f"@{marker}: " if marker and not run.at_start else ""
        self.query_one("#cmp-note-line", Static).update(Text(marker_text + (note or "").replace("\n\n", " ")))
        # only the layout on screen is updated (the other one is brought up to date when it shows)
        prefix, suffix = ("tab-", "-body") if self.has_class("narrow") else ("wide-", "")
        self.query_one(f"#{prefix}evm{suffix}", Static).update(evm_text)
        self.query_one(f"#{prefix}avm{suffix}", Static).update(avm_text)
        self.query_one(f"#{prefix}note{suffix}", Static).update(middle)

    # ------------------------------------------------------------------ moves
    @work(thread=True, exclusive=True, group="lesson-move")
    def move(self) -> None:
        """Do the queued moves (keys pressed while a move runs are queued, not lost)."""
        run = self.run
        while self._pending:
            how, n, side = self._pending.pop(0)
            if how == "marker":
                (run.forward if n > 0 else run.back)(side)
            elif how == "single":
                for s in ((EVM, AVM) if side == BOTH else (side,)):
                    run.step(s, n)
            elif how == "end":
                for s in ((EVM, AVM) if side == BOTH else (side,)):
                    run.step(s, 1 << 62)
            else:
                run.restart()
        self.app.call_from_thread(self._moved)

    def _start(self, how: str, n: int = 0) -> None:
        self._pending.append((how, n, self.side))
        if self.busy:
            return
        self.busy = True
        self.query_one("#cmp-status", Static).update(self.status_text())
        self.move()

    def _moved(self) -> None:
        if self._pending:         # queued after the worker's last look
            self.move()
            return
        self.busy = False
        self.show()

    # ---------------------------------------------------------------- the quiz, on the AVM side
    @property
    def session(self) -> Session:
        return self.run.avm

    @property
    def running(self) -> bool:
        return self.busy

    def action_quiz(self) -> None:
        from debugger.tui.screens.quiz import QuizScreen

        def finished(score: str | None) -> None:
            if score:
                self.notify(score, timeout=6)

        self.app.push_screen(QuizScreen(self), finished)

    def start_run(self, label: str, fn: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None:
        """Run ``fn`` (a quiz step on the AVM side) in the worker, then show both sides again."""
        if self.busy:
            return
        self.busy = True
        self._quiz_worker(fn, then)

    @work(thread=True, exclusive=True, group="quiz", exit_on_error=False)
    def _quiz_worker(self, fn: Callable[[], Any], then: Callable[[Any], None] | None) -> None:
        try:
            result, error = fn(), None
        except UserError as err:
            result, error = None, err
        self.app.call_from_thread(self._quiz_done, result, error, then)

    def _quiz_done(self, result: Any, error: UserError | None, then: Callable[[Any], None] | None) -> None:
        self.busy = False
        self.run.step(AVM, 0)                 # the marker position follows the step the quiz ran
        self.show()
        if error is not None:
            self.last_message = str(error)
            self.notify(str(error), severity="warning")
        elif then is not None:
            then(result)

    def action_marker(self, n: int) -> None:
        self._start("marker", n)

    def action_single(self, n: int) -> None:
        self._start("single", n)

    def action_restart(self) -> None:
        self._start("restart")

    def action_to_end(self) -> None:
        self._start("end")

    def action_switch_side(self) -> None:
        self.side = FOCUS_ORDER[(FOCUS_ORDER.index(self.side) + 1) % len(FOCUS_ORDER)]
        self.show()

    def action_tab(self, name: str) -> None:
        self.query_one("#cmp-tabs", TabbedContent).active = f"tab-{name}"

    def action_interrupt(self) -> None:
        self._pending.clear()
        self.run.avm.interrupt()

    def action_quit_lesson(self) -> None:
        self.run.avm.interrupt()
        if len(self.app.screen_stack) > 2 or not isinstance(self.app, CompareApp):
            self.dismiss(None)
        else:
            self.app.exit()


class CompareApp(App[int]):
    """``avm-debug LESSON``: the side-by-side screen on its own."""

    TITLE = "avm-debug lesson"

    def __init__(self, run: LessonRun) -> None:
        super().__init__()
        self.run_pair = run

    def on_mount(self) -> None:
        self.push_screen(CompareScreen(self.run_pair))


def open_lesson(path: str) -> int:
    """Load the lesson and run both sides (errors come out before any screen), then show it."""
    from debugger.evm.lesson import resolve_lesson

    run = LessonRun(resolve_lesson(path))      # a path, or a shipped lesson's name
    app = CompareApp(run)
    app.run()
    return int(app.return_code or 0)


DEFAULT_LESSON = "push_add"


def open_from(screen: Any, name: str | None) -> None:
    """``:lesson [NAME]`` on the main screen: both runs happen in a worker thread, then the lesson screen
    is pushed; a bad name or lesson becomes the screen's warning (``screen.warn``)."""
    from debugger.evm.lesson import resolve_lesson

    app = screen.app

    def load() -> None:
        try:
            run = LessonRun(resolve_lesson(name or DEFAULT_LESSON))
        except UserError as err:
            app.call_from_thread(screen.warn, str(err))
        except Exception as err:  # the TUI never dies from a lesson
            app.call_from_thread(screen.report_crash, err)
        else:
            app.call_from_thread(lambda: app.push_screen(CompareScreen(run)))

    screen.notify(f"opening lesson {name or DEFAULT_LESSON}...")
    screen.run_worker(load, thread=True, group="lesson", exit_on_error=False)
