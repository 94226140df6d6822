"""The classroom actions of the main screen: edit and rerun, a new program, the quiz, session files,
bookmarks and screenshots. A mixin so that :mod:`debugger.tui.screens.main` stays about debugging; the
registry names these ``do_*`` actions like any other."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from avm.errors import UserError
from avm.formats.disassembler import disassemble
from debugger.engine.session_file import SUFFIX, rerun, save_session

# the screens these actions open are imported when first opened: not on the way to the first frame
if TYPE_CHECKING:
    from debugger.engine.session import Session
    from debugger.tui.screens.editor import Saved


class ClassroomActions:
    """Mixed into MainScreen (which provides ``session``, ``program_name``, ``app``, ``notify``...)."""

    if TYPE_CHECKING:   # provided by the screen; declared for the type checker only
        session: Session
        program_name: str
        app: Any

        def notify(self, message: str, **kwargs: Any) -> None: ...
        def goto_step(self, step: int) -> None: ...
        def execute(self, command_id: str, args: str | None = None) -> None: ...
        def post_message(self, message: Message) -> bool: ...
        async def adopt(self, session: Session, program_name: str) -> None: ...

    # ------------------------------------------------------------------ edit and rerun
    def do_edit(self) -> None:
        from debugger.tui.screens.editor import EditorScreen, edit_target

        program = self.session.program
        path = Path(program.path or self.program_name)
        if path.suffix.lower() == ".mexe":
            target = edit_target(path)
            self.app.push_screen(EditorScreen(disassemble(program), target,
                                              note=f"(disassembly of {path.name}, saved as a new .s)"),
                                 self._edited)
            return
        text = path.read_text(encoding="utf-8") if path.is_file() else (program.source_text or "")
        target = edit_target(path)
        note = f"(a copy of the shipped sample {path.name})" if target != path else ""
        self.app.push_screen(EditorScreen(text, target, note=note), self._edited)

    def do_new_program(self) -> None:
        from debugger.tui.screens.editor import TEMPLATE, EditorScreen, new_program_path

        self.app.push_screen(EditorScreen(TEMPLATE, new_program_path(Path.cwd())), self._edited)

    def _edited(self, saved: Saved | None) -> None:
        if saved is None:
            return
        session, problems = rerun(self.session, saved.program)
        # handled once the editor has gone, in this screen's own message loop (its panes bind to it)
        self.post_message(self.Rerun(session, saved.path.name, problems))

    class Rerun(Message):
        """Continue on an edited program's session."""

        def __init__(self, session: Session, program_name: str, problems: list[str]) -> None:
            super().__init__()
            self.session = session
            self.program_name = program_name
            self.problems = problems

    async def on_classroom_actions_rerun(self, message: Rerun) -> None:
        session, program_name, problems = message.session, message.program_name, message.problems
        await self.adopt(session, program_name)
        self.app.session = session
        self.app.program_name = program_name
        self.notify(f"{program_name}: reassembled, now at step {session.step:,}", timeout=4)
        for problem in problems:
            self.notify(problem, severity="warning", timeout=8)

    # ------------------------------------------------------------------ quiz
    def do_quiz(self) -> None:
        from debugger.tui.screens.quiz import QuizScreen

        def finished(score: str | None) -> None:
            if score:
                self.notify(score, timeout=6)

        self.app.push_screen(QuizScreen(self), finished)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ session files and screenshots
    def _default_name(self, suffix: str) -> str:
        stem = Path(self.program_name).name.split(".")[0] or "program"
        return f"{stem}-step{self.session.step}{suffix}"

    def do_save_session(self) -> None:
        self.notify(self.save_session_to(None), timeout=4)

    def save_session_to(self, path: str | None) -> str:
        target = Path(path or self._default_name(SUFFIX))
        if not target.name.lower().endswith(SUFFIX):
            target = target.with_name(target.name + SUFFIX)
        written = save_session(self.session, target, self.program_name)
        return f"session saved to {written} (reopen: avm-debug {written})"

    def do_screenshot(self) -> None:
        self.notify(self.screenshot_to(None), timeout=4)

    def screenshot_to(self, path: str | None) -> str:
        target = Path(path or self._default_name(".svg"))
        try:
            written = self.app.save_screenshot(target.name, str(target.parent))
        except OSError as exc:
            raise UserError(f"cannot write the screenshot: {exc.strerror or exc}", str(target)) from None
        return f"screenshot written to {written}"

    # ------------------------------------------------------------------ bookmarks
    # `m` and `'` ask for their letter at once, even during a run: the key typed after them is the letter
    # (queued, they took a key typed later for it, and the key after went to the main screen). During a
    # run `m X` marks the step reached; `' X` goes there once the run has stopped (`goto_step` queues)
    def do_mark(self) -> None:
        from debugger.tui.screens.letter import LetterScreen

        def chosen(letter: str | None) -> None:
            if letter:
                self.execute("mark", letter)

        self.app.push_screen(LetterScreen("bookmark this step"), chosen)

    def do_jump_mark(self) -> None:
        from debugger.tui.screens.letter import LetterScreen

        def chosen(letter: str | None) -> None:
            if letter:
                self.execute("jump_mark", letter)

        self.app.push_screen(LetterScreen("go to bookmark"), chosen)
