"""``B``: the breakpoint and watch list. Add (any ``break`` syntax, or ``watch X``), enable/disable,
delete. Changes go straight to the session's managers (the one source of truth)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from avm.errors import UserError
from debugger.engine.session import Session
from debugger.tui.guard import DismissOnce, while_shown
from debugger.tui.locations import add_breakpoint

HELP = ("add: 12 | label | label if top == 3 | op hash | when gas < 100 | error | log | send | halt | "
        "watch register | watch s0    ·  space enable/disable · d delete · a add · esc close")


class BreakpointScreen(DismissOnce, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("space", "toggle_enabled", "Enable/disable"),
        Binding("d,delete", "delete", "Delete"),
        Binding("a", "add", "Add"),
    ]
    DEFAULT_CSS = """
    BreakpointScreen { align: center middle; }
    BreakpointScreen > Vertical { width: 90%; height: 80%; border: thick $primary; background: $surface; }
    BreakpointScreen DataTable { height: 1fr; }
    BreakpointScreen #bp-help { height: auto; color: $text-muted; padding: 0 1; }
    BreakpointScreen Input { height: 3; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.program = session.program
        self.keys_for_rows: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield DataTable(id="bp-table", cursor_type="row")
            yield Static(HELP, id="bp-help", markup=False)
            yield Input(placeholder="new breakpoint or 'watch register' (enter adds)", id="bp-add")

    @while_shown
    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "kind", "where / condition", "enabled", "hits")
        self.query_one(Input).cursor_blink = False
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.keys_for_rows = []
        for bp in self.session.breakpoints.list():
            self.keys_for_rows.append(("break", bp.number))
            # the number and hits have their own columns: only the place or condition here
            where = bp.title(self.program).removeprefix(f"#{bp.number} ").removeprefix("at ") + (
                " (once)" if bp.one_shot else "")
            table.add_row(str(bp.number), bp.kind.value, Text(where),
                          "yes" if bp.enabled else "no", str(bp.hits))
        for w in self.session.watches.list():
            self.keys_for_rows.append(("watch", w.number))
            table.add_row(f"w{w.number}", "watch", Text(w.target), "yes" if w.enabled else "no", str(w.hits))
        if self.keys_for_rows:
            table.move_cursor(row=min(row, len(self.keys_for_rows) - 1))

    def _current(self) -> tuple[str, int] | None:
        table = self.query_one(DataTable)
        if not self.keys_for_rows or table.cursor_row < 0:
            return None
        return self.keys_for_rows[min(table.cursor_row, len(self.keys_for_rows) - 1)]

    def _manager(self, kind: str) -> Any:
        return self.session.watches if kind == "watch" else self.session.breakpoints

    def action_toggle_enabled(self) -> None:
        current = self._current()
        if current is None:
            return
        kind, number = current
        manager = self._manager(kind)
        try:   # the row may be stale: a one-shot breakpoint goes when a run hits it
            manager.enable(number, not manager.get(number).enabled)
        except UserError as err:
            self.notify(str(err), severity="warning")
        self.reload()

    def action_delete(self) -> None:
        current = self._current()
        if current is None:
            return
        kind, number = current
        try:
            self._manager(kind).delete(number)
        except UserError as err:
            self.notify(str(err), severity="warning")
        self.reload()

    def action_add(self) -> None:
        self.query_one(Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#bp-add")
    def _add(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        try:
            if text.startswith("watch "):
                self.session.watches.add(text[6:])
            else:
                add_breakpoint(self.session.breakpoints, text)
        except UserError as err:
            self.notify(str(err), severity="warning")
            return
        event.input.value = ""
        self.reload()
        self.query_one(DataTable).focus()
