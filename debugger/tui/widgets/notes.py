"""Notes pane: the lesson notes (``Program.notes``, ``;>`` lines in a .s file) reached so far."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from debugger.engine.display import current_note
from debugger.tui.position import Position


class NotesPane(Static):
    """Lesson notes in program order; the note at the current instruction is highlighted."""

    DEFAULT_CSS = """
    NotesPane { background: $surface; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.seen: set[int] = set()
        self.plain = ""
        self._shown: tuple[str, int | None] | None = None

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)

    def watch_position(self, p: Position | None) -> None:
        if p is not None:
            self.update_from(p.session.program, p.reached, p.pc)

    def update_from(self, program: Any, reached: set[int], pc: int | None) -> None:
        notes = program.notes
        if not notes:
            if self._shown is not None:
                return
            self._shown = ("", None)
            self.plain = "This program has no lesson notes (';>' lines in a .s file)."
            self.update(Content.styled(self.plain, "$text-muted"))
            return
        self.seen |= {i for i in reached if i in notes}
        if pc is not None and pc in notes:
            self.seen.add(pc)
        key = (",".join(map(str, sorted(self.seen))), pc if pc in notes else None)
        if key == self._shown:
            return
        self._shown = key
        parts: list[Content] = []
        texts: list[str] = []
        for index in sorted(self.seen):
            style = "bold $text-accent" if index == pc else ""
            text = f"#{index}: {notes[index]}"
            texts.append(text)
            parts.append(Content.styled(text, style))
        if not parts:
            self.plain = f"{len(notes)} notes in this program; they appear here as execution reaches them."
            parts = [Content.styled(self.plain, "$text-muted")]
        else:
            self.plain = "\n".join(texts)
        self.update(Content("\n").join(parts))


class NoteStrip(Static):
    """The current lesson note under the listing (up to 5 lines: the longest sample notes at 80
    columns), so a newcomer reads it without switching to the Notes tab. Hidden for programs without
    notes."""

    DEFAULT_CSS = """
    NoteStrip { height: auto; max-height: 5; background: $boost; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.plain = ""

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)

    def watch_position(self, p: Position | None) -> None:
        if p is not None:
            self.update_from(p.session.program, p.pc)

    def update_from(self, program: Any, pc: int | None) -> None:
        self.display = bool(program.notes)
        found = current_note(program, pc)
        if found is None:
            text = "Lesson notes appear here as the program runs (all of them: the Notes tab)."
            content = Content.styled(text, "$text-muted")
        else:
            index, note = found
            text = f"#{index}: {note}"
            content = Content.assemble((f"#{index} ", "$text-muted"),
                                       (note, "bold" if index == pc else ""))
        if text != self.plain:
            self.plain = text
            self.update(content)
