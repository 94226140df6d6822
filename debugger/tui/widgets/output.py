"""Output pane: logs, sends, debugprints, errors raised (with the jump to the handler) and stop reasons.

One line per event; Enter or a click on a line asks the app to go to that line's step
(:class:`OutputPane.StepChosen`).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from debugger.engine.session import OutputEvent, Stop
from debugger.tui.position import Position

KIND_STYLES = {"log": "cyan", "send": "magenta", "debugprint": "green", "error": "bold red",
               "stop": "yellow", "halt": "bold green", "errorstop": "bold red", "ui": "dim",
               "l1": "bold yellow"}
MAX_SHOWN = 2000


def event_text(event: OutputEvent) -> Text:
    """One line for an output event of the session."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{event.step:>8,} ", style="dim")
    line.append(f"{event.kind:<10} ", style=KIND_STYLES.get(event.kind, "bold"))
    line.append(event.text.replace("\n", " "))
    return line


def _quiet(event: OutputEvent) -> bool:
    """Single steps and plain moves are not worth a line; every other stop reason is."""
    stop = event.value
    return event.kind == "stop" and isinstance(stop, Stop) and stop.quiet


class OutputPane(OptionList):
    """Shows ``session.outputs`` incrementally; re-renders when history was rewound."""

    DEFAULT_CSS = """
    OutputPane { background: $surface; border: none; padding: 0; }
    OutputPane:focus { border: none; }
    """

    class StepChosen(Message):
        """The user chose a line: go to the step that produced it."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: list[OutputEvent] = []
        self._entries: list[tuple[Text, int | None]] = []   # per line: text, step to go to (None: UI note)

    @property
    def lines_text(self) -> list[str]:
        return [text.plain for text, _ in self._entries]

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)

    def watch_position(self, p: Position | None) -> None:
        if p is not None:
            self.update_from(p.session)

    def update_from(self, session: Any) -> None:
        events = session.outputs
        shown = self._shown
        n = len(shown)
        if len(events) >= n and all(events[i] is shown[i] for i in range(max(0, n - 3), n)):
            new = events[n:]
        else:
            self._clear()
            new = events[-MAX_SHOWN:]
        self._add([(event_text(e), e.step) for e in new if not _quiet(e)])
        self._shown = events

    def note(self, message: str) -> None:
        """A line from the UI itself (stop reasons, proof paths)."""
        self._add([(Text(message, style="italic", no_wrap=True, overflow="ellipsis"), None)])

    def _clear(self) -> None:
        self.clear_options()
        self._entries = []

    def _add(self, lines: list[tuple[Text, int | None]]) -> None:
        if not lines:
            return
        if len(self._entries) + len(lines) > MAX_SHOWN:           # keep the newest MAX_SHOWN lines
            lines = (self._entries + lines)[-MAX_SHOWN:]
            self._clear()
        self._entries += lines
        self.add_options([Option(text) for text, _ in lines])
        self.scroll_end(animate=False, immediate=True)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        step = self._entries[event.option_index][1]
        if step is not None:
            self.post_message(self.StepChosen(step))
