"""Output pane: logs, sends, debugprints, errors raised (with the jump to the handler) and stop reasons."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import RichLog

KIND_STYLES = {"log": "cyan", "send": "magenta", "debugprint": "green", "error": "bold red",
               "stop": "yellow", "halt": "bold green", "errorstop": "bold red", "ui": "dim"}
MAX_SHOWN = 2000


def event_text(event: Any) -> Text:
    """One line for an output event of the session (or a plain string)."""
    if isinstance(event, str):
        return Text(event, style="dim")
    kind = str(getattr(event, "kind", "")).split(".")[-1].lower()
    step = getattr(event, "step", None)
    body = getattr(event, "text", None) or getattr(event, "detail", None) or str(event)
    line = Text()
    if step is not None:
        line.append(f"{step:>8,} ", style="dim")
    line.append(f"{kind:<10} ", style=KIND_STYLES.get(kind, "bold"))
    line.append(str(body))
    return line


QUIET_STOPS = ("step", "target", "start_of_history")


def _quiet(event: Any) -> bool:
    """Single steps and plain moves are not worth a line; every other stop reason is."""
    if getattr(event, "kind", "") != "stop":
        return False
    reason = getattr(getattr(event, "value", None), "reason", None)
    return str(getattr(reason, "value", reason)) in QUIET_STOPS


class OutputPane(RichLog):
    """Shows ``session.outputs`` incrementally; re-renders when history was rewound."""

    DEFAULT_CSS = """
    OutputPane { background: $surface; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, max_lines=MAX_SHOWN, wrap=False, markup=False, highlight=False)
        self._shown: list[Any] = []
        self.lines_text: list[str] = []

    def update_from(self, session: Any) -> None:
        events = list(getattr(session, "outputs", []))
        shown = self._shown
        n = len(shown)
        if len(events) >= n and all(events[i] is shown[i] for i in range(max(0, n - 3), n)):
            new = events[n:]
        else:
            self.clear()
            self.lines_text = []
            new = events[-MAX_SHOWN:]
        for event in new:
            if not _quiet(event):
                self.add(event_text(event))
        self._shown = events

    def add(self, text: Text) -> None:
        self.lines_text.append(text.plain)
        del self.lines_text[:-MAX_SHOWN]
        self.write(text, scroll_end=True)

    def note(self, message: str) -> None:
        """A line from the UI itself (stop reasons, proof paths)."""
        self.add(Text(message, style="italic"))
