"""Waits for one letter (the ``x`` of ``m x`` / ``' x`` bookmarks); Esc cancels."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Label

from debugger.tui.guard import DismissOnce


class LetterScreen(DismissOnce, ModalScreen[str | None]):
    DEFAULT_CSS = """
    LetterScreen { align: center bottom; background: transparent; }
    LetterScreen > Label { width: auto; padding: 0 2; margin-bottom: 2; border: round $accent;
                           background: $surface; }
    """

    def __init__(self, prompt: str) -> None:
        super().__init__()
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        yield Label(f"{self.prompt}: press a letter a-z (Esc cancels)")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            self.dismiss(None)
        elif event.character is not None and len(event.character) == 1 and event.character.isalpha():
            self.dismiss(event.character.lower())
