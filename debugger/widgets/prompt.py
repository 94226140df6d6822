"""One-line prompts docked at the bottom: the ``:`` command line and the ``/`` search."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line; dismiss with the text (Enter) or None (Esc)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    PromptScreen { align: left bottom; background: $background 0%; }
    PromptScreen > Horizontal { height: 1; width: 100%; background: $panel; dock: bottom; }
    PromptScreen Label { width: auto; padding: 0 0 0 1; color: $text-accent; text-style: bold; }
    PromptScreen Input { border: none; height: 1; padding: 0 1; width: 1fr; background: $panel; }
    """

    def __init__(self, prefix: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.prefix, self.placeholder, self.value = prefix, placeholder, value

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.prefix)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
