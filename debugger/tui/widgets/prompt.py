"""The one-line prompt docked at the bottom of the main screen: the ``:`` command line and ``/`` search.

It lives in the main screen (hidden until asked for) rather than on a pushed screen, so that
:meth:`CommandLine.open` can show it and move the focus to its input *synchronously*, inside the key
action: every key typed after ``:`` reaches the input, even when a terminal delivers them all at once
(``tmux send-keys ':break countdown' Enter``). A pushed screen would only take the focus once it is
mounted, and the keys before that would run the main screen's bindings.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label


class CommandLine(Horizontal):
    """A prefix (``:`` or ``/``) and an input; Enter hands the text to the caller, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]
    DEFAULT_CSS = """
    CommandLine { dock: bottom; height: 1; width: 100%; background: $panel; display: none; }
    CommandLine Label { width: auto; padding: 0 0 0 1; color: $text-accent; text-style: bold; }
    CommandLine Input, CommandLine Input:focus {
        border: none; height: 1; padding: 0 1; width: 1fr; background: $panel;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._done: Callable[[str | None], None] | None = None
        self._return_focus: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Label(":", id="prompt-prefix")
        yield Input(id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False

    @property
    def is_open(self) -> bool:
        return self.display

    def open(self, prefix: str, placeholder: str, done: Callable[[str | None], None],
             value: str = "") -> None:
        """Show the prompt and focus its input now (not after a refresh): see the module doc."""
        self._done = done
        if not self.display:
            self._return_focus = self.screen.focused
        self.query_one(Label).update(prefix)
        field = self.query_one(Input)
        field.placeholder = placeholder
        field.value = value
        self.display = True
        self.screen.set_focus(field)

    def close(self, text: str | None) -> None:
        """Hide the prompt, give the focus back, then report ``text`` (None: cancelled)."""
        done, self._done = self._done, None
        self.display = False
        back, self._return_focus = self._return_focus, None
        if back is not None and back.is_attached and back.focusable:
            self.screen.set_focus(back)
        if done is not None:
            done(text)

    def action_cancel(self) -> None:
        self.close(None)

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close(event.value)
