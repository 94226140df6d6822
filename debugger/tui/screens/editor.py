"""Edit and rerun: the program's `.s` text in an editor; saving writes the file, reassembles it and, when
it assembles, hands the new program back (the main screen reruns the session on it). Assembler errors
are shown in place, at their line and column, and the editor stays open.

The file is written only on save (ctrl+s), never silently; ctrl+z undoes the last edit; Esc closes,
asking first when there are unsaved changes. A `.mexe` is edited as its disassembly and saved as a new
`.s` beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from avm.core.program import Program
from avm.errors import UserError
from avm.formats.assembler import AssemblyError, assemble
from debugger.tui.guard import DismissOnce, while_shown
from debugger.tui.screens.confirm import ConfirmScreen
from debugger.tui.widgets.code_editor import CodeEditor

TEMPLATE = """\
; a new AVM program: edit it, then ctrl+s saves, assembles and runs it
;> the first note: lesson notes (;>) show when execution reaches the next instruction
main:
    push 2
    push 3
    add            ;? s0 = 5
    log
    halt
"""


@dataclass
class Saved:
    """What a successful save hands back: the new program and the file it was written to."""

    program: Program
    path: Path


def _free(candidate: Path) -> Path:
    """``candidate``, or ``stem-2.s``, ``stem-3.s``... beside it: never over an existing file."""
    stem, n = candidate.stem, 2
    while candidate.exists():
        candidate = candidate.with_name(f"{stem}-{n}.s")
        n += 1
    return candidate


def edit_target(path: Path) -> Path:
    """Where an edit of ``path`` is saved: the file itself for a `.s` of the user's; a new `.s` beside a
    `.mexe`; a shipped sample is copied into the current folder (the installed one is never changed)."""
    from debugger.resources import display_path

    if display_path(str(path)) != str(path):          # a shipped sample, inside the installed package
        return _free(Path.cwd() / path.name)
    if path.suffix.lower() != ".mexe":
        return path
    return _free(path.with_suffix(".s"))


def new_program_path(folder: Path) -> Path:
    candidate = folder / "untitled.s"
    n = 2
    while candidate.exists():
        candidate = folder / f"untitled-{n}.s"
        n += 1
    return candidate


class EditorScreen(DismissOnce, Screen[Saved | None]):
    """The editor over the whole terminal; dismisses with :class:`Saved` after a save that assembled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save and run", priority=True),
        Binding("escape", "close", "Close", priority=True),
    ]
    DEFAULT_CSS = """
    EditorScreen > Vertical { height: 1fr; }
    EditorScreen #editor-head { height: 1; padding: 0 1; background: $boost; }
    EditorScreen CodeEditor { height: 1fr; }
    EditorScreen #editor-errors { height: auto; max-height: 8; padding: 0 1; color: $error; }
    """

    def __init__(self, text: str, path: Path, *, note: str = "") -> None:
        super().__init__()
        self.path = path
        self.initial = text
        self.saved_text = text if path.exists() else None
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._head(), id="editor-head", markup=False)
            yield CodeEditor(self.initial, dark=self.app.current_theme.dark, id="editor")
            yield Static("", id="editor-errors", markup=False)
        yield Footer(compact=True)

    @while_shown
    def on_mount(self) -> None:
        self.query_one(CodeEditor).focus()

    def _head(self, row: int = 0, column: int = 0) -> str:
        head = (f"editing {self.path}  line {row + 1}:{column + 1}  "
                "(ctrl+s save and run, ctrl+z undo, Esc close)")
        return head + (f"  {self.note}" if self.note else "")

    def on_text_area_selection_changed(self, event: CodeEditor.SelectionChanged) -> None:
        row, column = event.selection.end
        self.query_one("#editor-head", Static).update(self._head(row, column))

    @property
    def editor(self) -> CodeEditor:
        return self.query_one(CodeEditor)

    @property
    def dirty(self) -> bool:
        return self.editor.text != (self.saved_text if self.saved_text is not None else "")

    def action_save(self) -> None:
        text = self.editor.text
        try:
            self.path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self._show_error(f"{self.path}: cannot write: {exc.strerror or exc}")
            return
        self.saved_text = text
        try:
            program = assemble(text, str(self.path))
        except AssemblyError as err:
            first = err.errors[0]
            self.editor.mark_error(first.line, first.column, first.width)
            more = f" (and {len(err.errors) - 1} more)" if len(err.errors) > 1 else ""
            lines = [f"saved, but it does not assemble{more}:"]
            lines += [f"{self.path.name}:{d.line}:{d.column}: {d.message}" for d in err.errors[:6]]
            self._show_error("\n".join(lines))
            return
        except UserError as err:
            self._show_error(str(err))
            return
        self.dismiss(Saved(program, self.path))

    def _show_error(self, text: str) -> None:
        self.query_one("#editor-errors", Static).update(text)

    def action_close(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Close the editor and lose the unsaved changes?"), answer)
