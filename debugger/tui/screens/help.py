"""``?`` / F1: every key (as currently mapped) and every ``:`` command, from the command registry.

Plain text in one ``Static`` (a Markdown table of 50 rows cost about half a second to build); the app
builds the screen once and pushes the same one each time.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from debugger.tui import registry
from debugger.tui.guard import DismissOnce


def help_text(keymap: dict[str, str], keymap_path: str) -> str:
    """The help as plain text: keys, what they do, keymap ids; then the ``:`` commands."""
    rows = registry.help_rows(keymap)
    width = max(len(keys) for keys, _text, _ident in rows)
    text_width = max(len(text) for _keys, text, _ident in rows)
    lines = ["avm-debug keys", "",
             "Lower case goes forward, upper case goes back. A number before a key repeats it (10s, 250S);",
             "before g/G it is a step number.", ""]
    lines += [f"  {keys:<{width}}  {text:<{text_width}}  {ident}".rstrip() for keys, text, ident in rows]
    lines += ["", f"Remap keys in {keymap_path} ([keys] table, e.g. step = \"s,j,down,f10\").", "",
              "Commands (type : first)", ""]
    usages = registry.usage()
    usage_width = max(len(usage) for usage, _help in usages)
    lines += [f"  {usage:<{usage_width}}  {text}" for usage, text in usages]
    return "\n".join(lines)


class HelpScreen(DismissOnce, ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; height: 90%; border: thick $primary; background: $surface; }
    HelpScreen Static { width: auto; padding: 0 1; }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content(self.text), markup=False)
