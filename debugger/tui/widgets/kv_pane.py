"""A pane of ``name  value`` rows whose changed rows are highlighted (registers, hashes)."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

MIN_COLUMN = 38
PENDING = "computing…"  # placeholder text: replacing it is not a change of the machine


class KeyValuePane(Static):
    """Rows of (name, value); a row whose value differs from the previous update is highlighted."""

    DEFAULT_CSS = """
    KeyValuePane { background: $surface; padding: 0 1; }
    """
    NAME_WIDTH = 11

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self._previous: dict[str, str] = {}
        self.rows: list[tuple[str, str]] = []
        self._line_count = -1
        self._columns = 1

    def set_rows(self, rows: list[tuple[str, str]], *, mark_changes: bool = True) -> None:
        """Show ``rows``; in two columns when they do not fit the height but the width allows.
        ``mark_changes`` False (a re-render, not a machine move) keeps the marks of the last move."""
        if mark_changes:
            self._previous = dict(self.rows)
        self.rows = rows
        self._render_rows()

    def on_resize(self) -> None:
        """Clipping and columns depend on the size: a resized pane is laid out as a fresh one."""
        if self.rows:
            self._render_rows()

    def _render_rows(self) -> None:
        rows = self.rows
        width, height = self.size.width, self.size.height
        two = bool(height) and len(rows) > height and width >= 2 * MIN_COLUMN
        col_width = (width - 1) // 2 if two else 0
        self._columns = 2 if two else 1
        cells: list[Content] = []
        room = max(4, (col_width if two else width) - self.NAME_WIDTH - 1) if width else 0
        for name, value in rows:
            before = self._previous.get(name)
            changed = before is not None and before != value and PENDING not in before
            style = "bold $text-warning" if changed else ""
            if room and len(value) > room:  # rows carry full values; only the display is clipped
                value = value[: room - 1] + "…"
            if two:
                value = value.ljust(room)
            cells.append(Content.assemble((f"{name:<{self.NAME_WIDTH}}", "$text-muted"),
                                          ("*" if changed else " ", style), (value, style)))
        if two:
            half = (len(cells) + 1) // 2
            lines = [cells[i] + (Content(" ") + cells[i + half] if i + half < len(cells) else Content(""))
                     for i in range(half)]
        else:
            lines = cells
        # the number of lines only changes with the layout, so skip the (full-screen) relayout
        self.update(Content("\n").join(lines), layout=len(lines) != self._line_count)
        self._line_count = len(lines)

    class RowClicked(Message):
        """A row was clicked (the app opens register, static, ... in the value tree)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.rows:
            return
        index = offset.y
        if self._columns == 2 and offset.x > self.size.width // 2:
            index += (len(self.rows) + 1) // 2
        if 0 <= index < len(self.rows):
            self.post_message(self.RowClicked(self.rows[index][0].strip()))

    def text(self) -> str:
        """The pane as plain text (for tests and copying)."""
        return "\n".join(f"{name:<{self.NAME_WIDTH}} {value}" for name, value in self.rows)
