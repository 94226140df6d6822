"""``:history PLACE``: the changes of a place over the recorded history; enter goes to the step."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from avm.core.summary import summarize
from debugger.engine.display import instruction_ref
from debugger.engine.place_history import Change
from debugger.tui.guard import DismissOnce, while_shown


class PlaceHistoryScreen(DismissOnce, ModalScreen[int | None]):
    """A table of changes (computed beforehand, off the UI thread); dismisses with the chosen step."""

    BINDINGS = [Binding("escape", "close", "Close")]
    DEFAULT_CSS = """
    PlaceHistoryScreen { align: center middle; }
    PlaceHistoryScreen > Vertical { width: 90%; height: 80%; border: thick $primary; background: $surface; }
    PlaceHistoryScreen DataTable { height: 1fr; }
    PlaceHistoryScreen #history-title { height: auto; padding: 0 1; text-style: bold; }
    PlaceHistoryScreen #history-help { height: auto; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, place: str, changes: list[Change], labels: Any, note: str = "",
                 current: int | None = None) -> None:
        super().__init__()
        self.place = place
        self.changes = changes
        self.labels = labels
        self.note = note
        self.current = current

    def compose(self) -> ComposeResult:
        count = f"{len(self.changes):,} change{'' if len(self.changes) == 1 else 's'}"
        with Vertical():
            yield Static(f"history of {self.place}: {count}{self.note}", id="history-title", markup=False)
            yield DataTable(id="history-table", cursor_type="row")
            yield Static("enter: go to the step that shows the new value · esc: close", id="history-help",
                         markup=False)

    @while_shown
    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("step", "instruction", "old", "new")
        cursor = 0
        for k, change in enumerate(self.changes):
            table.add_row(f"{change.step:,}", instruction_ref(change.index) if change.index >= 0 else "-",
                          Text(self._text(change.old)), Text(self._text(change.new)))
            if self.current is not None and change.step <= self.current:
                cursor = k
        if self.changes:
            table.move_cursor(row=cursor)
        table.focus()

    def _text(self, value: Any) -> str:
        return "absent" if value is None else summarize(value, self.labels, width=40)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a row: the table's own selection, so keys typed before it are
        handled first (a screen-level enter binding would see the cursor before them)."""
        row = event.cursor_row
        if 0 <= row < len(self.changes):
            self.dismiss(self.changes[row].step)

    def action_close(self) -> None:
        self.dismiss(None)
